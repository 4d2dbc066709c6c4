package dev.nonlinear.kernel;

/**
 * Softmax, log-softmax, their gradients and cross-entropy in plain Java: the twins of
 * {@link VectorSoftmax}, whose tails call the row helpers here on the columns
 * {@code [from, to)} the vector body left. No argument checks: the facades have made them.
 *
 * <p>Every row subtracts its maximum before exponentiating, so no finite input overflows. The
 * IEEE rules then give PyTorch's answers for non-finite input without special cases: a NaN or
 * +inf in a row, or a row of only −inf, makes {@code x − max} NaN somewhere and the whole row
 * NaN; a −inf beside finite values gives 0 (log-softmax −inf).
 */
final class ScalarSoftmax {

  private ScalarSoftmax() {}

  static void softmax(float[] x, int xOff, float[] y, int yOff, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int xRow = xOff + r * cols;
      int yRow = yOff + r * cols;
      float max = max(x, xRow, Float.NEGATIVE_INFINITY, 0, cols);
      float sum = expShifted(x, xRow, max, y, yRow, 0, cols);
      scale(y, yRow, 1f / sum, 0, cols);
    }
  }

  static void logSoftmax(float[] x, int xOff, float[] y, int yOff, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int xRow = xOff + r * cols;
      int yRow = yOff + r * cols;
      float max = max(x, xRow, Float.NEGATIVE_INFINITY, 0, cols);
      float logSum = (float) Math.log(sumExpShifted(x, xRow, max, 0, cols));
      shift(x, xRow, max, logSum, y, yRow, 0, cols);
    }
  }

  static void softmaxBackward(float[] y, int yOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int yRow = yOff + r * cols;
      int gyRow = gyOff + r * cols;
      float dot = dot(gradY, gyRow, y, yRow, 0, cols);
      softmaxGradient(y, yRow, gradY, gyRow, dot, gradX, gxOff + r * cols, 0, cols);
    }
  }

  static void logSoftmaxBackward(float[] y, int yOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int gyRow = gyOff + r * cols;
      float sum = ScalarBias.sum(gradY, gyRow, 0, cols);
      logSoftmaxGradient(y, yOff + r * cols, gradY, gyRow, sum, gradX, gxOff + r * cols, 0,
          cols);
    }
  }

  static float crossEntropy(float[] logits, int logitsOff, int rows, int cols, int[] targets,
      int targetsOff, float[] gradLogits, int gradOff) {
    float invRows = (float) (1.0 / rows);
    double lossSum = 0;
    for (int r = 0; r < rows; r++) {
      int xRow = logitsOff + r * cols;
      int target = targets[targetsOff + r];
      float targetLogit = logits[xRow + target];
      float max = max(logits, xRow, Float.NEGATIVE_INFINITY, 0, cols);
      float sum;
      if (gradLogits == null) {
        sum = sumExpShifted(logits, xRow, max, 0, cols);
      } else {
        int gRow = gradOff + r * cols;
        sum = expShifted(logits, xRow, max, gradLogits, gRow, 0, cols);
        float invSum = 1f / sum;
        float targetProbability = gradLogits[gRow + target] * invSum;
        scaleTwice(gradLogits, gRow, invSum, invRows, 0, cols);
        gradLogits[gRow + target] = (targetProbability - 1f) * invRows;
      }
      lossSum += rowLoss(targetLogit, max, sum);
    }
    return (float) (lossSum / rows);
  }

  /** {@code −log softmax(x)[t] = log Σ exp(x − max) − (x[t] − max)}, in double. */
  static double rowLoss(float targetLogit, float max, float sumExpShifted) {
    return Math.log(sumExpShifted) - ((double) targetLogit - max);
  }

  /** {@code g[c] = g[c]·invSum·invRows} (in that order) for c in [from, to). */
  static void scaleTwice(float[] g, int gRow, float invSum, float invRows, int from, int to) {
    for (int c = from; c < to; c++) {
      g[gRow + c] = g[gRow + c] * invSum * invRows;
    }
  }

  /** Max of {@code start} and {@code x[row + c]} for c in [from, to); NaN wins, as Math.max. */
  static float max(float[] x, int row, float start, int from, int to) {
    float max = start;
    for (int c = from; c < to; c++) {
      max = Math.max(max, x[row + c]);
    }
    return max;
  }

  /** Writes {@code y[c] = exp(x[c] − max)} for c in [from, to) and returns their sum. */
  static float expShifted(float[] x, int xRow, float max, float[] y, int yRow, int from,
      int to) {
    float sum = 0f;
    for (int c = from; c < to; c++) {
      float e = ScalarMath.exp(x[xRow + c] - max);
      y[yRow + c] = e;
      sum += e;
    }
    return sum;
  }

  /** {@code Σ exp(x[c] − max)} for c in [from, to), nothing written. */
  static float sumExpShifted(float[] x, int xRow, float max, int from, int to) {
    float sum = 0f;
    for (int c = from; c < to; c++) {
      sum += ScalarMath.exp(x[xRow + c] - max);
    }
    return sum;
  }

  /** {@code y[c] *= factor} for c in [from, to). */
  static void scale(float[] y, int yRow, float factor, int from, int to) {
    for (int c = from; c < to; c++) {
      y[yRow + c] *= factor;
    }
  }

  /** {@code y[c] = (x[c] − max) − logSum} for c in [from, to). */
  static void shift(float[] x, int xRow, float max, float logSum, float[] y, int yRow, int from,
      int to) {
    for (int c = from; c < to; c++) {
      y[yRow + c] = (x[xRow + c] - max) - logSum;
    }
  }

  /** {@code Σ a[c]·b[c]} for c in [from, to), in float. */
  static float dot(float[] a, int aRow, float[] b, int bRow, int from, int to) {
    float sum = 0f;
    for (int c = from; c < to; c++) {
      sum += a[aRow + c] * b[bRow + c];
    }
    return sum;
  }

  /** {@code gradX[c] = y[c]·(gradY[c] − dot)} for c in [from, to). */
  static void softmaxGradient(float[] y, int yRow, float[] gradY, int gyRow, float dot,
      float[] gradX, int gxRow, int from, int to) {
    for (int c = from; c < to; c++) {
      gradX[gxRow + c] = y[yRow + c] * (gradY[gyRow + c] - dot);
    }
  }

  /** {@code gradX[c] = gradY[c] − exp(y[c])·sum} for c in [from, to). */
  static void logSoftmaxGradient(float[] y, int yRow, float[] gradY, int gyRow, float sum,
      float[] gradX, int gxRow, int from, int to) {
    for (int c = from; c < to; c++) {
      gradX[gxRow + c] = gradY[gyRow + c] - ScalarMath.exp(y[yRow + c]) * sum;
    }
  }
}
