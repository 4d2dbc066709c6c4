package dev.nonlinear.nn;

import dev.nonlinear.kernel.Activations;

/** {@code x > 0 ? x : α (e^x - 1)}, as PyTorch's {@code nn.ELU}. */
public final class ELU extends ActivationLayer {

  private final float alpha;

  /** PyTorch's default α, 1. */
  public ELU() {
    this(1f);
  }

  /**
   * @throws IllegalArgumentException if {@code alpha} is NaN or infinite
   */
  public ELU(float alpha) {
    this.alpha = finite("alpha", alpha);
  }

  @Override
  public ELU inferenceCopy() {
    return inferenceMode(new ELU(alpha));
  }

  @Override
  void activate(float[] x, float[] y, int n) {
    Activations.elu(x, 0, y, 0, n, alpha);
  }

  @Override
  void gradient(float[] x, float[] y, float[] gradY, float[] gradX, int n) {
    Activations.eluBackward(x, 0, gradY, 0, gradX, 0, n, alpha);
  }

  @Override
  protected String extraRepr() {
    return "alpha=" + pythonFloat(alpha);
  }
}
