package dev.nonlinear.nn;

/** How a loss combines the per-sample losses, as PyTorch's {@code reduction} argument. */
public enum Reduction {
  /** The average over samples (PyTorch's default). */
  MEAN,
  /** The sum over samples. */
  SUM
}
