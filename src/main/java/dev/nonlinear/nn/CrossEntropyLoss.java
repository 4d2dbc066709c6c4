package dev.nonlinear.nn;

import dev.nonlinear.kernel.Softmax;
import dev.nonlinear.tensor.Tensor;
import java.util.Objects;

/**
 * Cross-entropy of logits against class indices, as PyTorch's {@code nn.CrossEntropyLoss}:
 * log-softmax and negative log-likelihood in one numerically stable step. Logits are
 * {@code [N, classes]}; targets hold N indices in [0, classes).
 */
public final class CrossEntropyLoss {

  private final Reduction reduction;
  private Tensor gradLogits;
  private int[] shape;

  /** The mean over the batch, PyTorch's default. */
  public CrossEntropyLoss() {
    this(Reduction.MEAN);
  }

  /** The loss with the given reduction. */
  public CrossEntropyLoss(Reduction reduction) {
    this.reduction = Objects.requireNonNull(reduction, "reduction");
  }

  /**
   * The loss of {@code logits} for {@code targets}; keeps the gradient for {@link #backward()}.
   *
   * @throws IllegalArgumentException if logits are not {@code [N, C]}, targets do not hold N
   *     values, or a target is outside [0, C)
   */
  public float forward(Tensor logits, int[] targets) {
    shape = null;
    Objects.requireNonNull(logits, "logits");
    Objects.requireNonNull(targets, "targets");
    if (logits.rank() != 2 || logits.size(1) < 1) {
      throw new IllegalArgumentException("CrossEntropyLoss: logits shape "
          + logits.shapeString() + ", expected [N, classes]");
    }
    int rows = logits.size(0);
    int classes = logits.size(1);
    if (targets.length != rows) {
      throw new IllegalArgumentException("CrossEntropyLoss: " + targets.length
          + " targets for " + rows + " rows of logits");
    }
    gradLogits = Shapes.reuse(gradLogits, rows, classes);

    float mean = Softmax.crossEntropy(logits.data(), 0, rows, classes, targets, 0,
        gradLogits.data(), 0);
    shape = logits.shape();
    if (reduction == Reduction.MEAN) {
      return mean;
    }
    scale(gradLogits.data(), rows);
    return mean * rows;
  }

  /** The gradient of the last loss with respect to the logits, {@code [N, classes]}. */
  public Tensor backward() {
    if (shape == null) {
      throw new IllegalStateException("CrossEntropyLoss.backward called before forward");
    }
    return gradLogits;
  }

  private static void scale(float[] values, float factor) {
    for (int i = 0; i < values.length; i++) {
      values[i] *= factor;
    }
  }
}
