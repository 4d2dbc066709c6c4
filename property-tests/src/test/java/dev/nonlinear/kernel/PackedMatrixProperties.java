package dev.nonlinear.kernel;

import static dev.nonlinear.kernel.ConvolutionProperties.assertMessage;
import static dev.nonlinear.kernel.ConvolutionProperties.assumeVector;
import static dev.nonlinear.kernel.ConvolutionProperties.randomArray;
import static dev.nonlinear.kernel.GemmProperties.bits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.nonlinear.kernel.GemmProperties.Case;
import dev.nonlinear.kernel.GemmProperties.Layout;
import dev.nonlinear.kernel.GemmProperties.Scalars;
import dev.nonlinear.kernel.GemmProperties.Shape;
import dev.nonlinear.kernel.GemmProperties.Sgemm;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Products by a {@link PackedMatrix}: the facade and both twins against the double reference of
 * {@link GemmProperties} (same cases, same tolerance), bit for bit what {@link Blas#sgemm}'s
 * packed path gives on 1 and 2 threads, reuse of one packing for many products, and argument
 * checks.
 */
class PackedMatrixProperties {

  private static final long SEED = 0x9AC4EDL;

  /** Packs B into a fresh packed matrix, then multiplies, as a caller would. */
  private static final Sgemm FACADE = (transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff,
      ldb, beta, c, cOff, ldc) -> {
    PackedMatrix packed = new PackedMatrix(k, n);
    packed.pack(transB, b, bOff, ldb);
    packed.multiply(transA, m, alpha, a, aOff, lda, beta, c, cOff, ldc);
  };

  private static final Sgemm SCALAR = (transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff,
      ldb, beta, c, cOff, ldc) -> {
    float[] packed = new float[(int) GemmDriver.packedBSize(k, n, ScalarGemm.NR)];
    GemmDriver.packWholeB(transB, b, bOff, ldb, k, n, ScalarGemm.NR, packed);
    ScalarGemm.sgemmPackedB(transA, m, n, k, alpha, a, aOff, lda, packed, beta, c, cOff, ldc);
  };

  private static final Sgemm VECTOR = (transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff,
      ldb, beta, c, cOff, ldc) -> {
    float[] packed = new float[(int) GemmDriver.packedBSize(k, n, VectorGemm.NR)];
    GemmDriver.packWholeB(transB, b, bOff, ldb, k, n, VectorGemm.NR, packed);
    VectorGemm.sgemmPackedB(transA, m, n, k, alpha, a, aOff, lda, packed, beta, c, cOff, ldc);
  };

  @Test
  void scalarTwinMatchesReference() {
    GemmProperties.checkAgainstReference(SCALAR);
  }

  @Test
  void vectorTwinMatchesReference() {
    assumeVector();
    GemmProperties.checkAgainstReference(VECTOR);
  }

  @Test
  void facadeMatchesReference() {
    GemmProperties.checkAgainstReference(FACADE);
  }

  /**
   * With m and n above 16 {@link Blas#sgemm} takes its packed path, whose loops the packed
   * product shares: the two must agree bit for bit, on one thread and on two (where the packed
   * product cuts the columns into one task per thread).
   */
  @Test
  void sameBitsAsTheGemmPackedPathOnAnyThreadCount() {
    int before = Parallel.threads();
    try {
      qt().withFixedSeed(SEED).withExamples(40).forAll(longs().all()).checkAssert(seed -> {
        Random random = new Random(seed);
        Shape shape = new Shape(17 + random.nextInt(150), 17 + random.nextInt(300),
            1 + random.nextInt(2 * GemmDriver.KC + 20));
        Case example = new Case(shape, new Layout(random.nextBoolean(), random.nextBoolean(),
            random.nextInt(3), random.nextInt(3), random.nextInt(3), random.nextInt(4),
            random.nextInt(4), random.nextInt(4)), new Scalars(random.nextBoolean() ? 1f : -0.75f,
            random.nextInt(3) * 0.5f), seed);
        Parallel.setThreads(1 + random.nextInt(2));
        float[] expected = GemmProperties.compute(Blas::sgemm, example);
        Parallel.setThreads(1 + random.nextInt(2));
        float[] packed = GemmProperties.compute(FACADE, example);
        assertArrayEquals(bits(expected), bits(packed), () -> "bits differ for " + example);
      });
    } finally {
      Parallel.setThreads(before);
    }
  }

  /** One packing serves many products, and packing again takes the new values. */
  @Test
  void onePackingServesManyProductsUntilPackedAgain() {
    Random random = new Random(3);
    int k = 37;
    int n = 2 * Backend.current().floatLanes() + 3;
    int m = 19;
    float[] b = randomArray(random, k * n);
    PackedMatrix packed = new PackedMatrix(k, n);
    packed.pack(false, b, 0, n);
    for (int round = 0; round < 3; round++) {
      float[] a = randomArray(random, m * k);
      float[] expected = new float[m * n];
      float[] actual = new float[m * n];
      Blas.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, expected, 0, n);
      packed.multiply(false, m, 1f, a, 0, k, 0f, actual, 0, n);
      assertArrayEquals(bits(expected), bits(actual), "round " + round);
      b[round * 7] += 1f;
      packed.pack(false, b, 0, n);
    }
  }

  /** Which rows the narrow tiles take: the main tiles' padding, not more. */
  @Test
  void narrowTilesTakeWhatSixRowTilesWouldPad() {
    int[][] expected = {{32, 8}, {30, 0}, {28, 4}, {27, 3}, {29, 0}, {31, 7}, {1, 1}, {2, 2},
        {3, 3}, {4, 4}, {5, 0}, {6, 0}, {7, 7}, {8, 8}, {13, 7}, {145, 7}};
    for (int[] pair : expected) {
      org.junit.jupiter.api.Assertions.assertEquals(pair[1], GemmDriver.narrowRows(pair[0], 6, 4),
          "rows for the narrow kernel out of " + pair[0]);
    }
  }

  @Test
  void emptySizesWriteNothingOrOnlyScale() {
    PackedMatrix empty = new PackedMatrix(0, 3);
    float[] c = {1, 2, 3, 4, 5, 6};
    empty.pack(false, new float[0], 0, 3);
    empty.multiply(false, 2, 1f, new float[0], 0, 1, -1f, c, 0, 3);
    assertArrayEquals(new float[] {-1, -2, -3, -4, -5, -6}, c, "k = 0 scales C by beta");
    new PackedMatrix(4, 0).multiply(false, 2, 1f, new float[8], 0, 4, 0f, c, 0, 1);
    new PackedMatrix(4, 3).multiply(false, 0, 1f, new float[0], 0, 4, 0f, c, 0, 3);
    assertArrayEquals(new float[] {-1, -2, -3, -4, -5, -6}, c, "nothing to write");
  }

  @Test
  void badArgumentsThrowAndLeaveCUntouched() {
    PackedMatrix packed = new PackedMatrix(3, 2);
    float[] b = randomArray(new Random(4), 6);
    float[] a = randomArray(new Random(5), 6);
    float[] c = randomArray(new Random(6), 4);
    float[] original = c.clone();
    assertMessage("rows = -1", () -> new PackedMatrix(-1, 2));
    assertMessage("cols = -2", () -> new PackedMatrix(2, -2));
    assertMessage("does not fit in a Java array", () -> new PackedMatrix(65536, 65536));
    assertMessage("ldb = 1", () -> packed.pack(false, b, 0, 1));
    assertMessage("ldb = 2", () -> packed.pack(true, b, 0, 2));
    assertMessage("b: offset 1", () -> packed.pack(false, b, 1, 2));
    assertMessage("m = -1", () -> packed.multiply(false, -1, 1f, a, 0, 3, 0f, c, 0, 2));
    assertMessage("lda = 2", () -> packed.multiply(false, 2, 1f, a, 0, 2, 0f, c, 0, 2));
    assertMessage("lda = 1", () -> packed.multiply(true, 2, 1f, a, 0, 1, 0f, c, 0, 2));
    assertMessage("ldc = 1", () -> packed.multiply(false, 2, 1f, a, 0, 3, 0f, c, 0, 1));
    assertMessage("a: offset 1", () -> packed.multiply(false, 2, 1f, a, 1, 3, 0f, c, 0, 2));
    assertMessage("c: offset 2", () -> packed.multiply(false, 2, 1f, a, 0, 3, 0f, c, 2, 2));
    assertThrows(NullPointerException.class, () -> packed.pack(false, null, 0, 2));
    assertThrows(NullPointerException.class,
        () -> packed.multiply(false, 2, 1f, null, 0, 3, 0f, c, 0, 2));
    assertThrows(NullPointerException.class,
        () -> packed.multiply(false, 2, 1f, a, 0, 3, 0f, null, 0, 2));
    assertArrayEquals(original, c, "a rejected call wrote to C");
  }

}
