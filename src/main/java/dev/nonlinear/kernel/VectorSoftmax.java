package dev.nonlinear.kernel;

import static dev.nonlinear.kernel.VectorSupport.FLOAT_SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax, log-softmax, their gradients and cross-entropy on the Vector API, the twins of
 * {@link ScalarSoftmax}: each row pass runs a vector body to the loop bound and hands the tail
 * to the scalar row helper. No argument checks: the facades have made them.
 *
 * <p>{@code exp} is {@link VectorMath#exp}, the lane-for-lane mirror of {@link ScalarMath#exp}
 * (within 2 ulp), not {@code lanewise(EXP)}: that one gives other last bits before and after the
 * JIT compiles it, which made training runs differ from run to run. Lane sums are added in lane
 * order for the same reason ({@link VectorSupport#sumLanesInOrder}). The lanewise {@code MAX}
 * propagates NaN as {@link Math#max} does, so the NaN rules of the scalar
 * twin hold here too. Sums run in lanes and then across, a different order from the scalar
 * twin, so results agree within the error bounds the tests state, not bit for bit.
 */
final class VectorSoftmax {

  private static final VectorSpecies<Float> SPECIES = FLOAT_SPECIES;

  private VectorSoftmax() {}

  static void softmax(float[] x, int xOff, float[] y, int yOff, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int xRow = xOff + r * cols;
      int yRow = yOff + r * cols;
      float max = max(x, xRow, cols);
      float sum = expShifted(x, xRow, max, y, yRow, cols);
      scale(y, yRow, 1f / sum, cols);
    }
  }

  static void logSoftmax(float[] x, int xOff, float[] y, int yOff, int rows, int cols) {
    int bound = SPECIES.loopBound(cols);
    for (int r = 0; r < rows; r++) {
      int xRow = xOff + r * cols;
      int yRow = yOff + r * cols;
      float max = max(x, xRow, cols);
      float logSum = (float) Math.log(sumExpShifted(x, xRow, max, cols));

      FloatVector vMax = FloatVector.broadcast(SPECIES, max);
      for (int c = 0; c < bound; c += SPECIES.length()) {
        FloatVector.fromArray(SPECIES, x, xRow + c).sub(vMax).sub(logSum)
            .intoArray(y, yRow + c);
      }
      ScalarSoftmax.shift(x, xRow, max, logSum, y, yRow, bound, cols);
    }
  }

  static void softmaxBackward(float[] y, int yOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int rows, int cols) {
    int bound = SPECIES.loopBound(cols);
    for (int r = 0; r < rows; r++) {
      int yRow = yOff + r * cols;
      int gyRow = gyOff + r * cols;
      int gxRow = gxOff + r * cols;
      float dot = dot(gradY, gyRow, y, yRow, cols);

      for (int c = 0; c < bound; c += SPECIES.length()) {
        FloatVector vGy = FloatVector.fromArray(SPECIES, gradY, gyRow + c);
        FloatVector.fromArray(SPECIES, y, yRow + c).mul(vGy.sub(dot)).intoArray(gradX, gxRow + c);
      }
      ScalarSoftmax.softmaxGradient(y, yRow, gradY, gyRow, dot, gradX, gxRow, bound, cols);
    }
  }

  static void logSoftmaxBackward(float[] y, int yOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int rows, int cols) {
    int bound = SPECIES.loopBound(cols);
    for (int r = 0; r < rows; r++) {
      int yRow = yOff + r * cols;
      int gyRow = gyOff + r * cols;
      int gxRow = gxOff + r * cols;
      float sum = VectorBias.sum(gradY, gyRow, cols);

      for (int c = 0; c < bound; c += SPECIES.length()) {
        FloatVector vExp = VectorMath.exp(FloatVector.fromArray(SPECIES, y, yRow + c));
        FloatVector.fromArray(SPECIES, gradY, gyRow + c).sub(vExp.mul(sum))
            .intoArray(gradX, gxRow + c);
      }
      ScalarSoftmax.logSoftmaxGradient(y, yRow, gradY, gyRow, sum, gradX, gxRow, bound, cols);
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
      float max = max(logits, xRow, cols);
      float sum;
      if (gradLogits == null) {
        sum = sumExpShifted(logits, xRow, max, cols);
      } else {
        int gRow = gradOff + r * cols;
        sum = expShifted(logits, xRow, max, gradLogits, gRow, cols);
        float invSum = 1f / sum;
        float targetProbability = gradLogits[gRow + target] * invSum;
        scaleTwice(gradLogits, gRow, invSum, invRows, cols);
        gradLogits[gRow + target] = (targetProbability - 1f) * invRows;
      }
      lossSum += ScalarSoftmax.rowLoss(targetLogit, max, sum);
    }
    return (float) (lossSum / rows);
  }

  /** Max of the row, NaN winning. */
  private static float max(float[] x, int row, int n) {
    int bound = SPECIES.loopBound(n);
    FloatVector vMax = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
    for (int c = 0; c < bound; c += SPECIES.length()) {
      vMax = vMax.max(FloatVector.fromArray(SPECIES, x, row + c));
    }
    return ScalarSoftmax.max(x, row, vMax.reduceLanes(VectorOperators.MAX), bound, n);
  }

  /** Writes {@code y[c] = exp(x[c] − max)} on the row and returns their sum. */
  private static float expShifted(float[] x, int xRow, float max, float[] y, int yRow, int n) {
    int bound = SPECIES.loopBound(n);
    FloatVector vMax = FloatVector.broadcast(SPECIES, max);
    FloatVector vSum = FloatVector.zero(SPECIES);
    for (int c = 0; c < bound; c += SPECIES.length()) {
      FloatVector vExp = VectorMath.exp(FloatVector.fromArray(SPECIES, x, xRow + c)
          .sub(vMax));
      vExp.intoArray(y, yRow + c);
      vSum = vSum.add(vExp);
    }
    return VectorSupport.sumLanesInOrder(vSum)
        + ScalarSoftmax.expShifted(x, xRow, max, y, yRow, bound, n);
  }

  /** {@code Σ exp(x[c] − max)} on the row, nothing written. */
  private static float sumExpShifted(float[] x, int xRow, float max, int n) {
    int bound = SPECIES.loopBound(n);
    FloatVector vMax = FloatVector.broadcast(SPECIES, max);
    FloatVector vSum = FloatVector.zero(SPECIES);
    for (int c = 0; c < bound; c += SPECIES.length()) {
      vSum = vSum.add(VectorMath.exp(FloatVector.fromArray(SPECIES, x, xRow + c)
          .sub(vMax)));
    }
    return VectorSupport.sumLanesInOrder(vSum)
        + ScalarSoftmax.sumExpShifted(x, xRow, max, bound, n);
  }

  /** {@code y[c] *= factor} on the row. */
  private static void scale(float[] y, int row, float factor, int n) {
    int bound = SPECIES.loopBound(n);
    for (int c = 0; c < bound; c += SPECIES.length()) {
      FloatVector.fromArray(SPECIES, y, row + c).mul(factor).intoArray(y, row + c);
    }
    ScalarSoftmax.scale(y, row, factor, bound, n);
  }

  /** {@code g[c] = g[c]·first·second} (in that order) on the row. */
  private static void scaleTwice(float[] g, int row, float first, float second, int n) {
    int bound = SPECIES.loopBound(n);
    for (int c = 0; c < bound; c += SPECIES.length()) {
      FloatVector.fromArray(SPECIES, g, row + c).mul(first).mul(second).intoArray(g, row + c);
    }
    ScalarSoftmax.scaleTwice(g, row, first, second, bound, n);
  }

  /** {@code Σ a[c]·b[c]} on the row, in float lanes. */
  private static float dot(float[] a, int aRow, float[] b, int bRow, int n) {
    int bound = SPECIES.loopBound(n);
    FloatVector vSum = FloatVector.zero(SPECIES);
    for (int c = 0; c < bound; c += SPECIES.length()) {
      vSum = FloatVector.fromArray(SPECIES, a, aRow + c)
          .fma(FloatVector.fromArray(SPECIES, b, bRow + c), vSum);
    }
    return VectorSupport.sumLanesInOrder(vSum)
        + ScalarSoftmax.dot(a, aRow, b, bRow, bound, n);
  }
}
