package dev.nonlinear.nn;

import dev.nonlinear.kernel.Activations;
import java.util.Objects;

/**
 * {@code x Φ(x)}, as PyTorch's {@code nn.GELU}: exact with {@code approximate = "none"} (the
 * default), or the tanh approximation with {@code "tanh"} (see {@link Activations#gelu} and
 * {@link Activations#geluTanh}).
 */
public final class GELU extends ActivationLayer {

  private final boolean tanhApproximation;

  /** The exact form, {@code approximate = "none"}. */
  public GELU() {
    this("none");
  }

  /**
   * @throws NullPointerException if {@code approximate} is null
   * @throws IllegalArgumentException if {@code approximate} is neither "none" nor "tanh"
   */
  public GELU(String approximate) {
    Objects.requireNonNull(approximate, "approximate");
    if (!approximate.equals("none") && !approximate.equals("tanh")) {
      throw new IllegalArgumentException("approximate = '" + approximate
          + "': expected 'none' or 'tanh'");
    }
    this.tanhApproximation = approximate.equals("tanh");
  }

  @Override
  public GELU inferenceCopy() {
    return inferenceMode(new GELU(tanhApproximation ? "tanh" : "none"));
  }

  @Override
  void activate(float[] x, float[] y, int n) {
    if (tanhApproximation) {
      Activations.geluTanh(x, 0, y, 0, n);
    } else {
      Activations.gelu(x, 0, y, 0, n);
    }
  }

  @Override
  void gradient(float[] x, float[] y, float[] gradY, float[] gradX, int n) {
    if (tanhApproximation) {
      Activations.geluTanhBackward(x, 0, gradY, 0, gradX, 0, n);
    } else {
      Activations.geluBackward(x, 0, gradY, 0, gradX, 0, n);
    }
  }

  @Override
  protected String extraRepr() {
    return "approximate='" + (tanhApproximation ? "tanh" : "none") + "'";
  }
}
