package dev.nonlinear.nn;

import dev.nonlinear.tensor.Tensor;

/**
 * An activation over whole rows of the last dimension (softmax, log-softmax): the input is seen
 * as a row-major {@code rows × cols} matrix, {@code cols} the size of the last dimension.
 *
 * <p>Known shortcoming: only the last dimension is supported. PyTorch accepts any {@code dim};
 * here a {@code dim} that does not name the last dimension of the input is rejected at forward,
 * because the row kernels need each row contiguous and a strided form does not exist yet.
 */
abstract class RowwiseActivation extends ActivationLayer {

  private final int dim;
  private int cols;

  RowwiseActivation(int dim) {
    this.dim = dim;
  }

  /** The dimension given at construction. */
  final int dim() {
    return dim;
  }

  @Override
  final void checkInput(Tensor x) {
    int rank = x.rank();
    if (rank < 1) {
      throw new IllegalArgumentException(name() + ": input shape " + x.shapeString()
          + ", expected at least one dimension");
    }
    if (dim != -1 && dim != rank - 1) {
      throw new IllegalArgumentException(name() + ": dim = " + dim + " with input shape "
          + x.shapeString() + ", expected the last dimension (-1 or " + (rank - 1) + ")");
    }
    cols = x.size(-1);
  }

  @Override
  final void activate(float[] x, float[] y, int n) {
    activateRows(x, y, rows(n), cols);
  }

  @Override
  final void gradient(float[] x, float[] y, float[] gradY, float[] gradX, int n) {
    gradientRows(y, gradY, gradX, rows(n), cols);
  }

  /** The rows of the forward output: {@code y = f(x)} per row. */
  abstract void activateRows(float[] x, float[] y, int rows, int cols);

  /** {@code gradX} per row from the forward output {@code y}. */
  abstract void gradientRows(float[] y, float[] gradY, float[] gradX, int rows, int cols);

  private int rows(int n) {
    return cols == 0 ? 0 : n / cols;
  }

  @Override
  protected final String extraRepr() {
    return "dim=" + dim;
  }
}
