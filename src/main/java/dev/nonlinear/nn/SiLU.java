package dev.nonlinear.nn;

import dev.nonlinear.kernel.Activations;

/**
 * {@code x σ(x)} (swish), as PyTorch's {@code nn.SiLU} (see {@link Activations#silu}).
 */
public final class SiLU extends ActivationLayer {

  @Override
  public SiLU inferenceCopy() {
    return inferenceMode(new SiLU());
  }

  @Override
  void activate(float[] x, float[] y, int n) {
    Activations.silu(x, 0, y, 0, n);
  }

  @Override
  void gradient(float[] x, float[] y, float[] gradY, float[] gradX, int n) {
    Activations.siluBackward(x, 0, gradY, 0, gradX, 0, n);
  }
}
