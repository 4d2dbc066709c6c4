package dev.nonlinear.kernel;

import static dev.nonlinear.kernel.ConvolutionProperties.randomArray;
import static dev.nonlinear.kernel.GemmProperties.bits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * {@link Blas#sgemv} against a double-precision reference (the bound of GemmProperties: twice
 * {@code (k + 2) u} times the sum of magnitudes, plus k subnormal spacings), with strided x and
 * y whose gaps must stay untouched; and {@link Blas#sgemmBatched} against one {@link Blas#sgemm}
 * call per product, bit for bit, with shared and strided operands, on one and two threads.
 */
class GemvAndBatchedGemmProperties {

  private static final double UNIT_ROUNDOFF = 0x1p-24;
  private static final float POISON = Float.NaN;

  record GemvCase(boolean trans, int m, int n, int padA, int incX, int incY, float alpha,
      float beta, long seed) {}

  record BatchCase(boolean transA, boolean transB, int m, int n, int k, boolean shareA,
      boolean shareB, int batch, int threads, long seed) {}

  // ---------------------------------------------------------------- sgemv

  @Test
  void sgemvMatchesReference() {
    qt().withFixedSeed(0x6E3FL).withExamples(120).forAll(gemvCases())
        .checkAssert(GemvAndBatchedGemmProperties::checkGemv);
  }

  @Test
  void sgemvWithBetaZeroIgnoresNaNInY() {
    float[] a = {1, 2, 3, 4, 5, 6};
    float[] x = {1, -1, 2};
    float[] y = {Float.NaN, Float.NaN};
    Blas.sgemv(false, 2, 3, 1f, a, 0, 3, x, 0, 1, 0f, y, 0, 1);
    assertArrayEquals(new float[] {5f, 11f}, y);

    float[] z = {Float.NaN, 7f, Float.NaN, 7f, Float.NaN};
    Blas.sgemv(true, 2, 3, 2f, a, 0, 3, new float[] {1, 1}, 0, 1, 0f, z, 0, 2);
    assertArrayEquals(new float[] {10f, 7f, 14f, 7f, 18f}, z);
  }

  @Test
  void sgemvRejectsBadArgumentsBeforeWriting() {
    float[] a = new float[12];
    float[] x = new float[4];
    float[] y = {3f, 3f, 3f};
    expectIllegal("incX", () -> Blas.sgemv(false, 3, 4, 1f, a, 0, 4, x, 0, 0, 0f, y, 0, 1));
    expectIllegal("incY", () -> Blas.sgemv(false, 3, 4, 1f, a, 0, 4, x, 0, 1, 0f, y, 0, -1));
    expectIllegal("lda", () -> Blas.sgemv(false, 3, 4, 1f, a, 0, 3, x, 0, 1, 0f, y, 0, 1));
    expectIllegal("x", () -> Blas.sgemv(false, 3, 4, 1f, a, 0, 4, x, 1, 1, 0f, y, 0, 1));
    expectIllegal("y", () -> Blas.sgemv(false, 3, 4, 1f, a, 0, 4, x, 0, 1, 0f, y, 0, 2));
    expectIllegal("a", () -> Blas.sgemv(true, 3, 4, 1f, a, 1, 4, x, 0, 1, 0f, y, 0, 1));
    expectIllegal("m", () -> Blas.sgemv(true, -1, 4, 1f, a, 0, 4, x, 0, 1, 0f, y, 0, 1));
    assertArrayEquals(new float[] {3f, 3f, 3f}, y);
    assertThrows(NullPointerException.class,
        () -> Blas.sgemv(false, 3, 4, 1f, a, 0, 4, null, 0, 1, 0f, y, 0, 1));
  }

  private static void checkGemv(GemvCase g) {
    Random random = new Random(g.seed());
    int xLength = g.trans() ? g.m() : g.n();
    int yLength = g.trans() ? g.n() : g.m();
    int lda = Math.max(1, g.n() + g.padA());
    float[] a = randomArray(random, Math.max(0, (g.m() - 1) * lda + g.n()));
    float[] x = strided(xLength, g.incX(), random);
    float[] y = strided(yLength, g.incY(), random);
    if (g.beta() == 0f) {
      for (int i = 0; i < yLength; i++) {
        y[i * g.incY()] = POISON;
      }
    }
    float[] before = y.clone();

    Blas.sgemv(g.trans(), g.m(), g.n(), g.alpha(), a, 0, lda, x, 0, g.incX(), g.beta(), y, 0,
        g.incY());

    for (int i = 0; i < yLength; i++) {
      double sum = 0;
      double magnitude = 0;
      for (int p = 0; p < xLength; p++) {
        float aip = g.trans() ? a[p * lda + i] : a[i * lda + p];
        double product = (double) aip * x[p * g.incX()];
        sum += product;
        magnitude += Math.abs(product);
      }
      double old = g.beta() == 0f ? 0 : (double) g.beta() * before[i * g.incY()];
      double expected = g.alpha() * sum + old;
      double bound = 2 * (xLength + 2) * UNIT_ROUNDOFF
          * (Math.abs(g.alpha()) * magnitude + Math.abs(old)) + xLength * (double) Float.MIN_VALUE;
      float got = y[i * g.incY()];
      if (!(Math.abs(got - expected) <= bound)) {
        fail("y[" + i + "] = " + got + ", expected " + expected + " +- " + bound + " in " + g);
      }
    }
    for (int at = 0; at < y.length; at++) {
      if (at % g.incY() != 0 || at / g.incY() >= yLength) {
        assertTrue(Float.floatToRawIntBits(y[at]) == Float.floatToRawIntBits(before[at]),
            "gap y[" + at + "] changed in " + g);
      }
    }
  }

  private static Gen<GemvCase> gemvCases() {
    Gen<Integer> sizes = arbitrary().pick(0, 1, 2, 7, 8, 9, 17, 103).mix(integers().between(1, 300),
        50);
    Gen<Integer> increments = integers().between(1, 3);
    Gen<Float> scalars = arbitrary().pick(0f, 1f, -1f, 0.5f, 1.75f);
    Gen<int[]> shape = sizes.zip(sizes, integers().between(0, 3), increments, increments,
        (m, n, pad, incX, incY) -> new int[] {m, n, pad, incX, incY});
    return shape.zip(booleans().all(), scalars, scalars, longs().all(),
        (s, trans, alpha, beta, seed) -> new GemvCase(trans, s[0], s[1], s[2], s[3], s[4], alpha,
            beta, seed));
  }

  // ---------------------------------------------------------------- sgemmBatched

  @Test
  void batchedEqualsOneSgemmPerProductBitForBit() {
    qt().withFixedSeed(0xBA7C4L).withExamples(60).forAll(batchCases())
        .checkAssert(GemvAndBatchedGemmProperties::checkBatch);
  }

  @Test
  void batchedLargeProductsEqualOneSgemmEach() {
    // Above the size where each product is split across the threads itself.
    checkBatch(new BatchCase(false, false, 96, 200, 230, true, false, 3, 2, 7L));
    checkBatch(new BatchCase(true, true, 150, 170, 180, false, true, 2, 1, 8L));
  }

  @Test
  void batchedRejectsOverlappingOutputsAndShortArrays() {
    float[] a = new float[6];
    float[] b = new float[6];
    float[] c = {4f, 4f, 4f, 4f, 4f, 4f, 4f, 4f};
    expectIllegal("strideC", () -> Blas.sgemmBatched(false, false, 2, 2, 3, 1f, a, 0, 3, 0, b,
        0, 2, 0, 0f, c, 0, 2, 3, 2));
    expectIllegal("c", () -> Blas.sgemmBatched(false, false, 2, 2, 3, 1f, a, 0, 3, 0, b,
        0, 2, 0, 0f, c, 0, 2, 4, 3));
    expectIllegal("a", () -> Blas.sgemmBatched(false, false, 2, 2, 3, 1f, a, 0, 3, 1, b,
        0, 2, 0, 0f, c, 0, 2, 4, 2));
    expectIllegal("batch", () -> Blas.sgemmBatched(false, false, 2, 2, 3, 1f, a, 0, 3, 0, b,
        0, 2, 0, 0f, c, 0, 2, 4, -1));
    expectIllegal("strideB", () -> Blas.sgemmBatched(false, false, 2, 2, 3, 1f, a, 0, 3, 0, b,
        0, 2, -6, 0f, c, 0, 2, 4, 2));
    assertArrayEquals(new float[] {4f, 4f, 4f, 4f, 4f, 4f, 4f, 4f}, c);
  }

  private static void checkBatch(BatchCase t) {
    Random random = new Random(t.seed());
    int lda = t.transA() ? t.m() : t.k();
    int ldb = t.transB() ? t.k() : t.n();
    int ldc = t.n() + 1;
    int sizeA = Math.max(1, t.m() * t.k());
    int sizeB = Math.max(1, t.k() * t.n());
    int strideA = t.shareA() ? 0 : sizeA + 3;
    int strideB = t.shareB() ? 0 : sizeB + 2;
    int strideC = t.m() * ldc + 5;
    float[] a = randomArray(random, strideA * (t.batch() - 1) + sizeA);
    float[] b = randomArray(random, strideB * (t.batch() - 1) + sizeB);
    float[] c = randomArray(random, strideC * t.batch());
    float[] expected = c.clone();

    int threads = Parallel.threads();
    try {
      Parallel.setThreads(t.threads());
      Blas.sgemmBatched(t.transA(), t.transB(), t.m(), t.n(), t.k(), 1.5f, a, 0, lda, strideA,
          b, 0, ldb, strideB, 0.5f, c, 0, ldc, strideC, t.batch());
      Parallel.setThreads(1);
      for (int i = 0; i < t.batch(); i++) {
        Blas.sgemm(t.transA(), t.transB(), t.m(), t.n(), t.k(), 1.5f, a, i * strideA, lda, b,
            i * strideB, ldb, 0.5f, expected, i * strideC, ldc);
      }
    } finally {
      Parallel.setThreads(threads);
    }
    assertArrayEquals(bits(expected), bits(c), t.toString());
  }

  private static Gen<BatchCase> batchCases() {
    Gen<Integer> sizes = arbitrary().pick(1, 3, 8, 9, 17, 31).mix(integers().between(1, 70), 50);
    Gen<Boolean> flags = booleans().all();
    Gen<int[]> shape = sizes.zip(sizes, sizes, integers().between(1, 7), integers().between(1, 2),
        (m, n, k, batch, threads) -> new int[] {m, n, k, batch, threads});
    Gen<boolean[]> layout = flags.zip(flags, flags, flags,
        (ta, tb, sa, sb) -> new boolean[] {ta, tb, sa, sb});
    return shape.zip(layout, longs().all(), (s, l, seed) -> new BatchCase(l[0], l[1], s[0], s[1],
        s[2], l[2], l[3], s[3], s[4], seed));
  }

  // ---------------------------------------------------------------- helpers

  /** {@code length} values at stride {@code increment}, NaN in the gaps between them. */
  private static float[] strided(int length, int increment, Random random) {
    float[] values = new float[Math.max(0, (length - 1) * increment + 1) + increment];
    java.util.Arrays.fill(values, POISON);
    for (int i = 0; i < length; i++) {
      values[i * increment] = (float) random.nextGaussian();
    }
    return values;
  }


  private static void expectIllegal(String argument, Runnable call) {
    IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(thrown.getMessage().startsWith(argument),
        "message should name " + argument + ": " + thrown.getMessage());
  }
}
