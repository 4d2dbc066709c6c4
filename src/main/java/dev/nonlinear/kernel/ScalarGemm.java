package dev.nonlinear.kernel;

/**
 * SGEMM in plain Java, the twin of {@link VectorGemm}: the same {@link GemmDriver} paths, with a
 * 4 x 4 register tile of scalar multiply-adds for the packed one and 4- and 1-column dot
 * products for the unpacked A B^T one. No argument checks: {@link Blas#sgemm} has made them.
 */
final class ScalarGemm {

  /*
   * The tile: 4 x 4 accumulators, 16 independent chains that hide the add latency; with 4
   * values of A and 4 of B per step that is more than the 16 xmm registers, so some operands
   * are re-read from the packed panels, which sit in L1. Products are multiplied then added
   * (two roundings), not fused: Math.fma is slow where the CPU has no FMA, and the scalar
   * backend is the one such CPUs run.
   */
  static final int MR = 4;
  static final int NR = 4;

  private static final GemmMicroKernel KERNEL = new Kernel();

  private ScalarGemm() {}

  /** C = alpha op(A) op(B) + beta C; see {@link Blas#sgemm}. */
  static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
      int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff,
      int ldc) {
    GemmDriver.sgemm(KERNEL, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta,
        c, cOff, ldc);
  }

  /** C = alpha op(A) B + beta C, B packed; see {@link PackedMatrix#multiply}. */
  static void sgemmPackedB(boolean transA, int m, int n, int k, float alpha, float[] a,
      int aOff, int lda, float[] packedB, float beta, float[] c, int cOff, int ldc) {
    GemmDriver.sgemmPackedB(KERNEL, null, transA, m, n, k, alpha, a, aOff, lda, packedB, beta, c,
        cOff, ldc);
  }

  private static final class Kernel implements GemmMicroKernel {

    @Override
    public int mr() {
      return MR;
    }

    @Override
    public int nr() {
      return NR;
    }

    @Override
    public void multiply(int kc, float[] packedA, int aPanel, float[] packedB, int bPanel,
        float[] tile) {
      float acc00 = 0f;
      float acc01 = 0f;
      float acc02 = 0f;
      float acc03 = 0f;
      float acc10 = 0f;
      float acc11 = 0f;
      float acc12 = 0f;
      float acc13 = 0f;
      float acc20 = 0f;
      float acc21 = 0f;
      float acc22 = 0f;
      float acc23 = 0f;
      float acc30 = 0f;
      float acc31 = 0f;
      float acc32 = 0f;
      float acc33 = 0f;

      for (int p = 0; p < kc; p++) {
        int aAt = aPanel + p * MR;
        int bAt = bPanel + p * NR;
        float b0 = packedB[bAt];
        float b1 = packedB[bAt + 1];
        float b2 = packedB[bAt + 2];
        float b3 = packedB[bAt + 3];
        float a0 = packedA[aAt];
        float a1 = packedA[aAt + 1];
        float a2 = packedA[aAt + 2];
        float a3 = packedA[aAt + 3];
        acc00 += a0 * b0;
        acc01 += a0 * b1;
        acc02 += a0 * b2;
        acc03 += a0 * b3;
        acc10 += a1 * b0;
        acc11 += a1 * b1;
        acc12 += a1 * b2;
        acc13 += a1 * b3;
        acc20 += a2 * b0;
        acc21 += a2 * b1;
        acc22 += a2 * b2;
        acc23 += a2 * b3;
        acc30 += a3 * b0;
        acc31 += a3 * b1;
        acc32 += a3 * b2;
        acc33 += a3 * b3;
      }

      tile[0] = acc00;
      tile[1] = acc01;
      tile[2] = acc02;
      tile[3] = acc03;
      tile[4] = acc10;
      tile[5] = acc11;
      tile[6] = acc12;
      tile[7] = acc13;
      tile[8] = acc20;
      tile[9] = acc21;
      tile[10] = acc22;
      tile[11] = acc23;
      tile[12] = acc30;
      tile[13] = acc31;
      tile[14] = acc32;
      tile[15] = acc33;
    }

    @Override
    public void addTile(float[] tile, int rows, int cols, float alpha, float[] c, int cIndex,
        int ldc) {
      GemmDriver.addPartialTile(tile, NR, rows, cols, alpha, c, cIndex, ldc);
    }

    @Override
    public void storeTile(float[] tile, int rows, int cols, float alpha, float[] c, int cIndex,
        int ldc) {
      GemmDriver.storePartialTile(tile, NR, rows, cols, alpha, c, cIndex, ldc);
    }

    @Override
    public void addDots(int k, float[] a, int aRow, float[] b, int bRow, int ldb, int cols,
        float alpha, float[] c, int cIndex) {
      int col = 0;
      // Four columns at a time: four independent sums share each load of a.
      for (; col + 4 <= cols; col += 4) {
        int b0 = bRow + col * ldb;
        int b1 = b0 + ldb;
        int b2 = b1 + ldb;
        int b3 = b2 + ldb;
        float dot0 = 0f;
        float dot1 = 0f;
        float dot2 = 0f;
        float dot3 = 0f;
        for (int p = 0; p < k; p++) {
          float ap = a[aRow + p];
          dot0 += ap * b[b0 + p];
          dot1 += ap * b[b1 + p];
          dot2 += ap * b[b2 + p];
          dot3 += ap * b[b3 + p];
        }
        c[cIndex + col] = Math.fma(alpha, dot0, c[cIndex + col]);
        c[cIndex + col + 1] = Math.fma(alpha, dot1, c[cIndex + col + 1]);
        c[cIndex + col + 2] = Math.fma(alpha, dot2, c[cIndex + col + 2]);
        c[cIndex + col + 3] = Math.fma(alpha, dot3, c[cIndex + col + 3]);
      }
      for (; col < cols; col++) {
        float dot = dot(k, a, aRow, b, bRow + col * ldb);
        c[cIndex + col] = Math.fma(alpha, dot, c[cIndex + col]);
      }
    }

    @Override
    public void sumScaledRows(int k, float[] x, int xOff, int xStride, float[] m, int mOff,
        int ldm, int cols, float[] sums) {
      ScalarGemm.sumScaledRows(k, x, xOff, xStride, m, mOff, ldm, 0, cols, sums);
    }
  }

  /**
   * The scalar form of {@link GemmMicroKernel#sumScaledRows} over columns [from, to): the
   * tail of the vector one. Products are not fused, as in the scalar tile.
   */
  static void sumScaledRows(int k, float[] x, int xOff, int xStride, float[] m, int mOff,
      int ldm, int from, int to, float[] sums) {
    for (int j = from; j < to; j++) {
      sums[j] = 0f;
    }
    for (int p = 0; p < k; p++) {
      float xp = x[xOff + p * xStride];
      int row = mOff + p * ldm;
      for (int j = from; j < to; j++) {
        sums[j] += xp * m[row + j];
      }
    }
  }

  /**
   * The dot product of {@code a[aFrom, aFrom + count)} and {@code b[bFrom, bFrom + count)},
   * summed in order; also the tail of the vector dot products.
   */
  static float dot(int count, float[] a, int aFrom, float[] b, int bFrom) {
    float sum = 0f;
    for (int p = 0; p < count; p++) {
      sum += a[aFrom + p] * b[bFrom + p];
    }
    return sum;
  }
}
