package dev.nonlinear.nn;

import dev.nonlinear.kernel.Activations;

/**
 * {@code scale · (x > 0 ? x : α (e^x - 1))} with PyTorch's α and scale, as {@code nn.SELU}
 * (see {@link Activations#selu}).
 */
public final class SELU extends ActivationLayer {

  @Override
  public SELU inferenceCopy() {
    return inferenceMode(new SELU());
  }

  @Override
  void activate(float[] x, float[] y, int n) {
    Activations.selu(x, 0, y, 0, n);
  }

  @Override
  void gradient(float[] x, float[] y, float[] gradY, float[] gradX, int n) {
    Activations.seluBackward(x, 0, gradY, 0, gradX, 0, n);
  }
}
