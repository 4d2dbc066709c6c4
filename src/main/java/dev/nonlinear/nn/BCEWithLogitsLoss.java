package dev.nonlinear.nn;

/**
 * Binary cross-entropy of logits, as PyTorch's {@code nn.BCEWithLogitsLoss} (without
 * {@code weight} or {@code pos_weight}): {@code −(y·log σ(z) + (1 − y)·log(1 − σ(z)))} per
 * element, computed in the stable form {@code (1 − y)·z + m + log(e^−m + e^(−z−m))} with
 * {@code m = max(−z, 0)}, which never overflows; averaged (default) or summed. The gradient is
 * {@code σ(z) − y}.
 */
public final class BCEWithLogitsLoss extends PointwiseLoss {

  /** The mean, PyTorch's default. */
  public BCEWithLogitsLoss() {
    this(Reduction.MEAN);
  }

  /** The loss with the given reduction. */
  public BCEWithLogitsLoss(Reduction reduction) {
    super("BCEWithLogitsLoss", reduction);
  }

  @Override
  double lossAndGradient(float z, float y, float[] grad, int i) {
    double m = Math.max(-(double) z, 0);
    double sigmoid = z >= 0 ? 1 / (1 + StrictMath.exp(-(double) z))
        : StrictMath.exp(z) / (1 + StrictMath.exp(z));
    grad[i] = (float) (sigmoid - y);
    return (1 - (double) y) * z + m + StrictMath.log(StrictMath.exp(-m)
        + StrictMath.exp(-z - m));
  }
}
