package dev.nonlinear.nn;

import dev.nonlinear.kernel.Activations;

/**
 * {@code x · min(max(x + 3, 0), 6) / 6}, as PyTorch's {@code nn.Hardswish} (see
 * {@link Activations#hardswish} for the values at the kinks).
 */
public final class Hardswish extends ActivationLayer {

  @Override
  public Hardswish inferenceCopy() {
    return inferenceMode(new Hardswish());
  }

  @Override
  void activate(float[] x, float[] y, int n) {
    Activations.hardswish(x, 0, y, 0, n);
  }

  @Override
  void gradient(float[] x, float[] y, float[] gradY, float[] gradX, int n) {
    Activations.hardswishBackward(x, 0, gradY, 0, gradX, 0, n);
  }
}
