package dev.nonlinear.nn;

import dev.nonlinear.kernel.Activations;

/**
 * {@code 1 / (1 + e^-x)}, as PyTorch's {@code nn.Sigmoid}. The gradient is computed from the output
 * as PyTorch does, {@code gradY · (1 - y) · y}: 0 where y rounds to 1 (see
 * {@link Activations#sigmoidBackwardFromOutput}).
 */
public final class Sigmoid extends ActivationLayer {

  @Override
  public Sigmoid inferenceCopy() {
    return inferenceMode(new Sigmoid());
  }

  @Override
  void activate(float[] x, float[] y, int n) {
    Activations.sigmoid(x, 0, y, 0, n);
  }

  @Override
  void gradient(float[] x, float[] y, float[] gradY, float[] gradX, int n) {
    Activations.sigmoidBackwardFromOutput(y, 0, gradY, 0, gradX, 0, n);
  }
}
