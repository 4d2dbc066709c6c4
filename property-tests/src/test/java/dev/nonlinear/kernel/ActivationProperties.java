package dev.nonlinear.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.nonlinear.kernel.ActivationCases.Backward;
import dev.nonlinear.kernel.ActivationCases.Case;
import dev.nonlinear.kernel.ActivationCases.Forward;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every activation (facade, scalar twin, vector twin; forward and backward; out of place and in
 * place) against the double references of {@link ActivationReference}, with the bounds of
 * {@link ActivationCases}; the vector twin must also give the scalar twin's bits, element for
 * element, so that an element's value never depends on whether it fell in a vector body or a
 * tail. Then PyTorch's edge values, directional finite differences, and bad arguments.
 */
class ActivationProperties {

  private static final boolean VECTOR = Backend.current().kind() == Backend.Kind.VECTOR;
  private static final int LANES = Backend.current().floatLanes();
  private static final int MAX_LENGTH = 3 * LANES + 3;
  private static final List<Case> CASES = ActivationCases.all();

  /** Edge inputs every sample draws from. */
  private static final float[] SPECIALS = {
    Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
    Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, -1e-40f, Float.MIN_NORMAL, -Float.MIN_NORMAL,
    44f, -44f, 88f, -88f, 89f, -89f, 104f, -104f, 1e4f, -1e4f, Float.MAX_VALUE, -Float.MAX_VALUE,
    1f, -1f, 3f, -3f, 1.5f, -1.5f, 0.5f, 20f, -20f, 5f, 10f, -128f, 129f, -129f
  };

  private static final float GUARD = 7.25f;

  private static float[] sample(Random random, int length) {
    float[] values = new float[length];
    for (int i = 0; i < length; i++) {
      values[i] = switch (random.nextInt(3)) {
        case 0 -> SPECIALS[random.nextInt(SPECIALS.length)];
        case 1 -> (float) (random.nextGaussian() * 6);
        default -> Float.intBitsToFloat(random.nextInt());
      };
    }
    return values;
  }

  // ---- values against the reference, every length, offset and implementation ---------------

  private static void checkOutput(Case c, String who, float x, float got, int n, int i) {
    double expected = c.reference().applyAsDouble(x);
    checkValue(() -> who + " " + c + " n=" + n + " i=" + i + ", x = " + x, got, expected,
        c.exact() ? 0 : c.tolerance(expected), c.exact());
  }

  private static void checkValue(Supplier<String> where, float got, double expected,
      double tolerance, boolean exact) {
    if (Double.isNaN(expected) || Float.isNaN(got)) {
      assertEquals(Double.isNaN(expected), Float.isNaN(got),
          () -> where.get() + ": expected " + expected + ", got " + got);
      return;
    }
    if (exact) {
      assertEquals(Float.floatToIntBits((float) expected), Float.floatToIntBits(got),
          () -> where.get() + ": expected exactly " + (float) expected + ", got " + got);
      return;
    }
    if (Float.isInfinite(got) && got == expected) {
      return;
    }
    assertTrue(Math.abs(got - expected) <= tolerance, () -> where.get() + ": expected " + expected
        + " ± " + tolerance + ", got " + got);
  }

  /** Runs one forward kernel out of place and in place; returns the out-of-place output. */
  private static float[] runForward(Case c, String who, Forward kernel, float[] x, int offset,
      int n) {
    float[] y = new float[n + 2];
    Arrays.fill(y, GUARD);
    float[] original = x.clone();

    kernel.run(x, offset, y, 1, n);

    assertArrayEquals(original, x, who + " " + c + " changed its input");
    assertEquals(GUARD, y[0], who + " " + c + " wrote before its range");
    assertEquals(GUARD, y[n + 1], who + " " + c + " wrote after its range");
    for (int i = 0; i < n; i++) {
      checkOutput(c, who, x[offset + i], y[1 + i], n, i);
    }

    float[] inPlace = x.clone();
    kernel.run(inPlace, offset, inPlace, offset, n);
    for (int i = 0; i < inPlace.length; i++) {
      float expected = i >= offset && i < offset + n ? y[1 + i - offset] : original[i];
      int at = i;
      assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(inPlace[i]),
          () -> who + " " + c + " in place differs at " + at + ", n=" + n);
    }
    return Arrays.copyOfRange(y, 1, n + 1);
  }

  /** Runs one backward kernel out of place and in place (gradX = gradY); returns gradX. */
  private static float[] runBackward(Case c, String who, Backward kernel, float[] input,
      int offset, float[] gradY, int n) {
    float[] gradX = new float[n + 2];
    Arrays.fill(gradX, GUARD);

    kernel.run(input, offset, gradY, 0, gradX, 1, n);

    assertEquals(GUARD, gradX[0], who + " " + c + " backward wrote before its range");
    assertEquals(GUARD, gradX[n + 1], who + " " + c + " backward wrote after its range");
    for (int i = 0; i < n; i++) {
      float in = input[offset + i];
      double expected = gradY[i] * c.derivative().applyAsDouble(in);
      double slopeBound = c.slopeTolerance(c.derivative().applyAsDouble(in));
      double tolerance = Math.abs(gradY[i]) * slopeBound + Math.ulp((float) expected);
      int at = i;
      Supplier<String> where = () -> who + " " + c + " backward n=" + n + " i=" + at
          + ", input = " + in + ", gradY = " + gradY[at];
      if (c.exactSlope() && !Double.isNaN(expected)) {
        // A selection (ReLU, Hardtanh) gives +0 where gradY · 0 would be -0: compare values.
        float rounded = (float) (gradY[i] * (double) (float) c.derivative().applyAsDouble(in));
        assertEquals(rounded, gradX[1 + i], 0f, where);
        continue;
      }
      checkValue(where, gradX[1 + i], expected, tolerance, false);
    }

    float[] inPlace = gradY.clone();
    kernel.run(input, offset, inPlace, 0, inPlace, 0, n);
    for (int i = 0; i < n; i++) {
      int at = i;
      assertEquals(Float.floatToIntBits(gradX[1 + i]), Float.floatToIntBits(inPlace[i]),
          () -> who + " " + c + " backward in place differs at " + at + ", n=" + n);
    }
    return Arrays.copyOfRange(gradX, 1, n + 1);
  }

  private static void checkAll(Case c, long seed, int n, int offset) {
    Random random = new Random(seed);
    float[] x = sample(random, offset + n + 1);
    float[] gradY = new float[n];
    for (int i = 0; i < n; i++) {
      gradY[i] = (float) random.nextGaussian();
    }

    float[] facade = runForward(c, "facade", c.facade(), x, offset, n);
    float[] scalar = runForward(c, "scalar", c.scalar(), x, offset, n);
    if (VECTOR) {
      float[] vector = runForward(c, "vector", c.vector(), x, offset, n);
      assertSameBits(c + " forward: vector vs scalar twin", scalar, vector);
    }

    float[] input = x;
    int inputOffset = offset;
    if (c.fromOutput()) {
      input = facade;
      inputOffset = 0;
    }
    float[] facadeGrad = runBackward(c, "facade", c.facadeBackward(), input, inputOffset, gradY,
        n);
    float[] scalarGrad = runBackward(c, "scalar", c.scalarBackward(), input, inputOffset, gradY,
        n);
    if (VECTOR) {
      float[] vectorGrad = runBackward(c, "vector", c.vectorBackward(), input, inputOffset,
          gradY, n);
      assertSameBits(c + " backward: vector vs scalar twin", scalarGrad, vectorGrad);
      assertSameBits(c + " backward: facade vs vector twin", vectorGrad, facadeGrad);
    } else {
      assertSameBits(c + " backward: facade vs scalar twin", scalarGrad, facadeGrad);
    }
  }

  private static void assertSameBits(String what, float[] expected, float[] actual) {
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
        fail(what + " at " + i + ": " + expected[i] + " vs " + actual[i]);
      }
    }
  }

  @Test
  void everyLengthAndOffsetMatchesTheReference() {
    for (Case c : CASES) {
      for (int n = 0; n <= MAX_LENGTH; n++) {
        for (int offset = 0; offset <= 2; offset++) {
          checkAll(c, 1000L * n + offset, n, offset);
        }
      }
    }
  }

  /**
   * Lengths across the two-pass kernels' blocks (VectorActivations.BLOCK floats): one short of a
   * block, exactly one, one more, and several blocks with a partial last one and a scalar tail.
   */
  @Test
  void lengthsAcrossSeveralBlocksMatchTheReference() {
    int block = VectorActivations.BLOCK;
    int[] lengths = {block - 1, block, block + 1, 2 * block + 11, 4 * block + 103};
    for (Case c : CASES) {
      for (int n : lengths) {
        checkAll(c, 31L * n, n, 1);
      }
    }
  }

  @Test
  void randomArraysMatchTheReference() {
    qt().withFixedSeed(7_340_033L).withExamples(30)
        .forAll(integers().between(0, CASES.size() - 1), integers().between(0, 103),
            integers().between(0, 9), longs().all())
        .checkAssert((which, n, offset, seed) -> checkAll(CASES.get(which), seed, n, offset));
  }

  // ---- PyTorch's edge values -----------------------------------------------------------------

  /** Runs a forward case on a few values, through a vector body and a scalar tail both. */
  private static float[] forward(Case c, float... values) {
    int copies = LANES + 1;
    float[] x = new float[values.length * copies];
    for (int i = 0; i < x.length; i++) {
      x[i] = values[i / copies];
    }
    float[] y = new float[x.length];
    c.facade().run(x, 0, y, 0, x.length);
    float[] result = new float[values.length];
    for (int v = 0; v < values.length; v++) {
      result[v] = y[v * copies];
      for (int k = 1; k < copies; k++) {
        assertEquals(Float.floatToIntBits(result[v]), Float.floatToIntBits(y[v * copies + k]),
            c + " of " + values[v] + " depends on its position");
      }
    }
    return result;
  }

  private static float slope(Case c, float x, float gradY) {
    float[] xs = new float[LANES + 1];
    Arrays.fill(xs, x);
    float[] gy = new float[xs.length];
    Arrays.fill(gy, gradY);
    float[] gradX = new float[xs.length];
    c.facadeBackward().run(xs, 0, gy, 0, gradX, 0, xs.length);
    assertEquals(Float.floatToIntBits(gradX[0]), Float.floatToIntBits(gradX[LANES]),
        c + " slope at " + x + " differs between vector body and tail");
    return gradX[0];
  }

  private static Case named(String name) {
    return CASES.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void sigmoidAndTanhMustPassValues() {
    float[] sigmoid = forward(named("sigmoid"), -1662.7f, 3212.5f, 89f, -89f, -104f, 0f);
    assertEquals(0f, sigmoid[0]);
    assertEquals(1f, sigmoid[1]);
    assertEquals(1f, sigmoid[2]);
    assertEquals(2.227e-39, sigmoid[3], 0.001e-39, "sigmoid(-89) is subnormal, not 0");
    assertEquals(0f, sigmoid[4]);
    assertEquals(0.5f, sigmoid[5]);

    assertArrayEquals(new float[] {-1f, -1f, 1f, 1f},
        forward(named("tanh"), -1e4f, -100f, 100f, 1e4f));
    assertEquals(0f, slope(named("tanh"), 100f, 1f), "tanh'(100) is 0, not NaN");
    assertEquals(0f, slope(named("tanh"), Float.NEGATIVE_INFINITY, 1f));
    assertEquals(0f, slope(named("sigmoid"), -1e4f, 1f));
  }

  @Test
  void nanGivesNanAndInfinitiesSaturate() {
    for (Case c : CASES) {
      float[] y = forward(c, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
      assertTrue(Float.isNaN(y[0]), c + "(NaN) should be NaN");
      assertEquals((float) c.reference().applyAsDouble(Double.POSITIVE_INFINITY), y[1],
          c + "(+inf)");
      assertEquals((float) c.reference().applyAsDouble(Double.NEGATIVE_INFINITY), y[2],
          c + "(-inf)");
      if (!c.fromOutput()) {
        assertFalse(Float.isNaN(slope(c, Float.POSITIVE_INFINITY, 1f)), c + "'(+inf) is NaN");
        assertFalse(Float.isNaN(slope(c, Float.NEGATIVE_INFINITY, 1f)), c + "'(-inf) is NaN");
      }
    }
  }

  /** PyTorch 1.13's gradient for NaN x with gradY = 2: a selection passes or drops gradY. */
  @Test
  void nanInputGradientFollowsPyTorch() {
    Map<String, Float> selections = Map.of("relu", 2f, "leakyRelu", 2f * 0.01f,
        "hardtanh", 0f, "hardsigmoid", 0f);
    for (Case c : CASES) {
      if (c.fromOutput()) {
        continue;
      }
      float got = slope(c, Float.NaN, 2f);
      Float expected = selections.get(c.name());
      if (expected == null) {
        assertTrue(Float.isNaN(got), c + ": gradient at NaN should be NaN, got " + got);
      } else {
        assertEquals(expected, got, c + ": gradient at NaN");
      }
    }
  }

  /** f(+0) and f(-0), bit for bit, as PyTorch 1.13 returns them. */
  @Test
  void signedZerosFollowPyTorch() {
    Map<String, float[]> zeros = Map.ofEntries(
        Map.entry("relu", new float[] {0f, -0f}),
        Map.entry("leakyRelu", new float[] {0f, -0f}),
        Map.entry("elu", new float[] {0f, 0f}),
        Map.entry("selu", new float[] {0f, 0f}),
        Map.entry("celu", new float[] {0f, 0f}),
        Map.entry("gelu", new float[] {0f, 0f}),
        Map.entry("geluTanh", new float[] {0f, -0f}),
        Map.entry("silu", new float[] {0f, -0f}),
        Map.entry("mish", new float[] {0f, -0f}),
        Map.entry("softplus", new float[] {0.346573591f, 0.346573591f}),
        Map.entry("sigmoid", new float[] {0.5f, 0.5f}),
        Map.entry("tanh", new float[] {0f, -0f}),
        Map.entry("hardtanh", new float[] {0f, -0f}),
        Map.entry("hardsigmoid", new float[] {0.5f, 0.5f}),
        Map.entry("hardswish", new float[] {0f, -0f}),
        Map.entry("softsign", new float[] {0f, -0f}));
    for (Map.Entry<String, float[]> entry : zeros.entrySet()) {
      float[] got = forward(named(entry.getKey()), 0f, -0f);
      assertEquals(Float.floatToIntBits(entry.getValue()[0]), Float.floatToIntBits(got[0]),
          entry.getKey() + "(+0) = " + got[0]);
      assertEquals(Float.floatToIntBits(entry.getValue()[1]), Float.floatToIntBits(got[1]),
          entry.getKey() + "(-0) = " + got[1]);
    }
  }

  /** Slopes at kinks and at 0, as PyTorch 1.13's autograd gives them (gradY = 1). */
  @Test
  void kinkSlopesFollowPyTorch() {
    float seluKink = (float) ((double) ScalarActivations.SELU_ALPHA
        * ScalarActivations.SELU_SCALE);
    Object[][] table = {
      {"relu", 0f, 0f}, {"relu", -0f, 0f},
      {"leakyRelu", 0f, ActivationCases.LEAKY_SLOPE}, {"leakyRelu", -0f, 0.01f},
      {"elu", 0f, ActivationCases.ELU_ALPHA}, {"elu", -0f, ActivationCases.ELU_ALPHA},
      {"selu", 0f, seluKink}, {"celu", 0f, 1f},
      {"gelu", 0f, 0.5f}, {"geluTanh", 0f, 0.5f}, {"silu", 0f, 0.5f}, {"mish", 0f, 0.6f},
      {"softplus", 0f, 0.5f}, {"sigmoid", 0f, 0.25f}, {"tanh", 0f, 1f}, {"softsign", 0f, 1f},
      {"hardtanh", ActivationCases.MIN, 0f}, {"hardtanh", ActivationCases.MAX, 0f},
      {"hardsigmoid", -3f, 0f}, {"hardsigmoid", 3f, 0f}, {"hardsigmoid", 0f, 1f / 6f},
      {"hardswish", -3f, -0.5f}, {"hardswish", 3f, 1.5f}, {"hardswish", 0f, 0.5f},
    };
    for (Object[] row : table) {
      Case c = named((String) row[0]);
      float x = (Float) row[1];
      float expected = (Float) row[2];
      assertEquals(expected, slope(c, x, 1f), 1e-7f, c + "'(" + x + ")");
    }
    assertEquals(1f,
        slope(named("softplus"), ActivationCases.THRESHOLD / ActivationCases.BETA + 1e-3f, 1f),
        "softplus past its threshold is linear");
  }

  // ---- directional finite differences --------------------------------------------------------

  /**
   * Σ gradY_i f'(x_i) v_i against the central difference Σ gradY_i (f(x⁺_i) - f(x⁻_i)) / 2h,
   * in double, with x± = x ± h v rounded to float (the actual step x⁺ - x⁻ is used, so the
   * rounding of the points costs nothing). For x in [-8, 8] and h = 1/128:
   * truncation <= h² max|f'''| / 6 ≈ 2e-5 · max|f'''| (<= 1.3 for these functions), and the
   * kernels' own rounding, a few ulp of |f| <= 8 (ulp(8) ≈ 9.5e-7) divided by 2h, adds about
   * 5e-4 per element. So 1e-3 per element, weighted by |gradY_i v_i|, bounds the honest error,
   * while a wrong derivative formula is off by far more.
   */
  @Test
  void derivativesAgreeWithCentralDifferences() {
    double h = 1.0 / 128;
    double perElement = 1e-3;
    qt().withFixedSeed(1_000_003L).withExamples(40)
        .forAll(integers().between(1, 40), longs().all())
        .checkAssert((n, seed) -> {
          for (Case c : CASES) {
            if (c.fromOutput()) {
              continue;
            }
            checkDirectional(c, n, new Random(seed), h, perElement);
          }
        });
  }

  private static void checkDirectional(Case c, int n, Random random, double h,
      double perElement) {
    float[] x = new float[n];
    float[] v = new float[n];
    float[] gradY = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = awayFromKinks(c, (float) (random.nextDouble() * 16 - 8), 2 * h);
      v[i] = (float) (random.nextDouble() * 2 - 1);
      gradY[i] = (float) (random.nextDouble() * 2 - 1);
    }
    float[] plus = new float[n];
    float[] minus = new float[n];
    for (int i = 0; i < n; i++) {
      plus[i] = (float) (x[i] + h * v[i]);
      minus[i] = (float) (x[i] - h * v[i]);
    }
    float[] fPlus = new float[n];
    float[] fMinus = new float[n];
    float[] gradX = new float[n];
    c.facade().run(plus, 0, fPlus, 0, n);
    c.facade().run(minus, 0, fMinus, 0, n);
    c.facadeBackward().run(x, 0, gradY, 0, gradX, 0, n);

    double difference = 0;
    double predicted = 0;
    double bound = 0;
    for (int i = 0; i < n; i++) {
      difference += gradY[i] * ((double) fPlus[i] - fMinus[i]) / (2 * h);
      predicted += gradX[i] * ((double) plus[i] - minus[i]) / (2 * h);
      bound += perElement * Math.abs(gradY[i] * v[i]);
    }
    double error = Math.abs(difference - predicted);
    assertTrue(error <= bound + 1e-12, c + ": directional derivative " + predicted
        + " vs central difference " + difference + " (bound " + bound + ")");
  }

  private static float awayFromKinks(Case c, float x, double margin) {
    for (double kink : c.kinks()) {
      if (Math.abs(x - kink) < margin) {
        return (float) (kink + (x < kink ? -margin : margin) * 2);
      }
    }
    return x;
  }

  // ---- bad arguments -------------------------------------------------------------------------

  @Test
  void badArgumentsThrowNamingThemAndWriteNothing() {
    for (Case c : CASES) {
      float[] x = {1f, -1f, 2f};
      float[] y = {9f, 9f, 9f};
      float[] untouched = y.clone();
      String inputName = c.fromOutput() ? "y" : "x";

      expect(NullPointerException.class, "x", c, () -> c.facade().run(null, 0, y, 0, 1));
      expect(NullPointerException.class, "y", c, () -> c.facade().run(x, 0, null, 0, 1));
      expect(IllegalArgumentException.class, "n", c, () -> c.facade().run(x, 0, y, 0, -1));
      expect(IllegalArgumentException.class, "x", c, () -> c.facade().run(x, 1, y, 0, 3));
      expect(IllegalArgumentException.class, "x", c, () -> c.facade().run(x, -1, y, 0, 1));
      expect(IllegalArgumentException.class, "y", c, () -> c.facade().run(x, 0, y, 4, 0));
      expect(IllegalArgumentException.class, "y", c, () -> c.facade().run(x, 0, y, 2, 2));
      assertArrayEquals(untouched, y, c + " wrote before failing");

      Backward b = c.facadeBackward();
      expect(NullPointerException.class, inputName, c, () -> b.run(null, 0, x, 0, y, 0, 1));
      expect(NullPointerException.class, "gradY", c, () -> b.run(x, 0, null, 0, y, 0, 1));
      expect(NullPointerException.class, "gradX", c, () -> b.run(x, 0, x, 0, null, 0, 1));
      expect(IllegalArgumentException.class, "n", c, () -> b.run(x, 0, x, 0, y, 0, -3));
      expect(IllegalArgumentException.class, inputName, c, () -> b.run(x, 2, x, 0, y, 0, 2));
      expect(IllegalArgumentException.class, "gradY", c, () -> b.run(x, 0, x, 1, y, 0, 3));
      expect(IllegalArgumentException.class, "gradX", c, () -> b.run(x, 0, x, 0, y, 1, 3));
      assertArrayEquals(untouched, y, c + " backward wrote before failing");
    }
  }

  @Test
  void badParametersThrowNamingThem() {
    float[] x = {1f, -1f};
    float[] y = {9f, 9f};
    expect(IllegalArgumentException.class, "negativeSlope", null,
        () -> Activations.leakyRelu(x, 0, y, 0, 2, Float.NaN));
    expect(IllegalArgumentException.class, "alpha", null,
        () -> Activations.elu(x, 0, y, 0, 2, Float.POSITIVE_INFINITY));
    expect(IllegalArgumentException.class, "alpha", null,
        () -> Activations.celu(x, 0, y, 0, 2, 0f));
    expect(IllegalArgumentException.class, "alpha", null,
        () -> Activations.celuBackward(x, 0, x, 0, y, 0, 2, -1f));
    expect(IllegalArgumentException.class, "beta", null,
        () -> Activations.softplus(x, 0, y, 0, 2, 0f, 20f));
    expect(IllegalArgumentException.class, "threshold", null,
        () -> Activations.softplusBackward(x, 0, x, 0, y, 0, 2, 1f, Float.NaN));
    expect(IllegalArgumentException.class, "min", null,
        () -> Activations.hardtanh(x, 0, y, 0, 2, 1f, -1f));
    expect(IllegalArgumentException.class, "max", null,
        () -> Activations.hardtanhBackward(x, 0, x, 0, y, 0, 2, -1f, Float.NaN));
    assertArrayEquals(new float[] {9f, 9f}, y);
  }

  private static void expect(Class<? extends RuntimeException> type, String argument, Case c,
      Runnable call) {
    RuntimeException thrown = assertThrows(type, call::run, c + ": expected " + type
        .getSimpleName() + " naming " + argument);
    String message = String.valueOf(thrown.getMessage());
    assertTrue(message.equals(argument) || message.startsWith(argument + " ")
        || message.startsWith(argument + ":") || message.contains(" " + argument + " = "),
        () -> c + ": message should name " + argument + ": " + message);
  }
}
