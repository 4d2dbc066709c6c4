package dev.nonlinear.kernel;

/**
 * Bias kernels in plain Java, the twins of {@link VectorBias}, also used for their tails. No
 * argument checks: the {@link Bias} facade has made them.
 */
final class ScalarBias {

  private ScalarBias() {}

  static void addToRows(float[] y, int yOff, int rows, int cols, float[] bias, int biasOff) {
    for (int r = 0; r < rows; r++) {
      addRow(y, yOff + r * cols, bias, biasOff, 0, cols);
    }
  }

  /** {@code y[yRow + c] += bias[biasOff + c]} for c in [from, to). */
  static void addRow(float[] y, int yRow, float[] bias, int biasOff, int from, int to) {
    for (int c = from; c < to; c++) {
      y[yRow + c] += bias[biasOff + c];
    }
  }

  static void addToChannels(float[] y, int yOff, int channels, int spatial, float[] bias,
      int biasOff) {
    for (int ch = 0; ch < channels; ch++) {
      addConstant(y, yOff + ch * spatial, bias[biasOff + ch], 0, spatial);
    }
  }

  /** {@code y[yRow + s] += value} for s in [from, to). */
  static void addConstant(float[] y, int yRow, float value, int from, int to) {
    for (int s = from; s < to; s++) {
      y[yRow + s] += value;
    }
  }

  static void accumulateRowSums(float[] g, int gOff, int rows, int cols, float[] gradBias,
      int gradBiasOff) {
    accumulateColumnSums(g, gOff, rows, cols, gradBias, gradBiasOff, 0, cols);
  }

  /** Columns [from, to): each column summed over the rows in order, from 0, then added. */
  static void accumulateColumnSums(float[] g, int gOff, int rows, int cols, float[] gradBias,
      int gradBiasOff, int from, int to) {
    for (int c = from; c < to; c++) {
      float sum = 0f;
      for (int r = 0; r < rows; r++) {
        sum += g[gOff + r * cols + c];
      }
      gradBias[gradBiasOff + c] += sum;
    }
  }

  static void accumulateChannelSums(float[] g, int gOff, int channels, int spatial,
      float[] gradBias, int gradBiasOff) {
    for (int ch = 0; ch < channels; ch++) {
      gradBias[gradBiasOff + ch] += sum(g, gOff + ch * spatial, 0, spatial);
    }
  }

  /** {@code Σ g[row + s]} for s in [from, to), in order, in float. */
  static float sum(float[] g, int row, int from, int to) {
    float sum = 0f;
    for (int s = from; s < to; s++) {
      sum += g[row + s];
    }
    return sum;
  }
}
