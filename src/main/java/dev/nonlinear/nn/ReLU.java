package dev.nonlinear.nn;

import dev.nonlinear.kernel.Activations;

/**
 * {@code max(0, x)} elementwise, as PyTorch's {@code nn.ReLU}: NaN stays NaN, and the gradient
 * at 0 is 0.
 */
public final class ReLU extends ActivationLayer {

  @Override
  public ReLU inferenceCopy() {
    return inferenceMode(new ReLU());
  }

  @Override
  void activate(float[] x, float[] y, int n) {
    Activations.relu(x, 0, y, 0, n);
  }

  @Override
  void gradient(float[] x, float[] y, float[] gradY, float[] gradX, int n) {
    Activations.reluBackward(x, 0, gradY, 0, gradX, 0, n);
  }
}
