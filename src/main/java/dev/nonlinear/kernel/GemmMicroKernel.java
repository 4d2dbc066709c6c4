package dev.nonlinear.kernel;

/**
 * What {@link GemmDriver} needs from an implementation (vector or scalar): the register-tiled
 * micro-kernel of the packed path, and the row of dot products of the unpacked A B^T path.
 *
 * <p>{@link #multiply}: one {@code mr x nr} tile of sums from one packed micro-panel of A
 * ({@code mr x kc}) and one of B ({@code kc x nr}), as laid out by {@link GemmPacking}. Each
 * sum runs over its {@code kc} products in order of {@code p}, in one accumulator, so its value
 * depends on nothing but its own row of A and column of B. {@link #addTile} then adds the tile
 * to C as {@code c = fma(alpha, sum, c)}, one rounding, as {@link GemmDriver#addPartialTile}
 * does.
 */
interface GemmMicroKernel {

  /** Rows of a tile, and of a packed A micro-panel. */
  int mr();

  /** Columns of a tile, and of a packed B micro-panel. */
  int nr();

  /**
   * Writes the tile of sums, {@code mr} rows of {@code nr}, to {@code tile[0, mr nr)}. The sums
   * are only written here, not added to C: a loop that must also keep alpha and C's indices
   * alive beside its accumulators ran at about 55% of the speed of this one (C2, AVX2, 16
   * registers).
   */
  void multiply(int kc, float[] packedA, int aPanel, float[] packedB, int bPanel, float[] tile);

  /**
   * {@code c = fma(alpha, tile, c)} over the {@code rows x cols} corner of the tile at
   * {@code c[cIndex]} (row stride {@code ldc}); the rest of the tile, computed from zero
   * padding, is dropped.
   */
  void addTile(float[] tile, int rows, int cols, float alpha, float[] c, int cIndex, int ldc);

  /**
   * {@code c = fma(alpha, tile, +0)} over the same corner: what {@link #addTile} gives on a C
   * that beta = 0 has cleared, without clearing or reading C first (whatever it held, NaN
   * included, is overwritten). For the first K step of a product with beta = 0.
   */
  void storeTile(float[] tile, int rows, int cols, float alpha, float[] c, int cIndex, int ldc);

  /**
   * {@code c[cIndex + j] = fma(alpha, dot_j, c[cIndex + j])} for j in [0, cols), where dot_j is
   * the dot product of {@code a[aRow, aRow + k)} with {@code b[bRow + j ldb, + k)}: one row of
   * A B^T from contiguous rows of A and B. Each dot sums in the same order however many columns
   * one call asks for.
   */
  void addDots(int k, float[] a, int aRow, float[] b, int bRow, int ldb, int cols, float alpha,
      float[] c, int cIndex);

  /**
   * {@code sums[j] = sum_p x[xOff + p xStride] m[mOff + p ldm + j]} for j in [0, cols): a row
   * vector times a matrix, the matrix read a stored row at a time. Each sum runs in order of p,
   * in one accumulator, the same way wherever j falls in [0, cols).
   */
  void sumScaledRows(int k, float[] x, int xOff, int xStride, float[] m, int mOff, int ldm,
      int cols, float[] sums);
}
