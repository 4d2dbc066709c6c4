package dev.nonlinear.kernel;

/**
 * Adding a bias vector to the outputs of a layer, and the bias gradient: per column of a
 * {@code rows × cols} matrix (Linear) or per channel of a {@code channels × spatial} block
 * (Conv2d, one image). All matrices are row-major and dense.
 */
public final class Bias {

  private Bias() {}

  /**
   * {@code y[r, c] += bias[c]} for the {@code rows × cols} matrix {@code y}.
   *
   * @throws NullPointerException if an array is null
   * @throws IllegalArgumentException if a size is negative or an array too short
   */
  public static void addToRows(float[] y, int yOff, int rows, int cols, float[] bias,
      int biasOff) {
    checkMatrix("y", y, yOff, "rows", rows, "cols", cols);
    Checks.range("bias", bias, biasOff, cols);

    if (Backend.isVector()) {
      VectorBias.addToRows(y, yOff, rows, cols, bias, biasOff);
    } else {
      ScalarBias.addToRows(y, yOff, rows, cols, bias, biasOff);
    }
  }

  /**
   * {@code y[ch, s] += bias[ch]} for the {@code channels × spatial} block {@code y}.
   *
   * @throws NullPointerException if an array is null
   * @throws IllegalArgumentException if a size is negative or an array too short
   */
  public static void addToChannels(float[] y, int yOff, int channels, int spatial,
      float[] bias, int biasOff) {
    checkMatrix("y", y, yOff, "channels", channels, "spatial", spatial);
    Checks.range("bias", bias, biasOff, channels);

    if (Backend.isVector()) {
      VectorBias.addToChannels(y, yOff, channels, spatial, bias, biasOff);
    } else {
      ScalarBias.addToChannels(y, yOff, channels, spatial, bias, biasOff);
    }
  }

  /**
   * {@code gradBias[c] += Σ_r g[r, c]}: the column sums are formed first (in float, rows in
   * order) and then added, so the result ACCUMULATES onto what {@code gradBias} held, as PyTorch
   * gradients do. Vector and scalar backends give identical bits.
   *
   * @throws NullPointerException if an array is null
   * @throws IllegalArgumentException if a size is negative or an array too short
   */
  public static void accumulateRowSums(float[] g, int gOff, int rows, int cols,
      float[] gradBias, int gradBiasOff) {
    checkMatrix("g", g, gOff, "rows", rows, "cols", cols);
    Checks.range("gradBias", gradBias, gradBiasOff, cols);

    if (Backend.isVector()) {
      VectorBias.accumulateRowSums(g, gOff, rows, cols, gradBias, gradBiasOff);
    } else {
      ScalarBias.accumulateRowSums(g, gOff, rows, cols, gradBias, gradBiasOff);
    }
  }

  /**
   * {@code gradBias[ch] += Σ_s g[ch, s]}, ACCUMULATING as PyTorch gradients do. The sum runs in
   * float; its order differs between backends (several vector accumulators), so results agree
   * to within {@code spatial · ε · Σ|g|}, not bit for bit.
   *
   * @throws NullPointerException if an array is null
   * @throws IllegalArgumentException if a size is negative or an array too short
   */
  public static void accumulateChannelSums(float[] g, int gOff, int channels, int spatial,
      float[] gradBias, int gradBiasOff) {
    checkMatrix("g", g, gOff, "channels", channels, "spatial", spatial);
    Checks.range("gradBias", gradBias, gradBiasOff, channels);

    if (Backend.isVector()) {
      VectorBias.accumulateChannelSums(g, gOff, channels, spatial, gradBias, gradBiasOff);
    } else {
      ScalarBias.accumulateChannelSums(g, gOff, channels, spatial, gradBias, gradBiasOff);
    }
  }

  private static void checkMatrix(String name, float[] array, int offset, String rowsName,
      int rows, String colsName, int cols) {
    Checks.nonNegative(rowsName, rows);
    Checks.nonNegative(colsName, cols);
    Checks.range(name, array, offset, (long) rows * cols);
  }
}
