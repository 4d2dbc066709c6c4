package dev.nonlinear.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.nonlinear.kernel.ActivationCases.Backward;
import dev.nonlinear.kernel.ActivationCases.Case;
import dev.nonlinear.kernel.ActivationCases.Forward;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Subnormal floats in, IEEE results out: the activations (facade and both twins, forward and
 * backward) and SGEMM on every path, against double references, with bounds that a kernel
 * flushing subnormals to zero (inputs or results) would break by orders of magnitude.
 *
 * <p>The other property tests judge results below {@link ActivationCases#SUBNORMAL_FLOOR} (or an
 * absolute bound such as GELU's 1e-6) absolutely, so a flushed subnormal passes there. Here the
 * bound in the subnormal range is the case's ulp count times one subnormal spacing
 * ({@link Float#MIN_VALUE}) plus one spacing for the final rounding: a flushed result of about
 * 1e-39 misses it by a factor of 10^5.
 *
 * <p>GEMM: the k products and k additions of one element, alpha and beta each round once; in the
 * subnormal range a rounding errs by at most half a spacing, elsewhere by u = 2^-24 relative. So
 * |error| <= 2 (k + 2) u (|alpha| Σ|a b| + |beta c|) + (k + 2) MIN_VALUE, the bound of
 * {@link GemmProperties} with the absolute part stated for this range.
 */
class SubnormalProperties {

  private static final boolean VECTOR = Backend.current().kind() == Backend.Kind.VECTOR;
  private static final int LANES = Backend.current().floatLanes();
  private static final long SEED = 0x5B_0A_5EL;
  private static final double UNIT_ROUNDOFF = 0x1p-24;
  private static final double SPACING = Float.MIN_VALUE;

  /** The largest subnormal's bits: any value in 1 .. this is a positive subnormal. */
  private static final int MAX_SUBNORMAL_BITS = 0x007F_FFFF;

  /** Lengths: one value, a vector and a tail, a prime. */
  private static final int[] LENGTHS = {1, LANES + 1, 2 * LANES + 3, 103};

  // ---- activations --------------------------------------------------------------------------

  @Test
  void activationsKeepSubnormalInputsAndResults() {
    qt().withFixedSeed(SEED).withExamples(30)
        .forAll(integers().between(0, LENGTHS.length - 1), longs().all())
        .checkAssert((lengthIndex, seed) -> {
          SplittableRandom random = new SplittableRandom(seed);
          int n = LENGTHS[lengthIndex];
          float[] x = tinyValues(random, n);
          float[] gradY = new float[n];
          for (int i = 0; i < n; i++) {
            gradY[i] = signed(random, (float) (0.5 + 1.5 * random.nextDouble()));
          }
          for (Case c : ActivationCases.all()) {
            for (Implementation impl : implementations(c)) {
              float[] y = forward(impl.forward(), x);
              checkForward(c, impl.name(), x, y, seed);
              float[] input = c.fromOutput() ? y : x;
              checkBackward(c, impl.name(), input, gradY, backward(impl.backward(), input,
                  gradY), seed);
            }
          }
        });
  }

  @Test
  void activationGradientsKeepSubnormalUpstreamGradients() {
    qt().withFixedSeed(SEED).withExamples(30)
        .forAll(integers().between(0, LENGTHS.length - 1), longs().all())
        .checkAssert((lengthIndex, seed) -> {
          SplittableRandom random = new SplittableRandom(seed);
          int n = LENGTHS[lengthIndex];
          float[] gradY = tinyValues(random, n);
          for (Case c : ActivationCases.all()) {
            float[] x = ordinaryValues(c, random, n);
            for (Implementation impl : implementations(c)) {
              float[] input = c.fromOutput() ? forward(impl.forward(), x) : x;
              checkBackward(c, impl.name(), input, gradY, backward(impl.backward(), input,
                  gradY), seed);
            }
          }
        });
  }

  /** One implementation of a case: the facade, or a twin called directly. */
  private record Implementation(String name, Forward forward, Backward backward) {}

  private static List<Implementation> implementations(Case c) {
    List<Implementation> all = new ArrayList<>();
    all.add(new Implementation("facade", c.facade(), c.facadeBackward()));
    all.add(new Implementation("scalar", c.scalar(), c.scalarBackward()));
    if (VECTOR) {
      all.add(new Implementation("vector", c.vector(), c.vectorBackward()));
    }
    return all;
  }

  private static float[] forward(Forward kernel, float[] x) {
    float[] y = new float[x.length];
    kernel.run(x, 0, y, 0, x.length);
    return y;
  }

  private static float[] backward(Backward kernel, float[] input, float[] gradY) {
    float[] gradX = new float[input.length];
    kernel.run(input, 0, gradY, 0, gradX, 0, input.length);
    return gradX;
  }

  private static void checkForward(Case c, String who, float[] x, float[] y, long seed) {
    for (int i = 0; i < x.length; i++) {
      double expected = c.reference().applyAsDouble(x[i]);
      int at = i;
      Supplier<String> where = () -> who + " " + c + "(" + x[at] + ") = " + y[at]
          + ", expected " + expected + " (seed " + seed + ")";
      if (c.exact()) {
        assertEquals((float) expected, y[i], 0f, where);
      } else {
        double bound = Math.max(c.ulps(), 1) * Math.ulp((float) expected) + SPACING;
        assertTrue(Math.abs(y[i] - expected) <= bound, where);
      }
    }
  }

  /**
   * gradX = gradY · f'(input): the slope's own bound (relative, as the case states it) scaled by
   * |gradY|, plus one spacing for rounding the product, which may be subnormal.
   */
  private static void checkBackward(Case c, String who, float[] input, float[] gradY,
      float[] gradX, long seed) {
    for (int i = 0; i < input.length; i++) {
      double slope = c.derivative().applyAsDouble(input[i]);
      double expected = gradY[i] * slope;
      int at = i;
      Supplier<String> where = () -> who + " " + c + " backward at " + input[at] + ", gradY "
          + gradY[at] + ": " + gradX[at] + ", expected " + expected + " (seed " + seed + ")";
      if (c.exactSlope()) {
        assertEquals((float) (gradY[i] * (double) (float) slope), gradX[i], 0f, where);
      } else {
        double slopeBound = Math.max(c.slopeUlps() * Math.ulp((float) slope),
            c.slopeAbsolute());
        double bound = Math.abs(gradY[i]) * slopeBound + Math.ulp((float) expected) + SPACING;
        assertTrue(Math.abs(gradX[i] - expected) <= bound, where);
      }
    }
  }

  /**
   * Subnormals of either sign (the extremes MIN_VALUE and the largest one among them), and three
   * times in ten tiny normals below 8 MIN_NORMAL, whose results (x/2, 0.6x...) underflow.
   */
  private static float[] tinyValues(SplittableRandom random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      int draw = random.nextInt(10);
      float magnitude;
      if (draw == 0) {
        magnitude = Float.MIN_VALUE;
      } else if (draw == 1) {
        magnitude = Float.intBitsToFloat(MAX_SUBNORMAL_BITS);
      } else if (draw < 7) {
        magnitude = Float.intBitsToFloat(1 + random.nextInt(MAX_SUBNORMAL_BITS));
      } else {
        magnitude = (float) (Float.MIN_NORMAL * (1 + 7 * random.nextDouble()));
      }
      values[i] = signed(random, magnitude);
    }
    return values;
  }

  /** Values in ±[0.05, 4) kept off the case's kinks, where a slope is a choice. */
  private static float[] ordinaryValues(Case c, SplittableRandom random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      float x = signed(random, (float) (0.05 + 3.95 * random.nextDouble()));
      for (double kink : c.kinks()) {
        if (Math.abs(x - kink) < 0.01) {
          x = (float) (kink + 0.05);
        }
      }
      values[i] = x;
    }
    return values;
  }

  private static float signed(SplittableRandom random, float magnitude) {
    return random.nextBoolean() ? magnitude : -magnitude;
  }

  // ---- GEMM ---------------------------------------------------------------------------------

  /** A shape and layout that selects one of the driver's paths. */
  private record GemmShape(String path, int m, int n, int k, boolean transA, boolean transB) {}

  private static final List<GemmShape> GEMM_SHAPES = List.of(
      new GemmShape("small", 5, 7, 9, false, false),
      new GemmShape("vector times matrix", 1, 103, 37, false, false),
      new GemmShape("matrix times vector", 103, 1, 37, true, false),
      new GemmShape("dots", 13, 40, 50, false, true),
      new GemmShape("packed", 2 * LANES + 3, 45, 67, true, false),
      new GemmShape("packed, two K blocks", 37, 29, GemmDriver.KC + 11, false, false));

  @Test
  void gemmKeepsSubnormalProductsAndSums() {
    qt().withFixedSeed(SEED).withExamples(12)
        .forAll(integers().between(0, GEMM_SHAPES.size() - 1), longs().all())
        .checkAssert((shapeIndex, seed) -> {
          GemmShape shape = GEMM_SHAPES.get(shapeIndex);
          SplittableRandom random = new SplittableRandom(seed);
          // Subnormal A times B of order one, or tiny normal A times small B: in both the
          // products are subnormal; C is subnormal too, and beta keeps or drops it.
          boolean subnormalA = random.nextBoolean();
          float[] a = new float[shape.m() * shape.k()];
          float[] b = new float[shape.k() * shape.n()];
          for (int i = 0; i < a.length; i++) {
            a[i] = subnormalA ? tinyValues(random, 1)[0]
                : signed(random, (float) (Float.MIN_NORMAL * (1 + random.nextDouble())));
          }
          for (int i = 0; i < b.length; i++) {
            b[i] = subnormalA ? signed(random, (float) (0.5 + random.nextDouble()))
                : signed(random, (float) (0x1p-12 * (1 + random.nextDouble())));
          }
          float[] c = tinyValues(random, shape.m() * shape.n());
          float alpha = random.nextBoolean() ? 1f : -0.75f;
          float beta = random.nextBoolean() ? 0f : 0.5f;
          for (GemmProperties.Sgemm gemm : gemms()) {
            checkGemm(gemm, shape, alpha, a, b, beta, c, seed);
          }
        });
  }

  private static List<GemmProperties.Sgemm> gemms() {
    List<GemmProperties.Sgemm> all = new ArrayList<>();
    all.add(Blas::sgemm);
    all.add(ScalarGemm::sgemm);
    if (VECTOR) {
      all.add(VectorGemm::sgemm);
    }
    return all;
  }

  private static void checkGemm(GemmProperties.Sgemm gemm, GemmShape s, float alpha, float[] a,
      float[] b, float beta, float[] c0, long seed) {
    int lda = s.transA() ? s.m() : s.k();
    int ldb = s.transB() ? s.k() : s.n();
    float[] c = c0.clone();
    gemm.run(s.transA(), s.transB(), s.m(), s.n(), s.k(), alpha, a, 0, lda, b, 0, ldb, beta, c,
        0, s.n());

    int nonzero = 0;
    for (int i = 0; i < s.m(); i++) {
      for (int j = 0; j < s.n(); j++) {
        double sum = 0;
        double magnitude = 0;
        for (int p = 0; p < s.k(); p++) {
          double ap = s.transA() ? a[p * lda + i] : a[i * lda + p];
          double bp = s.transB() ? b[j * ldb + p] : b[p * ldb + j];
          sum += ap * bp;
          magnitude += Math.abs(ap * bp);
        }
        double old = beta == 0f ? 0 : c0[i * s.n() + j];
        double expected = alpha * sum + beta * old;
        double bound = 2 * (s.k() + 2) * UNIT_ROUNDOFF
            * (Math.abs(alpha) * magnitude + Math.abs(beta * old)) + (s.k() + 2) * SPACING;
        float got = c[i * s.n() + j];
        int row = i;
        int col = j;
        assertTrue(Math.abs(got - expected) <= bound, () -> s.path() + " C[" + row + "][" + col
            + "] = " + got + ", expected " + expected + " ± " + bound + " (seed " + seed + ")");
        if (got != 0f) {
          nonzero++;
        }
      }
    }
    // The bound is far below the typical result here: a flushed C would be all zeros.
    assertTrue(nonzero > s.m() * s.n() / 2, s.path() + ": most of C came out zero");
  }
}
