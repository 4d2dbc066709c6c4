package dev.nonlinear.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * SGEMM against a double-precision reference, for the scalar and the vector twin and the facade.
 *
 * <p>Tolerance, from the usual error analysis of a sum of k products accumulated in float: each
 * element of alpha op(A) op(B) + beta C computed in float differs from the exact value by at
 * most {@code (k + 2) u (|alpha| sum_p |a_ip b_pj| + |beta c_ij|)} plus lower-order terms,
 * u = 2^-24: one rounding per product (none when fused), one per addition, one for alpha and one
 * for beta, and per K block one more addition that the k term covers. The test allows
 * {@code c = 2} times that (for the second-order terms and the unfused scalar products), plus
 * k subnormal spacings for underflow in tiny products. A wrong index, a lost or doubled term, or
 * a read of a gap moves an element by about one product, far above the bound.
 */
class GemmProperties {

  private static final double UNIT_ROUNDOFF = 0x1p-24;
  private static final double C_FACTOR = 2;
  private static final long SEED = 0x5EED_6E33L;

  /** A SGEMM implementation with the facade's signature. */
  @FunctionalInterface
  interface Sgemm {
    void run(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
        int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff,
        int ldc);
  }

  record Shape(int m, int n, int k) {}

  record Layout(boolean transA, boolean transB, int padA, int padB, int padC, int offA,
      int offB, int offC) {}

  record Scalars(float alpha, float beta) {}

  record Case(Shape shape, Layout layout, Scalars scalars, long dataSeed) {}

  // ---------------------------------------------------------------- against the reference

  @Test
  void scalarTwinMatchesReference() {
    checkAgainstReference(ScalarGemm::sgemm);
  }

  @Test
  void vectorTwinMatchesReference() {
    assumeVector();
    checkAgainstReference(VectorGemm::sgemm);
  }

  @Test
  void facadeMatchesReference() {
    checkAgainstReference(Blas::sgemm);
  }

  @Test
  void wideProductCrossesTheColumnBlock() {
    // n past NC (1024) exercises more than one column block, k past KC more than one K step.
    for (Sgemm gemm : twins()) {
      for (boolean transA : new boolean[] {false, true}) {
        for (boolean transB : new boolean[] {false, true}) {
          Case wide = new Case(new Shape(13, GemmDriver.NC + 37, GemmDriver.KC + 3),
              new Layout(transA, transB, 1, 2, 3, 4, 5, 6), new Scalars(-0.5f, 0.5f), 7);
          runCase(gemm, wide);
        }
      }
    }
  }

  @Test
  void vectorTimesMatrixPathMatchesReference() {
    // 1 x n with op(B) = B, and m x 1 with op(A) = A^T, run the vector-times-matrix path: n and
    // m past VECTOR_CHUNK give it several chunks and a tail; strided x (transA for 1 x n, an
    // untransposed B column for m x 1) and a column C with ldc > 1 test its strides.
    int wide = 2 * GemmDriver.VECTOR_CHUNK + 2 * Backend.current().floatLanes() + 3;
    for (Sgemm gemm : twins()) {
      for (int side : new int[] {5, 103, wide}) {
        for (boolean trans : new boolean[] {false, true}) {
          for (int k : new int[] {1, 7, 300}) {
            runCase(gemm, new Case(new Shape(1, side, k),
                new Layout(trans, false, 2, 1, 0, 3, 1, 2), new Scalars(1.75f, -1f), side + k));
            runCase(gemm, new Case(new Shape(side, 1, k),
                new Layout(true, trans, 1, 2, 3, 1, 2, 3), new Scalars(-0.5f, 0f), side * k));
          }
        }
      }
    }
  }

  @Test
  void zeroAlphaDoesNotReadAOrB() {
    // alpha = 0 (and k = 0) only scales C: NaN in A and B must not reach it.
    for (Sgemm gemm : twins()) {
      for (int k : new int[] {0, 5}) {
        float[] a = filled(4 * k + 1, Float.NaN);
        float[] b = filled(k * 3 + 1, Float.NaN);
        float[] c = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        float alpha = k == 0 ? 1f : 0f;
        gemm.run(false, false, 4, 3, k, alpha, a, 0, Math.max(1, k), b, 0, 3, -1f, c, 0, 3);
        assertArrayEquals(new float[] {-1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12}, c);
      }
    }
  }

  @Test
  void paddingOfAStridedRowNeverReachesC() {
    // A stored with row stride 4 for 3 columns (m x 3, or 3 x m transposed): the fourth column
    // is padding, and what it holds must not change a bit of C.
    float[] paddings = {0f, Float.NaN, 1e30f, Float.NEGATIVE_INFINITY};
    for (Sgemm gemm : twins()) {
      for (boolean transA : new boolean[] {false, true}) {
        for (boolean transB : new boolean[] {false, true}) {
          int m = transA ? 3 : 11;
          int k = transA ? 13 : 3;
          int n = 9;
          int[] first = null;
          for (float padding : paddings) {
            float[] a = stridedWithPadding(transA ? k : m, 3, 4, padding, 11);
            float[] b = random(k * n, 12);
            float[] c = new float[m * n];
            gemm.run(transA, transB, m, n, k, 1f, a, 0, 4, b, 0, transB ? k : n, 0f, c, 0, n);
            int[] bits = bits(c);
            if (first == null) {
              first = bits;
            } else {
              assertArrayEquals(first, bits, "padding " + padding + " changed C");
            }
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- reproducibility

  @Test
  void oneAndTwoThreadsGiveBitwiseTheSameResult() {
    // Shapes that the driver cuts differently on 2 threads (each above
    // GemmDriver.PARALLEL_MIN_WORK): by rows (64 x 10), by columns (40 x 2000), over several
    // blocks both ways (150 x 1030), plus the conv shape (run whole) and the vector-times-matrix
    // path cut into chunks (1 x 4000, 4000 x 1).
    List<Shape> shapes = List.of(new Shape(150, 1030, 260), new Shape(64, 10, 7000),
        new Shape(40, 2000, 300), new Shape(32, 784, 9), new Shape(257, 263, 269),
        new Shape(1, 4000, 1100), new Shape(4000, 1, 1100));
    int before = Parallel.threads();
    try {
      for (Sgemm gemm : twins()) {
        for (Shape shape : shapes) {
          for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
              Case example = new Case(shape, new Layout(transA, transB, 0, 1, 0, 0, 3, 0),
                  new Scalars(1f, 0.5f), shape.m() * 31L + shape.n());
              Parallel.setThreads(1);
              float[] one = compute(gemm, example);
              Parallel.setThreads(2);
              float[] two = compute(gemm, example);
              assertArrayEquals(bits(one), bits(two), "thread counts differ for " + example);
            }
          }
        }
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void badArgumentsThrowAndLeaveCUntouched() {
    float[] a = random(6, 1);
    float[] b = random(6, 2);
    float[] c = random(4, 3);
    float[] original = c.clone();
    // m = 2, n = 2, k = 3, no transpose: lda >= 3, ldb >= 2, ldc >= 2.
    expectIllegal("m = -1", () -> Blas.sgemm(false, false, -1, 2, 3, 1, a, 0, 3, b, 0, 2, 0, c,
        0, 2));
    expectIllegal("n = -2", () -> Blas.sgemm(false, false, 2, -2, 3, 1, a, 0, 3, b, 0, 2, 0, c,
        0, 2));
    expectIllegal("k = -3", () -> Blas.sgemm(false, false, 2, 2, -3, 1, a, 0, 3, b, 0, 2, 0, c,
        0, 2));
    expectIllegal("lda = 2", () -> Blas.sgemm(false, false, 2, 2, 3, 1, a, 0, 2, b, 0, 2, 0, c,
        0, 2));
    expectIllegal("lda = 1", () -> Blas.sgemm(true, false, 2, 2, 3, 1, a, 0, 1, b, 0, 2, 0, c,
        0, 2));
    expectIllegal("lda = 0", () -> Blas.sgemm(false, false, 2, 2, 0, 1, a, 0, 0, b, 0, 2, 0, c,
        0, 2));
    expectIllegal("ldb = 1", () -> Blas.sgemm(false, false, 2, 2, 3, 1, a, 0, 3, b, 0, 1, 0, c,
        0, 2));
    expectIllegal("ldb = 2", () -> Blas.sgemm(false, true, 2, 2, 3, 1, a, 0, 3, b, 0, 2, 0, c,
        0, 2));
    expectIllegal("ldc = 1", () -> Blas.sgemm(false, false, 2, 2, 3, 1, a, 0, 3, b, 0, 2, 0, c,
        0, 1));
    expectIllegal("a: offset 1", () -> Blas.sgemm(false, false, 2, 2, 3, 1, a, 1, 3, b, 0, 2, 0,
        c, 0, 2));
    expectIllegal("a: offset -1", () -> Blas.sgemm(false, false, 2, 2, 3, 1, a, -1, 3, b, 0, 2,
        0, c, 0, 2));
    expectIllegal("b: offset 2", () -> Blas.sgemm(false, false, 2, 2, 3, 1, a, 0, 3, b, 2, 2, 0,
        c, 0, 2));
    expectIllegal("c: offset 1", () -> Blas.sgemm(false, false, 2, 2, 3, 1, a, 0, 3, b, 0, 2, 0,
        c, 1, 2));
    expectIllegal("a: offset 0 + extent 2147483650",
        () -> Blas.sgemm(false, false, 2, 2, 3, 1, a, 0, Integer.MAX_VALUE, b, 0, 2, 0, c, 0, 2));
    expectIllegal("m * n = 65536 * 65536", () -> Blas.sgemm(false, false, 65536, 65536, 0, 1, a,
        0, 1, b, 0, 65536, 0, c, 0, 65536));
    expectNull("a", () -> Blas.sgemm(false, false, 2, 2, 3, 1, null, 0, 3, b, 0, 2, 0, c, 0, 2));
    expectNull("b", () -> Blas.sgemm(false, false, 2, 2, 3, 1, a, 0, 3, null, 0, 2, 0, c, 0, 2));
    expectNull("c", () -> Blas.sgemm(false, false, 2, 2, 3, 1, a, 0, 3, b, 0, 2, 0, null, 0, 2));
    assertArrayEquals(original, c, "a rejected call wrote to C");
  }

  // ---------------------------------------------------------------- the property, one case

  static void checkAgainstReference(Sgemm gemm) {
    qt().withFixedSeed(SEED).withExamples(150).forAll(cases())
        .checkAssert(example -> runCase(gemm, example));
  }

  /** Runs one case on poisoned arrays and returns C, unchecked. */
  static float[] compute(Sgemm gemm, Case example) {
    return run(gemm, example, false);
  }

  /** Runs one case, checks C against the reference and its gaps, and returns C. */
  static float[] runCase(Sgemm gemm, Case example) {
    return run(gemm, example, true);
  }

  private static float[] run(Sgemm gemm, Case example, boolean check) {
    Shape s = example.shape();
    Layout l = example.layout();
    float alpha = example.scalars().alpha();
    float beta = example.scalars().beta();
    Random random = new Random(example.dataSeed());

    int aRows = l.transA() ? s.k() : s.m();
    int aCols = l.transA() ? s.m() : s.k();
    int bRows = l.transB() ? s.n() : s.k();
    int bCols = l.transB() ? s.k() : s.n();
    int lda = Math.max(1, aCols + l.padA());
    int ldb = Math.max(1, bCols + l.padB());
    int ldc = Math.max(1, s.n() + l.padC());
    float[] a = poisoned(l.offA(), aRows, aCols, lda, random, false);
    float[] b = poisoned(l.offB(), bRows, bCols, ldb, random, false);
    float[] c = poisoned(l.offC(), s.m(), s.n(), ldc, random, beta == 0f);
    float[] before = c.clone();

    gemm.run(l.transA(), l.transB(), s.m(), s.n(), s.k(), alpha, a, l.offA(), lda, b, l.offB(),
        ldb, beta, c, l.offC(), ldc);
    if (!check) {
      return c;
    }

    boolean[] window = new boolean[c.length];
    for (int i = 0; i < s.m(); i++) {
      for (int j = 0; j < s.n(); j++) {
        int at = l.offC() + i * ldc + j;
        window[at] = true;
        double sum = 0;
        double magnitude = 0;
        for (int p = 0; p < s.k(); p++) {
          float aip = l.transA() ? a[l.offA() + p * lda + i] : a[l.offA() + i * lda + p];
          float bpj = l.transB() ? b[l.offB() + j * ldb + p] : b[l.offB() + p * ldb + j];
          double product = (double) aip * bpj;
          sum += product;
          magnitude += Math.abs(product);
        }
        double old = beta == 0f ? 0 : (double) beta * before[at];
        double expected = alpha * sum + old;
        double bound = C_FACTOR * (s.k() + 2) * UNIT_ROUNDOFF
            * (Math.abs(alpha) * magnitude + Math.abs(old)) + s.k() * (double) Float.MIN_VALUE;
        double error = Math.abs(c[at] - expected);
        if (!(error <= bound)) {
          fail("C[" + i + "][" + j + "] = " + c[at] + ", expected " + expected + " +- " + bound
              + " in " + example);
        }
      }
    }
    for (int at = 0; at < c.length; at++) {
      if (!window[at] && Float.floatToRawIntBits(c[at]) != Float.floatToRawIntBits(before[at])) {
        fail("C[" + at + "] outside the m x n window changed in " + example);
      }
    }
    return c;
  }

  // ---------------------------------------------------------------- generators

  private static Gen<Case> cases() {
    Gen<Shape> shapes = sizes().zip(sizes(), sizes(), Shape::new);
    Gen<Integer> pads = integers().between(0, 3);
    Gen<Integer> offsets = integers().between(0, 5);
    Gen<Boolean> flags = booleans().all();
    Gen<Layout> layouts = flags.zip(flags, pads, pads, (ta, tb, pa, pb) -> new int[] {
        ta ? 1 : 0, tb ? 1 : 0, pa, pb}).zip(pads, offsets, offsets, offsets,
            (first, pc, oa, ob, oc) -> new Layout(first[0] == 1, first[1] == 1, first[2],
                first[3], pc, oa, ob, oc));
    Gen<Float> edgeValues = arbitrary().pick(0f, 1f, -1f, 0.5f);
    Gen<Float> alphas = edgeValues.mix(arbitrary().pick(1.75f, -3f), 30);
    Gen<Scalars> scalars = alphas.zip(edgeValues, Scalars::new);
    return shapes.zip(layouts, scalars, longs().all(), Case::new);
  }

  /** Sizes off the lane grid half of the time, anything in 1..300 otherwise. */
  private static Gen<Integer> sizes() {
    int lanes = Backend.current().floatLanes();
    Gen<Integer> special = arbitrary().pick(0, 1, 2, 3, 5, 6, 7, 13, lanes - 1, lanes, lanes + 1,
        2 * lanes + 3, 2 * lanes - 1, 17, 103, 127, GemmDriver.MC + 1, GemmDriver.KC + 1);
    return special.mix(integers().between(1, 300), 50);
  }

  // ---------------------------------------------------------------- helpers

  private static List<Sgemm> twins() {
    if (Backend.current().kind() == Backend.Kind.VECTOR) {
      return List.of(ScalarGemm::sgemm, VectorGemm::sgemm);
    }
    return List.of(ScalarGemm::sgemm);
  }

  private static void assumeVector() {
    Assumptions.assumeTrue(Backend.current().kind() == Backend.Kind.VECTOR,
        "vector backend not active");
  }

  /**
   * An array with a rows x cols matrix of values in [-1, 1) at offset, row stride ld; the
   * offset prefix, the gaps between rows and a tail of 3 hold NaN. With nanWindow, the matrix
   * holds NaN too (C under beta = 0).
   */
  private static float[] poisoned(int offset, int rows, int cols, int ld, Random random,
      boolean nanWindow) {
    int extent = rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols;
    float[] array = filled(offset + extent + 3, Float.NaN);
    for (int r = 0; r < rows; r++) {
      for (int col = 0; col < cols; col++) {
        array[offset + r * ld + col] = nanWindow ? Float.NaN : random.nextFloat() * 2 - 1;
      }
    }
    return array;
  }

  private static float[] stridedWithPadding(int rows, int cols, int ld, float padding,
      long seed) {
    Random random = new Random(seed);
    float[] array = filled(rows * ld, padding);
    for (int r = 0; r < rows; r++) {
      for (int col = 0; col < cols; col++) {
        array[r * ld + col] = random.nextFloat() * 2 - 1;
      }
    }
    return array;
  }

  private static float[] random(int length, long seed) {
    Random random = new Random(seed);
    float[] array = new float[length];
    for (int i = 0; i < length; i++) {
      array[i] = random.nextFloat() * 2 - 1;
    }
    return array;
  }

  private static float[] filled(int length, float value) {
    float[] array = new float[length];
    Arrays.fill(array, value);
    return array;
  }

  /** The raw bits of {@code values}, for comparisons that must be exact (NaN and -0 included). */
  static int[] bits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }

  private static void expectIllegal(String message, Runnable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().contains(message), "message '" + e.getMessage()
        + "' should contain '" + message + "'");
  }

  private static void expectNull(String name, Runnable call) {
    NullPointerException e = assertThrows(NullPointerException.class, call::run);
    assertEquals(name, e.getMessage());
  }
}
