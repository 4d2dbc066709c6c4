package dev.nonlinear.nn;

/**
 * What every optimizer does, as {@code torch.optim.Optimizer}: a training loop written against
 * this runs with {@link SGD}, {@link Adam} or {@link AdamW}.
 */
public interface Optimizer {

  /** Updates every parameter from its accumulated gradient, by the optimizer's rule. */
  void step();

  /** Sets every parameter's gradient to zero, before the next backward pass accumulates. */
  void zeroGrad();
}
