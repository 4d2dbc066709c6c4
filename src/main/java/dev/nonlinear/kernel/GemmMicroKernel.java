package dev.nonlinear.kernel;

/**
 * The innermost step of {@link GemmDriver}: one {@code mr x nr} tile of C from one packed
 * micro-panel of A ({@code mr x kc}) and one of B ({@code kc x nr}), as laid out by
 * {@link GemmPacking}.
 *
 * <p>Each output element sums its {@code kc} products in order of {@code p}, in one accumulator,
 * so its value depends on nothing but its own row of A and column of B. The tile is added to C
 * as {@code c = fma(alpha, acc, c)}, one rounding, as {@link GemmDriver#addPartialTile} does.
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
}
