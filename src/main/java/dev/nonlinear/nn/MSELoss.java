package dev.nonlinear.nn;

/**
 * Mean squared error, as PyTorch's {@code nn.MSELoss}: {@code (x − y)²} per element, averaged
 * (default) or summed; the gradient is {@code 2(x − y)}, divided by the element count for the
 * mean. Input and target have the same, any, shape.
 */
public final class MSELoss extends PointwiseLoss {

  /** The mean, PyTorch's default. */
  public MSELoss() {
    this(Reduction.MEAN);
  }

  /** The loss with the given reduction. */
  public MSELoss(Reduction reduction) {
    super("MSELoss", reduction);
  }

  @Override
  double lossAndGradient(float x, float y, float[] grad, int i) {
    double difference = (double) x - y;
    grad[i] = (float) (2 * difference);
    return difference * difference;
  }
}
