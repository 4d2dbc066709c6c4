package dev.nonlinear.nn;

import dev.nonlinear.kernel.Activations;

/**
 * {@code x} clamped to {@code [min, max]}, as PyTorch's {@code nn.Hardtanh}; gradient 0 at both
 * kinks.
 */
public final class Hardtanh extends ActivationLayer {

  private final float min;
  private final float max;

  /** PyTorch's defaults: [-1, 1]. */
  public Hardtanh() {
    this(-1f, 1f);
  }

  /**
   * @throws IllegalArgumentException if {@code min} or {@code max} is NaN, or {@code min > max}
   */
  public Hardtanh(float min, float max) {
    this.min = notNaN("min", min);
    this.max = notNaN("max", max);
    if (min > max) {
      throw new IllegalArgumentException("min = " + min + ", max = " + max
          + ": expected min <= max");
    }
  }

  @Override
  public Hardtanh inferenceCopy() {
    return inferenceMode(new Hardtanh(min, max));
  }

  @Override
  void activate(float[] x, float[] y, int n) {
    Activations.hardtanh(x, 0, y, 0, n, min, max);
  }

  @Override
  void gradient(float[] x, float[] y, float[] gradY, float[] gradX, int n) {
    Activations.hardtanhBackward(x, 0, gradY, 0, gradX, 0, n, min, max);
  }

  @Override
  protected String extraRepr() {
    return "min_val=" + pythonFloat(min) + ", max_val=" + pythonFloat(max);
  }
}
