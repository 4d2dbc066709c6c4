package dev.nonlinear.nn;

/**
 * Binary cross-entropy of probabilities, as PyTorch's {@code nn.BCELoss}:
 * {@code −(y·log x + (1 − y)·log(1 − x))} per element, with each log clamped at −100 as PyTorch
 * does (so x = 0 or 1 gives a finite loss), averaged (default) or summed. The gradient is
 * {@code (x − y) / max(x(1 − x), 1e-12)}, PyTorch's guard against division by zero. Input values
 * must lie in [0, 1]; targets usually do too but are not checked (PyTorch does not either).
 *
 * <p>For logits, {@link BCEWithLogitsLoss} is the numerically sound choice.
 */
public final class BCELoss extends PointwiseLoss {

  private static final double LOG_FLOOR = -100;
  private static final double GRADIENT_GUARD = 1e-12;

  /** The mean, PyTorch's default. */
  public BCELoss() {
    this(Reduction.MEAN);
  }

  /** The loss with the given reduction. */
  public BCELoss(Reduction reduction) {
    super("BCELoss", reduction);
  }

  @Override
  void checkValues(float[] input, float[] target) {
    for (int i = 0; i < input.length; i++) {
      if (!(input[i] >= 0 && input[i] <= 1)) {
        throw new IllegalArgumentException("BCELoss: input[" + i + "] = " + input[i]
            + ": expected a probability in [0, 1]");
      }
    }
  }

  @Override
  double lossAndGradient(float x, float y, float[] grad, int i) {
    double logX = Math.max(StrictMath.log(x), LOG_FLOOR);
    double logOneMinusX = Math.max(StrictMath.log(1 - (double) x), LOG_FLOOR);
    grad[i] = (float) (((double) x - y) / Math.max(x * (1 - (double) x), GRADIENT_GUARD));
    return -(y * logX + (1 - (double) y) * logOneMinusX);
  }
}
