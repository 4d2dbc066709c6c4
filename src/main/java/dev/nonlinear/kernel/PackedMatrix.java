package dev.nonlinear.kernel;

import java.util.Objects;

/**
 * The right-hand matrix B of {@code C = alpha op(A) B + beta C}, packed once into the layout the
 * GEMM micro-kernel reads, for many products with small A's. {@link Blas#sgemm} packs B anew on
 * every call, which for a product like a recurrent layer's step (32 × 1024 × 256: the batch's
 * hidden states times the hidden weights) costs more than the multiply-adds themselves; packed
 * once per sequence, the weights are only read.
 *
 * <p>{@link #multiply} gives the same bits as {@link Blas#sgemm} gives on its packed path (the
 * one it takes unless m or n is at most 16 or the product is tiny), on any thread count, since it
 * runs that path's loops minus the packing of B. The layout belongs to the backend chosen at
 * start-up; a packed matrix is not meant to outlive the process.
 *
 * <p>Not thread-safe while {@link #pack} runs; {@link #multiply} only reads the packed values,
 * so any number of threads may multiply by one packed matrix at once.
 */
public final class PackedMatrix {

  private final int rows;
  private final int cols;
  private final float[] packed;

  /**
   * Room for a {@code rows × cols} matrix (k × n of the products), all zeros until packed.
   *
   * @throws IllegalArgumentException if a size is negative or the packed matrix would not fit
   *     in a Java array
   */
  public PackedMatrix(int rows, int cols) {
    this.rows = Checks.nonNegative("rows", rows);
    this.cols = Checks.nonNegative("cols", cols);
    long size = GemmDriver.packedBSize(rows, cols, nr());
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("rows * cols = " + rows + " * " + cols
          + ": a packed matrix of " + size + " floats does not fit in a Java array");
    }
    this.packed = new float[(int) size];
  }

  /** k, the rows of B. */
  public int rows() {
    return rows;
  }

  /** n, the columns of B. */
  public int cols() {
    return cols;
  }

  /**
   * Packs op(B), {@code rows × cols}: stored as {@code rows} rows of {@code cols} from
   * {@code b[bOff]}, consecutive rows {@code ldb} apart, or, with {@code transB}, as
   * {@code cols} rows of {@code rows} (B is then the transpose of what is stored, as in
   * {@link Blas#sgemm}). Call it again whenever the values change.
   *
   * @throws NullPointerException if {@code b} is null
   * @throws IllegalArgumentException if {@code ldb} is smaller than a stored row (or 1) or
   *     {@code b} is too short; nothing is written then
   */
  public void pack(boolean transB, float[] b, int bOff, int ldb) {
    Objects.requireNonNull(b, "b");
    int storedRows = transB ? cols : rows;
    int storedCols = transB ? rows : cols;
    if (ldb < Math.max(1, storedCols)) {
      throw new IllegalArgumentException("ldb = " + ldb + ": expected >= max(1, " + storedCols
          + "), the row length of the matrix stored " + (transB ? "cols x rows (transB)"
          : "rows x cols"));
    }
    Checks.range("b", b, bOff, extent(storedRows, storedCols, ldb));
    GemmDriver.packWholeB(transB, b, bOff, ldb, rows, cols, nr(), packed);
  }

  /**
   * C = alpha op(A) B + beta C, with B this packed matrix ({@code rows × cols}), op(A)
   * {@code m × rows} stored as m rows of {@code rows} from {@code a[aOff]} ({@code transA}
   * false) or {@code rows} rows of m (true), row stride {@code lda}, and C {@code m × cols}
   * with row stride {@code ldc}. As in {@link Blas#sgemm}: beta = 0 ignores what C held, and
   * only the m × cols window of C is written.
   *
   * @throws NullPointerException if {@code a} or {@code c} is null
   * @throws IllegalArgumentException if m is negative, a leading dimension is too small or an
   *     array is too short; nothing is written then
   */
  public void multiply(boolean transA, int m, float alpha, float[] a, int aOff, int lda,
      float beta, float[] c, int cOff, int ldc) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(c, "c");
    Checks.nonNegative("m", m);
    Checks.product("m * cols", m, cols);
    int aRows = transA ? rows : m;
    int aCols = transA ? m : rows;
    if (lda < Math.max(1, aCols)) {
      throw new IllegalArgumentException("lda = " + lda + ": expected >= max(1, " + aCols
          + "), the row length of A stored " + (transA ? "rows x m (transA)" : "m x rows"));
    }
    if (ldc < Math.max(1, cols)) {
      throw new IllegalArgumentException("ldc = " + ldc + ": expected >= max(1, " + cols
          + "), the row length of C (m x cols)");
    }
    Checks.range("a", a, aOff, extent(aRows, aCols, lda));
    Checks.range("c", c, cOff, extent(m, cols, ldc));

    if (Backend.isVector()) {
      VectorGemm.sgemmPackedB(transA, m, cols, rows, alpha, a, aOff, lda, packed, beta, c, cOff,
          ldc);
    } else {
      ScalarGemm.sgemmPackedB(transA, m, cols, rows, alpha, a, aOff, lda, packed, beta, c, cOff,
          ldc);
    }
  }

  /** The micro-panel width of the backend's kernel. */
  private static int nr() {
    return Backend.isVector() ? VectorGemm.NR : ScalarGemm.NR;
  }

  private static long extent(int storedRows, int storedCols, int ld) {
    if (storedRows == 0 || storedCols == 0) {
      return 0;
    }
    return (long) (storedRows - 1) * ld + storedCols;
  }
}
