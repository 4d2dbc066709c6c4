package dev.nonlinear.nn;

import dev.nonlinear.kernel.Activations;

/**
 * {@code x tanh(softplus(x))}, as PyTorch's {@code nn.Mish} (see {@link Activations#mish}).
 */
public final class Mish extends ActivationLayer {

  @Override
  public Mish inferenceCopy() {
    return inferenceMode(new Mish());
  }

  @Override
  void activate(float[] x, float[] y, int n) {
    Activations.mish(x, 0, y, 0, n);
  }

  @Override
  void gradient(float[] x, float[] y, float[] gradY, float[] gradX, int n) {
    Activations.mishBackward(x, 0, gradY, 0, gradX, 0, n);
  }
}
