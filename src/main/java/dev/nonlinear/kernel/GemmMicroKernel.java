package dev.nonlinear.kernel;

/**
 * What {@link GemmDriver} needs from an implementation (vector or scalar): the register-tiled
 * micro-kernel of the packed path, and the row of dot products of the unpacked A B^T path.
 *
 * <p>{@link #multiply}: one {@code mr x nr} tile of C from one packed micro-panel of A
 * ({@code mr x kc}) and one of B ({@code kc x nr}), as laid out by {@link GemmPacking}. Each
 * output element sums its {@code kc} products in order of {@code p}, in one accumulator, so its
 * value depends on nothing but its own row of A and column of B. The tile is added to C as
 * {@code c = fma(alpha, acc, c)}, one rounding, as {@link GemmDriver#addPartialTile} does.
 */
interface GemmMicroKernel {

  /** Rows of a tile, and of a packed A micro-panel. */
  int mr();

  /** Columns of a tile, and of a packed B micro-panel. */
  int nr();

  /**
   * Adds alpha times the product to the {@code rows x cols} corner of the tile at
   * {@code c[cIndex]} (row stride {@code ldc}); rows and columns past it are computed from zero
   * padding and dropped.
   * {@code tile} is scratch of at least {@code mr * nr} floats for the partial-tile case.
   */
  void multiply(int kc, float[] packedA, int aPanel, float[] packedB, int bPanel, float alpha,
      float[] c, int cIndex, int ldc, int rows, int cols, float[] tile);

  /**
   * {@code c[cIndex + j] = fma(alpha, dot_j, c[cIndex + j])} for j in [0, cols), where dot_j is
   * the dot product of {@code a[aRow, aRow + k)} with {@code b[bRow + j ldb, + k)}: one row of
   * A B^T from contiguous rows of A and B. Each dot sums in the same order however many columns
   * one call asks for.
   */
  void addDots(int k, float[] a, int aRow, float[] b, int bRow, int ldb, int cols, float alpha,
      float[] c, int cIndex);
}
