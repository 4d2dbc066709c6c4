package dev.nonlinear.nn;

import dev.nonlinear.tensor.Tensor;

/**
 * A trainable tensor and the gradient accumulated for it. As in PyTorch, backward passes add to
 * {@link #grad()}; {@link #zeroGrad()} (or the optimizer's) clears it between steps.
 */
public final class Parameter {

  private final Tensor value;
  private final Tensor grad;

  /** A parameter over {@code value}, with a zero gradient of the same shape. */
  public Parameter(Tensor value) {
    this.value = value;
    this.grad = Tensor.zeros(value.shape());
  }

  /** The values; layers read them, optimizers update them in place. */
  public Tensor value() {
    return value;
  }

  /** The accumulated gradient, same shape as {@link #value()}. */
  public Tensor grad() {
    return grad;
  }

  /** Sets the gradient to zero. */
  public void zeroGrad() {
    grad.fill(0f);
  }

  /** The number of values. */
  public int numel() {
    return value.numel();
  }
}
