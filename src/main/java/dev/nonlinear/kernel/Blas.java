package dev.nonlinear.kernel;

import java.util.Objects;

/**
 * Dense linear algebra on row-major {@code float[]} matrices with offsets and leading dimensions,
 * in the BLAS style.
 */
public final class Blas {

  /**
   * From this many multiply-adds a product of a batch is worth splitting across the threads by
   * itself (as sgemm would); below it, whole products are handed out instead.
   */
  private static final long BATCH_ITEM_PARALLEL_WORK = 1L << 22;

  private Blas() {}

  /**
   * C = alpha op(A) op(B) + beta C, row-major, where op(X) is X or its transpose.
   *
   * <p>op(A) is m x k, stored as m rows of k ({@code transA} false) or k rows of m ({@code transA}
   * true) from {@code a[aOff]}, consecutive stored rows {@code lda} apart; op(B) is k x n, stored
   * as k rows of n or n rows of k ({@code transB}) with row stride {@code ldb}; C is m rows of n
   * with row stride {@code ldc}. Only the m x n window of C is written: elements between its rows
   * (when ldc > n) stay as they were.
   *
   * <p>As in BLAS: beta = 0 overwrites C, so whatever it held (NaN included) is ignored; when
   * alpha = 0 or k = 0, C is only scaled by beta and A and B are not read for values.
   *
   * <p>Each element of C is summed in the same order whatever {@link Parallel#threads()} is, so
   * the result is bitwise the same on any thread count.
   *
   * @throws NullPointerException if {@code a}, {@code b} or {@code c} is null
   * @throws IllegalArgumentException if a size is negative, a leading dimension is smaller than
   *     its stored row (or 1), an array is too short for its offset and extent, or m * n exceeds
   *     the largest Java array; nothing is written then
   */
  public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    checkGemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);

    dispatch(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
  }

  /**
   * y = alpha op(A) x + beta y, the matrix-vector product of a batch of one: A is m x n,
   * row-major with row stride {@code lda}; op(A) = A (x has n elements, y has m) or A^T
   * ({@code trans}: x has m, y has n). Consecutive elements of x are {@code incX} apart, of y
   * {@code incY} apart (both at least 1; BLAS's negative increments are not supported).
   *
   * <p>Runs on the unpacked paths of {@link #sgemm}: dot products of the rows of A with x, or x
   * times A read a row at a time; the same guarantees as sgemm (beta = 0 ignores y, bitwise the
   * same on any thread count).
   *
   * @throws NullPointerException if {@code a}, {@code x} or {@code y} is null
   * @throws IllegalArgumentException if m or n is negative, {@code lda < max(1, n)}, an increment
   *     is below 1, or an array is too short for its offset and extent; nothing is written then
   */
  public static void sgemv(boolean trans, int m, int n, float alpha, float[] a, int aOff,
      int lda, float[] x, int xOff, int incX, float beta, float[] y, int yOff, int incY) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y");
    Checks.nonNegative("m", m);
    Checks.nonNegative("n", n);
    Checks.positive("incX", incX);
    Checks.positive("incY", incY);
    leadingDimension("lda", lda, n, "m x n");
    int xLength = trans ? m : n;
    int yLength = trans ? n : m;
    Checks.range("a", a, aOff, extent(m, n, lda));
    Checks.range("x", x, xOff, extent(xLength, 1, incX));
    Checks.range("y", y, yOff, extent(yLength, 1, incY));

    // y as a column of C (row stride incY), x as a column of op(B) (row stride incX).
    dispatch(trans, false, yLength, 1, xLength, alpha, a, aOff, lda, x, xOff, incX, beta, y,
        yOff, incY);
  }

  /**
   * {@code batch} independent products {@code C_i = alpha op(A_i) op(B_i) + beta C_i}, each as in
   * {@link #sgemm}, where {@code A_i} starts at {@code aOff + i strideA} (likewise B and C). A
   * stride of 0 shares one operand by every product: a layer's weight times each image of a
   * batch. The C matrices must not overlap: {@code strideC} is at least the extent of one C
   * ({@code (m - 1) ldc + n}) when batch > 1.
   *
   * <p>Small products run one per task across the threads, large ones one after another with
   * each split across the threads; every element is summed in sgemm's fixed order either way,
   * so the result is bitwise that of calling sgemm for each i, on any thread count. Each product
   * packs its own operands: a shared A is packed again for every product (packing is about
   * 1/n of a product's work, and a shared packed copy would tie the threads to one buffer).
   *
   * @throws IllegalArgumentException for what {@link #sgemm} rejects, a negative batch or stride,
   *     overlapping C matrices, or arrays too short for the last product; nothing is written
   */
  public static void sgemmBatched(boolean transA, boolean transB, int m, int n, int k,
      float alpha, float[] a, int aOff, int lda, int strideA, float[] b, int bOff, int ldb,
      int strideB, float beta, float[] c, int cOff, int ldc, int strideC, int batch) {
    checkGemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    Checks.nonNegative("batch", batch);
    Checks.nonNegative("strideA", strideA);
    Checks.nonNegative("strideB", strideB);
    Checks.nonNegative("strideC", strideC);
    long cExtent = extent(m, n, ldc);
    if (batch > 1 && strideC < cExtent) {
      throw new IllegalArgumentException("strideC = " + strideC + ": expected >= " + cExtent
          + ", the extent of one " + m + " x " + n + " C with ldc " + ldc
          + " (the products' outputs must not overlap)");
    }
    if (batch == 0) {
      return;
    }
    long last = batch - 1L;
    Checks.range("a", a, aOff, last * strideA + extent(transA ? k : m, transA ? m : k, lda));
    Checks.range("b", b, bOff, last * strideB + extent(transB ? n : k, transB ? k : n, ldb));
    Checks.range("c", c, cOff, last * strideC + cExtent);

    if ((long) m * n * k >= BATCH_ITEM_PARALLEL_WORK || batch == 1) {
      for (int i = 0; i < batch; i++) {
        dispatch(transA, transB, m, n, k, alpha, a, aOff + i * strideA, lda, b,
            bOff + i * strideB, ldb, beta, c, cOff + i * strideC, ldc);
      }
      return;
    }
    // Nested Parallel calls run inline, so each product stays on its task's thread.
    Parallel.forEach(batch, i -> dispatch(transA, transB, m, n, k, alpha, a,
        aOff + i * strideA, lda, b, bOff + i * strideB, ldb, beta, c, cOff + i * strideC, ldc));
  }

  private static void dispatch(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c,
      int cOff, int ldc) {
    if (Backend.isVector()) {
      VectorGemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff,
          ldc);
    } else {
      ScalarGemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff,
          ldc);
    }
  }

  private static void checkGemm(boolean transA, boolean transB, int m, int n, int k, float[] a,
      int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Objects.requireNonNull(c, "c");
    Checks.nonNegative("m", m);
    Checks.nonNegative("n", n);
    Checks.nonNegative("k", k);
    Checks.product("m * n", m, n);

    int aRows = transA ? k : m;
    int aCols = transA ? m : k;
    int bRows = transB ? n : k;
    int bCols = transB ? k : n;
    leadingDimension("lda", lda, aCols, transA ? "k x m (transA)" : "m x k");
    leadingDimension("ldb", ldb, bCols, transB ? "n x k (transB)" : "k x n");
    leadingDimension("ldc", ldc, n, "m x n");

    Checks.range("a", a, aOff, extent(aRows, aCols, lda));
    Checks.range("b", b, bOff, extent(bRows, bCols, ldb));
    Checks.range("c", c, cOff, extent(m, n, ldc));
  }

  /** A stored row of {@code columns} floats needs a row stride of at least max(1, columns). */
  private static void leadingDimension(String name, int value, int columns, String layout) {
    if (value < Math.max(1, columns)) {
      throw new IllegalArgumentException(name + " = " + value + ": expected >= max(1, "
          + columns + "), the row length of the matrix stored " + layout);
    }
  }

  /** Floats from a matrix's first element to its last, inclusive; 0 when it is empty. */
  private static long extent(int rows, int columns, int ld) {
    if (rows == 0 || columns == 0) {
      return 0;
    }
    return (long) (rows - 1) * ld + columns;
  }
}
