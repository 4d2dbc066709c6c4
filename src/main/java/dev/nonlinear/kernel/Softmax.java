package dev.nonlinear.kernel;

import java.util.Objects;

/**
 * Row-wise softmax and log-softmax over a row-major {@code rows × cols} matrix, their
 * gradients, and the cross-entropy loss of logits against class indices.
 *
 * <p>Each row subtracts its maximum before exponentiating, so finite input never overflows.
 * Non-finite input gives PyTorch's answers: a row holding NaN or +inf, or a row of only −inf,
 * comes out all NaN; a −inf beside finite values gives probability 0 (log-softmax −inf).
 *
 * <p>Where an output may be the input itself it says so; an output that overlaps an input
 * partly (same array, different offset, ranges crossing) gives unspecified results.
 */
public final class Softmax {

  private Softmax() {}

  /**
   * {@code y[r, c] = exp(x[r, c] − max_r) / Σ_c' exp(x[r, c'] − max_r)}. {@code y} may be
   * {@code x} at the same offset.
   *
   * @throws NullPointerException if an array is null
   * @throws IllegalArgumentException if a size is negative or an array too short
   */
  public static void softmax(float[] x, int xOff, float[] y, int yOff, int rows, int cols) {
    checkMatrices(rows, cols, "x", x, xOff, "y", y, yOff);

    if (Backend.isVector()) {
      VectorSoftmax.softmax(x, xOff, y, yOff, rows, cols);
    } else {
      ScalarSoftmax.softmax(x, xOff, y, yOff, rows, cols);
    }
  }

  /**
   * {@code y[r, c] = (x[r, c] − max_r) − log Σ_c' exp(x[r, c'] − max_r)}. {@code y} may be
   * {@code x} at the same offset.
   *
   * @throws NullPointerException if an array is null
   * @throws IllegalArgumentException if a size is negative or an array too short
   */
  public static void logSoftmax(float[] x, int xOff, float[] y, int yOff, int rows, int cols) {
    checkMatrices(rows, cols, "x", x, xOff, "y", y, yOff);

    if (Backend.isVector()) {
      VectorSoftmax.logSoftmax(x, xOff, y, yOff, rows, cols);
    } else {
      ScalarSoftmax.logSoftmax(x, xOff, y, yOff, rows, cols);
    }
  }

  /**
   * The input gradient of softmax: {@code gradX = y ⊙ (gradY − Σ_c gradY·y)} per row, with
   * {@code y} the softmax output. {@code gradX} may be {@code gradY} at the same offset.
   *
   * @throws NullPointerException if an array is null
   * @throws IllegalArgumentException if a size is negative or an array too short
   */
  public static void softmaxBackward(float[] y, int yOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int rows, int cols) {
    checkMatrices(rows, cols, "y", y, yOff, "gradY", gradY, gyOff);
    Checks.range("gradX", gradX, gxOff, (long) rows * cols);

    if (Backend.isVector()) {
      VectorSoftmax.softmaxBackward(y, yOff, gradY, gyOff, gradX, gxOff, rows, cols);
    } else {
      ScalarSoftmax.softmaxBackward(y, yOff, gradY, gyOff, gradX, gxOff, rows, cols);
    }
  }

  /**
   * The input gradient of log-softmax: {@code gradX = gradY − exp(y)·Σ_c gradY} per row, with
   * {@code y} the log-softmax output. {@code gradX} may be {@code gradY} at the same offset.
   *
   * @throws NullPointerException if an array is null
   * @throws IllegalArgumentException if a size is negative or an array too short
   */
  public static void logSoftmaxBackward(float[] y, int yOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int rows, int cols) {
    checkMatrices(rows, cols, "y", y, yOff, "gradY", gradY, gyOff);
    Checks.range("gradX", gradX, gxOff, (long) rows * cols);

    if (Backend.isVector()) {
      VectorSoftmax.logSoftmaxBackward(y, yOff, gradY, gyOff, gradX, gxOff, rows, cols);
    } else {
      ScalarSoftmax.logSoftmaxBackward(y, yOff, gradY, gyOff, gradX, gxOff, rows, cols);
    }
  }

  /**
   * The mean cross-entropy of {@code logits [rows, cols]} against class indices:
   * {@code (1/rows) Σ_r (log Σ_c exp(x[r, c]) − x[r, t_r])}, each row's term and the mean in
   * double, returned rounded to float (PyTorch's {@code cross_entropy} with
   * {@code reduction='mean'}; NaN for 0 rows, as PyTorch's mean of nothing). When
   * {@code gradLogits} is not null it receives the gradient of that mean,
   * {@code (softmax(x) − onehot(t)) / rows}; it may be {@code logits} at the same offset.
   *
   * @throws NullPointerException if {@code logits} or {@code targets} is null
   * @throws IllegalArgumentException if a size is negative, an array too short, or a target
   *     outside {@code [0, cols)} (naming its row and value); nothing is written then
   */
  public static float crossEntropy(float[] logits, int logitsOff, int rows, int cols,
      int[] targets, int targetsOff, float[] gradLogits, int gradOff) {
    Checks.nonNegative("rows", rows);
    Checks.nonNegative("cols", cols);
    Checks.range("logits", logits, logitsOff, (long) rows * cols);
    Checks.range("targets", targets, targetsOff, rows);
    if (gradLogits != null) {
      Checks.range("gradLogits", gradLogits, gradOff, (long) rows * cols);
    }
    requireClasses(targets, targetsOff, rows, cols);

    if (Backend.isVector()) {
      return VectorSoftmax.crossEntropy(logits, logitsOff, rows, cols, targets, targetsOff,
          gradLogits, gradOff);
    }
    return ScalarSoftmax.crossEntropy(logits, logitsOff, rows, cols, targets, targetsOff,
        gradLogits, gradOff);
  }

  private static void checkMatrices(int rows, int cols, String aName, float[] a, int aOff,
      String bName, float[] b, int bOff) {
    Checks.nonNegative("rows", rows);
    Checks.nonNegative("cols", cols);
    Checks.range(aName, a, aOff, (long) rows * cols);
    Checks.range(bName, b, bOff, (long) rows * cols);
  }

  private static void requireClasses(int[] targets, int targetsOff, int rows, int cols) {
    Objects.requireNonNull(targets, "targets");
    for (int r = 0; r < rows; r++) {
      int target = targets[targetsOff + r];
      if (target < 0 || target >= cols) {
        throw new IllegalArgumentException("targets[" + r + "] (row " + r + ") = " + target
            + ": expected a class index in [0, " + cols + ")");
      }
    }
  }
}
