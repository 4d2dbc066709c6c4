package dev.nonlinear.nn;

import dev.nonlinear.kernel.Activations;

/**
 * {@code βx > threshold ? x : log(1 + e^(βx)) / β}, as PyTorch's {@code nn.Softplus}.
 */
public final class Softplus extends ActivationLayer {

  private final float beta;
  private final float threshold;

  /** PyTorch's defaults: β = 1, threshold = 20. */
  public Softplus() {
    this(1f, 20f);
  }

  /**
   * @throws IllegalArgumentException if {@code beta} is not a positive finite number or
   *     {@code threshold} is NaN
   */
  public Softplus(float beta, float threshold) {
    this.beta = positiveFinite("beta", beta);
    this.threshold = notNaN("threshold", threshold);
  }

  @Override
  public Softplus inferenceCopy() {
    return inferenceMode(new Softplus(beta, threshold));
  }

  @Override
  void activate(float[] x, float[] y, int n) {
    Activations.softplus(x, 0, y, 0, n, beta, threshold);
  }

  @Override
  void gradient(float[] x, float[] y, float[] gradY, float[] gradX, int n) {
    Activations.softplusBackward(x, 0, gradY, 0, gradX, 0, n, beta, threshold);
  }

  /** As PyTorch prints its int defaults: {@code beta=1, threshold=20}. */
  @Override
  protected String extraRepr() {
    return "beta=" + pythonNumber(beta) + ", threshold=" + pythonNumber(threshold);
  }
}
