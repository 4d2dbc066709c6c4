package dev.nonlinear.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SGEMM on the Vector API: {@link GemmDriver}'s blocked loop around a 6 x (2 vectors) register
 * tile. No argument checks: {@link Blas#sgemm} has made them.
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

  private VectorGemm() {}

  /** C = alpha op(A) op(B) + beta C; see {@link Blas#sgemm}. */
  static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
      int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff,
      int ldc) {
    GemmDriver.sgemm(KERNEL, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta,
        c, cOff, ldc);
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
        float alpha, float[] c, int cIndex, int ldc, int rows, int cols, float[] tile) {
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

      for (int p = 0; p < kc; p++) {
        int bAt = bPanel + p * NR;
        int aAt = aPanel + p * MR;
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

      if (rows == MR && cols == NR) {
        FloatVector vAlpha = FloatVector.broadcast(SPECIES, alpha);
        addRow(acc00, acc01, vAlpha, c, cIndex);
        addRow(acc10, acc11, vAlpha, c, cIndex + ldc);
        addRow(acc20, acc21, vAlpha, c, cIndex + 2 * ldc);
        addRow(acc30, acc31, vAlpha, c, cIndex + 3 * ldc);
        addRow(acc40, acc41, vAlpha, c, cIndex + 4 * ldc);
        addRow(acc50, acc51, vAlpha, c, cIndex + 5 * ldc);
        return;
      }

      // A partial tile would write past its rows or columns: park it and store what belongs.
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
      GemmDriver.addPartialTile(tile, NR, rows, cols, alpha, c, cIndex, ldc);
    }
  }

  /** One full row of a tile: c += alpha acc, fused, as {@link GemmDriver#addPartialTile}. */
  private static void addRow(FloatVector acc0, FloatVector acc1, FloatVector vAlpha, float[] c,
      int at) {
    vAlpha.fma(acc0, FloatVector.fromArray(SPECIES, c, at)).intoArray(c, at);
    vAlpha.fma(acc1, FloatVector.fromArray(SPECIES, c, at + LANES)).intoArray(c, at + LANES);
  }
}
