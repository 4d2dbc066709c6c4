package dev.nonlinear.kernel;

import java.util.Objects;

/**
 * Dense linear algebra on row-major {@code float[]} matrices with offsets and leading dimensions,
 * in the BLAS style.
 */
public final class Blas {

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
