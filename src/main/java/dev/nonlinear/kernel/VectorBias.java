package dev.nonlinear.kernel;

import static dev.nonlinear.kernel.VectorSupport.FLOAT_SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Bias kernels on the Vector API, twins of {@link ScalarBias}: vector body to the loop bound,
 * the scalar twin on the tail. No argument checks: the {@link Bias} facade has made them.
 */
final class VectorBias {

  private static final VectorSpecies<Float> SPECIES = FLOAT_SPECIES;

  private VectorBias() {}

  static void addToRows(float[] y, int yOff, int rows, int cols, float[] bias, int biasOff) {
    int bound = SPECIES.loopBound(cols);
    for (int r = 0; r < rows; r++) {
      int row = yOff + r * cols;
      for (int c = 0; c < bound; c += SPECIES.length()) {
        FloatVector vY = FloatVector.fromArray(SPECIES, y, row + c);
        vY.add(FloatVector.fromArray(SPECIES, bias, biasOff + c)).intoArray(y, row + c);
      }
      ScalarBias.addRow(y, row, bias, biasOff, bound, cols);
    }
  }

  static void addToChannels(float[] y, int yOff, int channels, int spatial, float[] bias,
      int biasOff) {
    int bound = SPECIES.loopBound(spatial);
    for (int ch = 0; ch < channels; ch++) {
      int row = yOff + ch * spatial;
      float value = bias[biasOff + ch];
      FloatVector vBias = FloatVector.broadcast(SPECIES, value);
      for (int s = 0; s < bound; s += SPECIES.length()) {
        FloatVector.fromArray(SPECIES, y, row + s).add(vBias).intoArray(y, row + s);
      }
      ScalarBias.addConstant(y, row, value, bound, spatial);
    }
  }

  /**
   * One vector of columns at a time, summed down the rows from 0 and then added to the bias
   * gradient: the same order per column as the scalar twin, so the same bits. Strided reads,
   * but the blocks a layer passes (batch × features) stay in cache.
   */
  static void accumulateRowSums(float[] g, int gOff, int rows, int cols, float[] gradBias,
      int gradBiasOff) {
    int bound = SPECIES.loopBound(cols);
    for (int c = 0; c < bound; c += SPECIES.length()) {
      FloatVector vSum = FloatVector.zero(SPECIES);
      for (int r = 0; r < rows; r++) {
        vSum = vSum.add(FloatVector.fromArray(SPECIES, g, gOff + r * cols + c));
      }
      FloatVector.fromArray(SPECIES, gradBias, gradBiasOff + c).add(vSum)
          .intoArray(gradBias, gradBiasOff + c);
    }
    ScalarBias.accumulateColumnSums(g, gOff, rows, cols, gradBias, gradBiasOff, bound, cols);
  }

  static void accumulateChannelSums(float[] g, int gOff, int channels, int spatial,
      float[] gradBias, int gradBiasOff) {
    for (int ch = 0; ch < channels; ch++) {
      gradBias[gradBiasOff + ch] += sum(g, gOff + ch * spatial, spatial);
    }
  }

  /**
   * {@code Σ g[row + s]} for s in [0, n): two accumulators, enough to hide the add latency at the
   * sizes of a feature map, then the scalar twin on the tail.
   */
  static float sum(float[] g, int row, int n) {
    int lanes = SPECIES.length();
    FloatVector acc0 = FloatVector.zero(SPECIES);
    FloatVector acc1 = FloatVector.zero(SPECIES);
    int s = 0;
    for (int bound2 = SPECIES.loopBound(n / 2) * 2; s < bound2; s += 2 * lanes) {
      acc0 = acc0.add(FloatVector.fromArray(SPECIES, g, row + s));
      acc1 = acc1.add(FloatVector.fromArray(SPECIES, g, row + s + lanes));
    }
    for (int bound = SPECIES.loopBound(n); s < bound; s += lanes) {
      acc0 = acc0.add(FloatVector.fromArray(SPECIES, g, row + s));
    }
    return VectorSupport.sumLanesInOrder(acc0.add(acc1)) + ScalarBias.sum(g, row, s, n);
  }
}
