package dev.nonlinear.nn;

import dev.nonlinear.kernel.Activations;

/**
 * {@code tanh(x)}, as PyTorch's {@code nn.Tanh}. The gradient is computed from the output as
 * PyTorch does, {@code gradY · (1 - y²)}: 0 where y rounds to ±1 (see
 * {@link Activations#tanhBackwardFromOutput}).
 */
public final class Tanh extends ActivationLayer {

  @Override
  public Tanh inferenceCopy() {
    return inferenceMode(new Tanh());
  }

  @Override
  void activate(float[] x, float[] y, int n) {
    Activations.tanh(x, 0, y, 0, n);
  }

  @Override
  void gradient(float[] x, float[] y, float[] gradY, float[] gradX, int n) {
    Activations.tanhBackwardFromOutput(y, 0, gradY, 0, gradX, 0, n);
  }
}
