package dev.nonlinear.nn;

import dev.nonlinear.kernel.Activations;

/** {@code x > 0 ? x : negativeSlope · x}, as PyTorch's {@code nn.LeakyReLU}. */
public final class LeakyReLU extends ActivationLayer {

  private final float negativeSlope;

  /** PyTorch's default slope, 0.01. */
  public LeakyReLU() {
    this(0.01f);
  }

  /**
   * @throws IllegalArgumentException if {@code negativeSlope} is NaN or infinite
   */
  public LeakyReLU(float negativeSlope) {
    this.negativeSlope = finite("negativeSlope", negativeSlope);
  }

  @Override
  public LeakyReLU inferenceCopy() {
    return inferenceMode(new LeakyReLU(negativeSlope));
  }

  @Override
  void activate(float[] x, float[] y, int n) {
    Activations.leakyRelu(x, 0, y, 0, n, negativeSlope);
  }

  @Override
  void gradient(float[] x, float[] y, float[] gradY, float[] gradX, int n) {
    Activations.leakyReluBackward(x, 0, gradY, 0, gradX, 0, n, negativeSlope);
  }

  @Override
  protected String extraRepr() {
    return "negative_slope=" + pythonFloat(negativeSlope);
  }
}
