package dev.nonlinear.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SGEMM on the Vector API: {@link GemmDriver}'s loops around a 6 x (2 vectors) register tile for
 * the packed path, and 8-, 4- and 1-column dot products for the unpacked A B^T path. No argument
 * checks: {@link Blas#sgemm} has made them.
 */
final class VectorGemm {

  private static final VectorSpecies<Float> SPECIES = VectorSupport.FLOAT_SPECIES;
  private static final int LANES = VectorSupport.FLOAT_LANES;

  /*
   * The tile: MR rows by NR = 2 vectors. Per step of k it loads 2 vectors of B, broadcasts MR
   * values of A and makes 2 MR fused multiply-adds into 2 MR accumulators. With 16 registers
   * (AVX2), 12 accumulators + 2 B vectors + 1 broadcast = 15 fit without spilling, and 12
   * independent FMA chains cover the FMA latency (4-5 cycles at 2 per cycle needs >= 10).
   */
  static final int MR = 6;
  static final int NR = 2 * LANES;

  private static final GemmMicroKernel KERNEL = new Kernel();

  /**
   * A 4 x (2 vectors) tile for the last rows of products by a packed matrix, where 6-row tiles
   * would leave a mostly empty one (a batch of 32 is 4 tiles of 6 and 2 of 4): 8 accumulators
   * are fewer chains than the FMA units can overlap, so it is slower per row than the main
   * tile, and only takes what the main one would pad (see {@link GemmDriver#narrowRows}).
   */
  static final int NARROW_MR = 4;

  private static final GemmMicroKernel NARROW_KERNEL = new NarrowKernel();

  private VectorGemm() {}

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
    GemmDriver.sgemmPackedB(KERNEL, NARROW_KERNEL, transA, m, n, k, alpha, a, aOff, lda,
        packedB, beta, c, cOff, ldc);
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
      FloatVector acc00 = FloatVector.zero(SPECIES);
      FloatVector acc01 = acc00;
      FloatVector acc10 = acc00;
      FloatVector acc11 = acc00;
      FloatVector acc20 = acc00;
      FloatVector acc21 = acc00;
      FloatVector acc30 = acc00;
      FloatVector acc31 = acc00;
      FloatVector acc40 = acc00;
      FloatVector acc41 = acc00;
      FloatVector acc50 = acc00;
      FloatVector acc51 = acc00;

      // The loop runs on the B index itself, stepping by NR, with the A index beside it: the
      // same loop over p with indices p * NR and p * MR ran about 30% slower under C2.
      int aAt = aPanel;
      int bEnd = bPanel + kc * NR;
      for (int bAt = bPanel; bAt < bEnd; bAt += NR, aAt += MR) {
        FloatVector vb0 = FloatVector.fromArray(SPECIES, packedB, bAt);
        FloatVector vb1 = FloatVector.fromArray(SPECIES, packedB, bAt + LANES);
        FloatVector va = FloatVector.broadcast(SPECIES, packedA[aAt]);
        acc00 = va.fma(vb0, acc00);
        acc01 = va.fma(vb1, acc01);
        va = FloatVector.broadcast(SPECIES, packedA[aAt + 1]);
        acc10 = va.fma(vb0, acc10);
        acc11 = va.fma(vb1, acc11);
        va = FloatVector.broadcast(SPECIES, packedA[aAt + 2]);
        acc20 = va.fma(vb0, acc20);
        acc21 = va.fma(vb1, acc21);
        va = FloatVector.broadcast(SPECIES, packedA[aAt + 3]);
        acc30 = va.fma(vb0, acc30);
        acc31 = va.fma(vb1, acc31);
        va = FloatVector.broadcast(SPECIES, packedA[aAt + 4]);
        acc40 = va.fma(vb0, acc40);
        acc41 = va.fma(vb1, acc41);
        va = FloatVector.broadcast(SPECIES, packedA[aAt + 5]);
        acc50 = va.fma(vb0, acc50);
        acc51 = va.fma(vb1, acc51);
      }

      acc00.intoArray(tile, 0);
      acc01.intoArray(tile, LANES);
      acc10.intoArray(tile, NR);
      acc11.intoArray(tile, NR + LANES);
      acc20.intoArray(tile, 2 * NR);
      acc21.intoArray(tile, 2 * NR + LANES);
      acc30.intoArray(tile, 3 * NR);
      acc31.intoArray(tile, 3 * NR + LANES);
      acc40.intoArray(tile, 4 * NR);
      acc41.intoArray(tile, 4 * NR + LANES);
      acc50.intoArray(tile, 5 * NR);
      acc51.intoArray(tile, 5 * NR + LANES);
    }

    @Override
    public void addTile(float[] tile, int rows, int cols, float alpha, float[] c, int cIndex,
        int ldc) {
      if (rows != MR || cols != NR) {
        GemmDriver.addPartialTile(tile, NR, rows, cols, alpha, c, cIndex, ldc);
        return;
      }
      FloatVector vAlpha = FloatVector.broadcast(SPECIES, alpha);
      for (int row = 0; row < MR; row++) {
        int at = cIndex + row * ldc;
        for (int col = 0; col < NR; col += LANES) {
          FloatVector sum = FloatVector.fromArray(SPECIES, tile, row * NR + col);
          vAlpha.fma(sum, FloatVector.fromArray(SPECIES, c, at + col)).intoArray(c, at + col);
        }
      }
    }

    @Override
    public void storeTile(float[] tile, int rows, int cols, float alpha, float[] c, int cIndex,
        int ldc) {
      if (rows != MR || cols != NR) {
        GemmDriver.storePartialTile(tile, NR, rows, cols, alpha, c, cIndex, ldc);
        return;
      }
      FloatVector vAlpha = FloatVector.broadcast(SPECIES, alpha);
      FloatVector zero = FloatVector.zero(SPECIES);
      for (int row = 0; row < MR; row++) {
        int at = cIndex + row * ldc;
        for (int col = 0; col < NR; col += LANES) {
          FloatVector sum = FloatVector.fromArray(SPECIES, tile, row * NR + col);
          vAlpha.fma(sum, zero).intoArray(c, at + col);
        }
      }
    }

    @Override
    public void addDots(int k, float[] a, int aRow, float[] b, int bRow, int ldb, int cols,
        float alpha, float[] c, int cIndex) {
      int col = 0;
      for (; col + 8 <= cols; col += 8) {
        addEightDots(k, a, aRow, b, bRow + col * ldb, ldb, alpha, c, cIndex + col);
      }
      for (; col + 4 <= cols; col += 4) {
        addFourDots(k, a, aRow, b, bRow + col * ldb, ldb, alpha, c, cIndex + col);
      }
      for (; col < cols; col++) {
        int bCol = bRow + col * ldb;
        int bound = SPECIES.loopBound(k);
        FloatVector acc = FloatVector.zero(SPECIES);
        for (int p = 0; p < bound; p += LANES) {
          FloatVector va = FloatVector.fromArray(SPECIES, a, aRow + p);
          acc = va.fma(FloatVector.fromArray(SPECIES, b, bCol + p), acc);
        }
        float dot = finish(acc, k, bound, a, aRow, b, bCol);
        c[cIndex + col] = Math.fma(alpha, dot, c[cIndex + col]);
      }
    }

    @Override
    public void sumScaledRows(int k, float[] x, int xOff, int xStride, float[] m, int mOff,
        int ldm, int cols, float[] sums) {
      int bound = SPECIES.loopBound(cols);
      for (int j = 0; j < bound; j += LANES) {
        FloatVector.zero(SPECIES).intoArray(sums, j);
      }
      int p = 0;
      for (; p + 4 <= k; p += 4) {
        int at = xOff + p * xStride;
        addScaledRows(x[at], x[at + xStride], x[at + 2 * xStride], x[at + 3 * xStride], m,
            mOff + p * ldm, ldm, bound, sums);
      }
      for (; p < k; p++) {
        addScaledRow(x[xOff + p * xStride], m, mOff + p * ldm, bound, sums);
      }
      ScalarGemm.sumScaledRows(k, x, xOff, xStride, m, mOff, ldm, bound, cols, sums);
    }
  }

  /**
   * Four steps of {@link #addScaledRow} (rows {@code row} to {@code row + 3 ld}) with the sums
   * held in a register between them: the same fused operations in the same order, with a
   * quarter of the loads and stores of the sums, which bound the one-row loop.
   */
  private static void addScaledRows(float x0, float x1, float x2, float x3, float[] m, int row,
      int ld, int bound, float[] sums) {
    FloatVector vx0 = FloatVector.broadcast(SPECIES, x0);
    FloatVector vx1 = FloatVector.broadcast(SPECIES, x1);
    FloatVector vx2 = FloatVector.broadcast(SPECIES, x2);
    FloatVector vx3 = FloatVector.broadcast(SPECIES, x3);
    int row1 = row + ld;
    int row2 = row1 + ld;
    int row3 = row2 + ld;
    for (int j = 0; j < bound; j += LANES) {
      FloatVector sum = FloatVector.fromArray(SPECIES, sums, j);
      sum = vx0.fma(FloatVector.fromArray(SPECIES, m, row + j), sum);
      sum = vx1.fma(FloatVector.fromArray(SPECIES, m, row1 + j), sum);
      sum = vx2.fma(FloatVector.fromArray(SPECIES, m, row2 + j), sum);
      sum = vx3.fma(FloatVector.fromArray(SPECIES, m, row3 + j), sum);
      sum.intoArray(sums, j);
    }
  }

  /** {@code sums[j] = fma(xp, m[row + j], sums[j])} for j in [0, bound), bound whole vectors. */
  private static void addScaledRow(float xp, float[] m, int row, int bound, float[] sums) {
    FloatVector vx = FloatVector.broadcast(SPECIES, xp);
    for (int j = 0; j < bound; j += LANES) {
      FloatVector sum = FloatVector.fromArray(SPECIES, sums, j);
      vx.fma(FloatVector.fromArray(SPECIES, m, row + j), sum).intoArray(sums, j);
    }
  }

  /** The 4 x (2 vectors) tile; see {@link #NARROW_MR}. Only the packed products run it. */
  private static final class NarrowKernel implements GemmMicroKernel {

    @Override
    public int mr() {
      return NARROW_MR;
    }

    @Override
    public int nr() {
      return NR;
    }

    @Override
    public void multiply(int kc, float[] packedA, int aPanel, float[] packedB, int bPanel,
        float[] tile) {
      FloatVector acc00 = FloatVector.zero(SPECIES);
      FloatVector acc01 = acc00;
      FloatVector acc10 = acc00;
      FloatVector acc11 = acc00;
      FloatVector acc20 = acc00;
      FloatVector acc21 = acc00;
      FloatVector acc30 = acc00;
      FloatVector acc31 = acc00;

      int aAt = aPanel;
      int bEnd = bPanel + kc * NR;
      for (int bAt = bPanel; bAt < bEnd; bAt += NR, aAt += NARROW_MR) {
        FloatVector vb0 = FloatVector.fromArray(SPECIES, packedB, bAt);
        FloatVector vb1 = FloatVector.fromArray(SPECIES, packedB, bAt + LANES);
        FloatVector va = FloatVector.broadcast(SPECIES, packedA[aAt]);
        acc00 = va.fma(vb0, acc00);
        acc01 = va.fma(vb1, acc01);
        va = FloatVector.broadcast(SPECIES, packedA[aAt + 1]);
        acc10 = va.fma(vb0, acc10);
        acc11 = va.fma(vb1, acc11);
        va = FloatVector.broadcast(SPECIES, packedA[aAt + 2]);
        acc20 = va.fma(vb0, acc20);
        acc21 = va.fma(vb1, acc21);
        va = FloatVector.broadcast(SPECIES, packedA[aAt + 3]);
        acc30 = va.fma(vb0, acc30);
        acc31 = va.fma(vb1, acc31);
      }

      acc00.intoArray(tile, 0);
      acc01.intoArray(tile, LANES);
      acc10.intoArray(tile, NR);
      acc11.intoArray(tile, NR + LANES);
      acc20.intoArray(tile, 2 * NR);
      acc21.intoArray(tile, 2 * NR + LANES);
      acc30.intoArray(tile, 3 * NR);
      acc31.intoArray(tile, 3 * NR + LANES);
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
      KERNEL.addDots(k, a, aRow, b, bRow, ldb, cols, alpha, c, cIndex);
    }

    @Override
    public void sumScaledRows(int k, float[] x, int xOff, int xStride, float[] m, int mOff,
        int ldm, int cols, float[] sums) {
      KERNEL.sumScaledRows(k, x, xOff, xStride, m, mOff, ldm, cols, sums);
    }
  }

  /*
   * Dot products of one row of A with 8 (or 4) rows of B: each load of A feeds 8 fused
   * multiply-adds into 8 independent accumulators, enough chains to cover the FMA latency. A
   * column's sum runs the same way in the 8-, 4- and 1-column loops (lane-wise over p, then the
   * lanes reduced, then the scalar tail), so the grouping changes no bit.
   */
  private static void addEightDots(int k, float[] a, int aRow, float[] b, int b0, int ldb,
      float alpha, float[] c, int cIndex) {
    int b1 = b0 + ldb;
    int b2 = b1 + ldb;
    int b3 = b2 + ldb;
    int b4 = b3 + ldb;
    int b5 = b4 + ldb;
    int b6 = b5 + ldb;
    int b7 = b6 + ldb;
    FloatVector acc0 = FloatVector.zero(SPECIES);
    FloatVector acc1 = acc0;
    FloatVector acc2 = acc0;
    FloatVector acc3 = acc0;
    FloatVector acc4 = acc0;
    FloatVector acc5 = acc0;
    FloatVector acc6 = acc0;
    FloatVector acc7 = acc0;
    int bound = SPECIES.loopBound(k);
    for (int p = 0; p < bound; p += LANES) {
      FloatVector va = FloatVector.fromArray(SPECIES, a, aRow + p);
      acc0 = va.fma(FloatVector.fromArray(SPECIES, b, b0 + p), acc0);
      acc1 = va.fma(FloatVector.fromArray(SPECIES, b, b1 + p), acc1);
      acc2 = va.fma(FloatVector.fromArray(SPECIES, b, b2 + p), acc2);
      acc3 = va.fma(FloatVector.fromArray(SPECIES, b, b3 + p), acc3);
      acc4 = va.fma(FloatVector.fromArray(SPECIES, b, b4 + p), acc4);
      acc5 = va.fma(FloatVector.fromArray(SPECIES, b, b5 + p), acc5);
      acc6 = va.fma(FloatVector.fromArray(SPECIES, b, b6 + p), acc6);
      acc7 = va.fma(FloatVector.fromArray(SPECIES, b, b7 + p), acc7);
    }
    addDot(alpha, finish(acc0, k, bound, a, aRow, b, b0), c, cIndex);
    addDot(alpha, finish(acc1, k, bound, a, aRow, b, b1), c, cIndex + 1);
    addDot(alpha, finish(acc2, k, bound, a, aRow, b, b2), c, cIndex + 2);
    addDot(alpha, finish(acc3, k, bound, a, aRow, b, b3), c, cIndex + 3);
    addDot(alpha, finish(acc4, k, bound, a, aRow, b, b4), c, cIndex + 4);
    addDot(alpha, finish(acc5, k, bound, a, aRow, b, b5), c, cIndex + 5);
    addDot(alpha, finish(acc6, k, bound, a, aRow, b, b6), c, cIndex + 6);
    addDot(alpha, finish(acc7, k, bound, a, aRow, b, b7), c, cIndex + 7);
  }

  private static void addFourDots(int k, float[] a, int aRow, float[] b, int b0, int ldb,
      float alpha, float[] c, int cIndex) {
    int b1 = b0 + ldb;
    int b2 = b1 + ldb;
    int b3 = b2 + ldb;
    FloatVector acc0 = FloatVector.zero(SPECIES);
    FloatVector acc1 = acc0;
    FloatVector acc2 = acc0;
    FloatVector acc3 = acc0;
    int bound = SPECIES.loopBound(k);
    for (int p = 0; p < bound; p += LANES) {
      FloatVector va = FloatVector.fromArray(SPECIES, a, aRow + p);
      acc0 = va.fma(FloatVector.fromArray(SPECIES, b, b0 + p), acc0);
      acc1 = va.fma(FloatVector.fromArray(SPECIES, b, b1 + p), acc1);
      acc2 = va.fma(FloatVector.fromArray(SPECIES, b, b2 + p), acc2);
      acc3 = va.fma(FloatVector.fromArray(SPECIES, b, b3 + p), acc3);
    }
    addDot(alpha, finish(acc0, k, bound, a, aRow, b, b0), c, cIndex);
    addDot(alpha, finish(acc1, k, bound, a, aRow, b, b1), c, cIndex + 1);
    addDot(alpha, finish(acc2, k, bound, a, aRow, b, b2), c, cIndex + 2);
    addDot(alpha, finish(acc3, k, bound, a, aRow, b, b3), c, cIndex + 3);
  }

  /**
   * The lanes of a dot's accumulator summed in lane order (see
   * {@link VectorSupport#sumLanesInOrder}), plus the scalar twin's sum over [bound, k).
   */
  private static float finish(FloatVector acc, int k, int bound, float[] a, int aRow, float[] b,
      int bCol) {
    return VectorSupport.sumLanesInOrder(acc)
        + ScalarGemm.dot(k - bound, a, aRow + bound, b, bCol + bound);
  }

  private static void addDot(float alpha, float dot, float[] c, int at) {
    c[at] = Math.fma(alpha, dot, c[at]);
  }
}
