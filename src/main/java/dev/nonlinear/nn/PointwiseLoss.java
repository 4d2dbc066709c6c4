package dev.nonlinear.nn;

import dev.nonlinear.tensor.Tensor;
import java.util.Objects;

/**
 * A loss that compares input and target element by element and reduces the per-element losses
 * by mean or sum, with the gradient with respect to the input kept for {@link #backward()}.
 *
 * <p>Each element's loss and gradient are computed in double and the losses summed in double in
 * index order, so the result is the same on every run and backend; PyTorch sums in float in
 * another order, which agrees to a few float ulp.
 */
abstract class PointwiseLoss {

  private final String name;
  private final Reduction reduction;
  private Tensor gradInput;
  private boolean ran;

  PointwiseLoss(String name, Reduction reduction) {
    this.name = name;
    this.reduction = Objects.requireNonNull(reduction, "reduction");
  }

  /** The loss of element i; also stores its unscaled gradient in {@code grad[i]}. */
  abstract double lossAndGradient(float x, float y, float[] grad, int i);

  /** Checks the values before anything is computed; the default accepts all. */
  void checkValues(float[] input, float[] target) {}

  /**
   * The reduced loss of {@code input} against {@code target}; keeps the gradient for
   * {@link #backward()}.
   *
   * @throws IllegalArgumentException if the shapes differ
   */
  public final float forward(Tensor input, Tensor target) {
    Shapes.requireNonNull(input, name, " input");
    Shapes.requireNonNull(target, name, " target");
    if (!target.hasShape(input.shape())) {
      throw new IllegalArgumentException(name + ": target shape " + target.shapeString()
          + ", expected the input's shape " + input.shapeString());
    }
    float[] x = input.data();
    float[] y = target.data();
    checkValues(x, y);
    gradInput = Shapes.reuse(gradInput, input.shape());
    ran = true;

    float[] grad = gradInput.data();
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      sum += lossAndGradient(x[i], y[i], grad, i);
    }
    if (reduction == Reduction.SUM) {
      return (float) sum;
    }
    float scale = 1f / x.length;
    for (int i = 0; i < grad.length; i++) {
      grad[i] *= scale;
    }
    return (float) (sum / x.length);
  }

  /** The gradient of the last loss with respect to the input, shaped as the input. */
  public final Tensor backward() {
    if (!ran) {
      throw new IllegalStateException(name + ".backward called before forward");
    }
    return gradInput;
  }
}
