package dev.nonlinear.nn;

import dev.nonlinear.kernel.Activations;

/**
 * {@code min(max(x + 3, 0), 6) / 6}, as PyTorch's {@code nn.Hardsigmoid}; gradient 0 at the kinks
 * ±3.
 */
public final class Hardsigmoid extends ActivationLayer {

  @Override
  public Hardsigmoid inferenceCopy() {
    return inferenceMode(new Hardsigmoid());
  }

  @Override
  void activate(float[] x, float[] y, int n) {
    Activations.hardsigmoid(x, 0, y, 0, n);
  }

  @Override
  void gradient(float[] x, float[] y, float[] gradY, float[] gradX, int n) {
    Activations.hardsigmoidBackward(x, 0, gradY, 0, gradX, 0, n);
  }
}
