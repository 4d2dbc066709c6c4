package dev.nonlinear.nn;

import dev.nonlinear.kernel.Activations;

/** {@code x > 0 ? x : α (e^(x/α) - 1)}, as PyTorch's {@code nn.CELU}. */
public final class CELU extends ActivationLayer {

  private final float alpha;

  /** PyTorch's default α, 1. */
  public CELU() {
    this(1f);
  }

  /**
   * @throws IllegalArgumentException if {@code alpha} is not a positive finite number (PyTorch
   *     also rejects α = 0)
   */
  public CELU(float alpha) {
    this.alpha = positiveFinite("alpha", alpha);
  }

  @Override
  public CELU inferenceCopy() {
    return inferenceMode(new CELU(alpha));
  }

  @Override
  void activate(float[] x, float[] y, int n) {
    Activations.celu(x, 0, y, 0, n, alpha);
  }

  @Override
  void gradient(float[] x, float[] y, float[] gradY, float[] gradX, int n) {
    Activations.celuBackward(x, 0, gradY, 0, gradX, 0, n, alpha);
  }

  @Override
  protected String extraRepr() {
    return "alpha=" + pythonFloat(alpha);
  }
}
