package dev.nonlinear.nn;

import dev.nonlinear.kernel.Activations;

/**
 * {@code x / (1 + |x|)}, as PyTorch's {@code nn.Softsign} (±1 at ±inf, where PyTorch gives NaN).
 */
public final class Softsign extends ActivationLayer {

  @Override
  public Softsign inferenceCopy() {
    return inferenceMode(new Softsign());
  }

  @Override
  void activate(float[] x, float[] y, int n) {
    Activations.softsign(x, 0, y, 0, n);
  }

  @Override
  void gradient(float[] x, float[] y, float[] gradY, float[] gradX, int n) {
    Activations.softsignBackward(x, 0, gradY, 0, gradX, 0, n);
  }
}
