package dev.nonlinear.kernel;

import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Every activation under test: facade and both twins (forward and backward), its double
 * reference and derivative, and the error bound each is held to. Shared by the property tests
 * and {@link ActivationSweep}.
 *
 * <p>Bounds: an output passes when |got - reference| <= max(ulps · ulp(reference as float),
 * absolute). ReLU-like functions are exact (0 ulp). For the smooth functions the bounds are the
 * accuracy targets (4 ulp, or 1e-7 near a zero crossing; GELU 1e-6 absolute), widened only
 * where the sweep measured more and the javadoc says so: the slopes of Sigmoid and Tanh from x
 * (e / (1 + e)², 4e / (1 + e)²: four roundings on top of exp's) reach 4.8 ulp, so 5.
 * {@link #SUBNORMAL_FLOOR} covers results that underflow gradually, where one ulp is a large
 * relative step.
 */
final class ActivationCases {

  /** Below this magnitude results are judged absolutely: 8 · Float.MIN_NORMAL. */
  static final double SUBNORMAL_FLOOR = 1e-37;

  interface Forward {
    void run(float[] x, int xOff, float[] y, int yOff, int n);
  }

  interface Backward {
    void run(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX, int gxOff, int n);
  }

  /**
   * One activation. {@code fromOutput} marks the backward kernels that read y = f(x) rather than
   * x; for them {@code derivative} maps y to the slope.
   */
  record Case(String name, Forward facade, Forward scalar, Forward vector,
      Backward facadeBackward, Backward scalarBackward, Backward vectorBackward,
      DoubleUnaryOperator reference, DoubleUnaryOperator derivative,
      double ulps, double absolute, double slopeUlps, double slopeAbsolute,
      double[] kinks, boolean fromOutput) {

    /** True for the kernels that must return the reference rounded to float. */
    boolean exact() {
      return ulps == 0 && absolute == 0;
    }

    boolean exactSlope() {
      return slopeUlps == 0 && slopeAbsolute == 0;
    }

    double tolerance(double expected) {
      if (exact()) {
        return 0;
      }
      double ulp = Math.ulp((float) expected);
      return Math.max(Math.max(ulps * ulp, absolute), SUBNORMAL_FLOOR);
    }

    double slopeTolerance(double expected) {
      if (exactSlope()) {
        return 0;
      }
      double ulp = Math.ulp((float) expected);
      return Math.max(Math.max(slopeUlps * ulp, slopeAbsolute), SUBNORMAL_FLOOR);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static final double[] NO_KINKS = {};

  /**
   * CELU's slope left of 0 is e^(x/α); x/α is rounded (half an ulp), and exp amplifies a relative
   * argument error by |x/α|, so far left the slope (tiny there) is off by many ulp however it is
   * computed from a float x/α. Held to 4 ulp or 1e-7 absolute, the ELU target near 0.
   */
  static final double CELU_SLOPE_ABSOLUTE = 1e-7;

  /**
   * PyTorch's from-output formulas 1 - y·y and (1 - y)·y: y·y and 1 - y each round within half an
   * ulp of 1, so near |y| = 1 the error is up to 2^-23 absolute, many ulp of the small result.
   */
  static final double FROM_OUTPUT_ABSOLUTE = 0x1p-23;

  /** x / 3 + 0.5 rounds twice within half an ulp of 1: up to 1e-7 absolute near x = -1.5. */
  static final double HARDSWISH_SLOPE_ABSOLUTE = 1e-7;

  static final float LEAKY_SLOPE = 0.01f;
  static final float ELU_ALPHA = 1.5f;
  static final float CELU_ALPHA = 0.75f;
  static final float BETA = 2f;
  static final float THRESHOLD = 10f;
  static final float MIN = -1.5f;
  static final float MAX = 0.5f;

  static List<Case> all() {
    float celuSlope = (float) (CELU_ALPHA * (1.0 / CELU_ALPHA));
    float seluNegative = (float) ((double) ScalarActivations.SELU_ALPHA
        * ScalarActivations.SELU_SCALE);
    float seluScale = ScalarActivations.SELU_SCALE;
    return List.of(
        new Case("relu", Activations::relu, ScalarActivations::relu,
            (x, xo, y, yo, n) -> VectorActivations.relu(x, xo, y, yo, n),
            Activations::reluBackward, ScalarActivations::reluBackward,
            (x, xo, g, go, d, dO, n) -> VectorActivations.reluBackward(x, xo, g, go, d, dO, n),
            x -> x < 0 ? 0 : x, x -> x <= 0 ? 0 : 1, 0, 0, 0, 0, new double[] {0}, false),
        new Case("leakyRelu",
            (x, xo, y, yo, n) -> Activations.leakyRelu(x, xo, y, yo, n, LEAKY_SLOPE),
            (x, xo, y, yo, n) -> ScalarActivations.leakyRelu(x, xo, y, yo, n, LEAKY_SLOPE),
            (x, xo, y, yo, n) -> VectorActivations.leakyRelu(x, xo, y, yo, n, LEAKY_SLOPE),
            (x, xo, g, go, d, dO, n) -> Activations.leakyReluBackward(x, xo, g, go, d, dO, n,
                LEAKY_SLOPE),
            (x, xo, g, go, d, dO, n) -> ScalarActivations.leakyReluBackward(x, xo, g, go, d, dO,
                n, LEAKY_SLOPE),
            (x, xo, g, go, d, dO, n) -> VectorActivations.leakyReluBackward(x, xo, g, go, d, dO,
                n, LEAKY_SLOPE),
            x -> x > 0 ? x : x * (double) LEAKY_SLOPE, x -> x > 0 ? 1 : LEAKY_SLOPE,
            0, 0, 0, 0, new double[] {0}, false),
        new Case("elu",
            (x, xo, y, yo, n) -> Activations.elu(x, xo, y, yo, n, ELU_ALPHA),
            (x, xo, y, yo, n) -> ScalarActivations.elu(x, xo, y, yo, n, 1f, ELU_ALPHA, 1f),
            (x, xo, y, yo, n) -> VectorActivations.elu(x, xo, y, yo, n, 1f, ELU_ALPHA, 1f),
            (x, xo, g, go, d, dO, n) -> Activations.eluBackward(x, xo, g, go, d, dO, n,
                ELU_ALPHA),
            (x, xo, g, go, d, dO, n) -> ScalarActivations.eluBackward(x, xo, g, go, d, dO, n,
                1f, ELU_ALPHA, 1f),
            (x, xo, g, go, d, dO, n) -> VectorActivations.eluBackward(x, xo, g, go, d, dO, n,
                1f, ELU_ALPHA, 1f),
            x -> ActivationReference.elu(x, ELU_ALPHA, 1, 1),
            x -> ActivationReference.eluSlope(x, ELU_ALPHA, 1, 1),
            4, 0, 4, 0, new double[] {0}, false),
        new Case("selu", Activations::selu,
            (x, xo, y, yo, n) -> ScalarActivations.elu(x, xo, y, yo, n, seluScale,
                seluNegative, 1f),
            (x, xo, y, yo, n) -> VectorActivations.elu(x, xo, y, yo, n, seluScale,
                seluNegative, 1f),
            Activations::seluBackward,
            (x, xo, g, go, d, dO, n) -> ScalarActivations.eluBackward(x, xo, g, go, d, dO, n,
                seluScale, seluNegative, 1f),
            (x, xo, g, go, d, dO, n) -> VectorActivations.eluBackward(x, xo, g, go, d, dO, n,
                seluScale, seluNegative, 1f),
            x -> ActivationReference.elu(x, ActivationReference.SELU_ALPHA,
                ActivationReference.SELU_SCALE, 1),
            x -> ActivationReference.eluSlope(x, ActivationReference.SELU_ALPHA,
                ActivationReference.SELU_SCALE, 1),
            4, 0, 4, 0, new double[] {0}, false),
        new Case("celu",
            (x, xo, y, yo, n) -> Activations.celu(x, xo, y, yo, n, CELU_ALPHA),
            (x, xo, y, yo, n) -> ScalarActivations.elu(x, xo, y, yo, n, 1f, CELU_ALPHA,
                1f / CELU_ALPHA),
            (x, xo, y, yo, n) -> VectorActivations.elu(x, xo, y, yo, n, 1f, CELU_ALPHA,
                1f / CELU_ALPHA),
            (x, xo, g, go, d, dO, n) -> Activations.celuBackward(x, xo, g, go, d, dO, n,
                CELU_ALPHA),
            (x, xo, g, go, d, dO, n) -> ScalarActivations.eluBackward(x, xo, g, go, d, dO, n,
                1f, celuSlope, 1f / CELU_ALPHA),
            (x, xo, g, go, d, dO, n) -> VectorActivations.eluBackward(x, xo, g, go, d, dO, n,
                1f, celuSlope, 1f / CELU_ALPHA),
            x -> ActivationReference.elu(x, CELU_ALPHA, 1, 1 / (double) CELU_ALPHA),
            x -> ActivationReference.eluSlope(x, CELU_ALPHA, 1, 1 / (double) CELU_ALPHA),
            4, 0, 4, CELU_SLOPE_ABSOLUTE, NO_KINKS, false),
        new Case("gelu", Activations::gelu, ScalarActivations::gelu,
            (x, xo, y, yo, n) -> VectorActivations.gelu(x, xo, y, yo, n),
            Activations::geluBackward, ScalarActivations::geluBackward,
            (x, xo, g, go, d, dO, n) -> VectorActivations.geluBackward(x, xo, g, go, d, dO, n),
            ActivationReference::gelu, ActivationReference::geluSlope,
            4, 1e-6, 4, 1e-6, NO_KINKS, false),
        new Case("geluTanh", Activations::geluTanh, ScalarActivations::geluTanh,
            (x, xo, y, yo, n) -> VectorActivations.geluTanh(x, xo, y, yo, n),
            Activations::geluTanhBackward, ScalarActivations::geluTanhBackward,
            (x, xo, g, go, d, dO, n) -> VectorActivations.geluTanhBackward(x, xo, g, go, d, dO,
                n),
            ActivationReference::geluTanh, ActivationReference::geluTanhSlope,
            4, 1e-6, 4, 1e-6, NO_KINKS, false),
        new Case("silu", Activations::silu, ScalarActivations::silu,
            (x, xo, y, yo, n) -> VectorActivations.silu(x, xo, y, yo, n),
            Activations::siluBackward, ScalarActivations::siluBackward,
            (x, xo, g, go, d, dO, n) -> VectorActivations.siluBackward(x, xo, g, go, d, dO, n),
            ActivationReference::silu, ActivationReference::siluSlope,
            4, 1e-7, 4, 1e-7, NO_KINKS, false),
        new Case("mish", Activations::mish, ScalarActivations::mish,
            (x, xo, y, yo, n) -> VectorActivations.mish(x, xo, y, yo, n),
            Activations::mishBackward, ScalarActivations::mishBackward,
            (x, xo, g, go, d, dO, n) -> VectorActivations.mishBackward(x, xo, g, go, d, dO, n),
            ActivationReference::mish, ActivationReference::mishSlope,
            4, 1e-7, 4, 1e-7, NO_KINKS, false),
        new Case("softplus",
            (x, xo, y, yo, n) -> Activations.softplus(x, xo, y, yo, n, BETA, THRESHOLD),
            (x, xo, y, yo, n) -> ScalarActivations.softplus(x, xo, y, yo, n, BETA, THRESHOLD),
            (x, xo, y, yo, n) -> VectorActivations.softplus(x, xo, y, yo, n, BETA, THRESHOLD),
            (x, xo, g, go, d, dO, n) -> Activations.softplusBackward(x, xo, g, go, d, dO, n,
                BETA, THRESHOLD),
            (x, xo, g, go, d, dO, n) -> ScalarActivations.softplusBackward(x, xo, g, go, d, dO,
                n, BETA, THRESHOLD),
            (x, xo, g, go, d, dO, n) -> VectorActivations.softplusBackward(x, xo, g, go, d, dO,
                n, BETA, THRESHOLD),
            x -> ActivationReference.softplus(x, BETA, THRESHOLD),
            x -> ActivationReference.softplusSlope(x, BETA, THRESHOLD),
            4, 0, 4, 0, new double[] {THRESHOLD / BETA}, false),
        new Case("sigmoid", Activations::sigmoid, ScalarActivations::sigmoid,
            (x, xo, y, yo, n) -> VectorActivations.sigmoid(x, xo, y, yo, n),
            Activations::sigmoidBackward, ScalarActivations::sigmoidBackward,
            (x, xo, g, go, d, dO, n) -> VectorActivations.sigmoidBackward(x, xo, g, go, d, dO,
                n),
            ActivationReference::sigmoid, ActivationReference::sigmoidSlope,
            4, 0, 5, 0, NO_KINKS, false),
        new Case("sigmoidFromOutput", Activations::sigmoid, ScalarActivations::sigmoid,
            (x, xo, y, yo, n) -> VectorActivations.sigmoid(x, xo, y, yo, n),
            Activations::sigmoidBackwardFromOutput, ScalarActivations::sigmoidBackwardFromOutput,
            (x, xo, g, go, d, dO, n) -> VectorActivations.sigmoidBackwardFromOutput(x, xo, g, go,
                d, dO, n),
            ActivationReference::sigmoid, y -> (1 - y) * y,
            4, 0, 3, FROM_OUTPUT_ABSOLUTE, NO_KINKS, true),
        new Case("tanh", Activations::tanh, ScalarActivations::tanh,
            (x, xo, y, yo, n) -> VectorActivations.tanh(x, xo, y, yo, n),
            Activations::tanhBackward, ScalarActivations::tanhBackward,
            (x, xo, g, go, d, dO, n) -> VectorActivations.tanhBackward(x, xo, g, go, d, dO, n),
            Math::tanh, ActivationReference::tanhSlope,
            4, 0, 5, 0, NO_KINKS, false),
        new Case("tanhFromOutput", Activations::tanh, ScalarActivations::tanh,
            (x, xo, y, yo, n) -> VectorActivations.tanh(x, xo, y, yo, n),
            Activations::tanhBackwardFromOutput, ScalarActivations::tanhBackwardFromOutput,
            (x, xo, g, go, d, dO, n) -> VectorActivations.tanhBackwardFromOutput(x, xo, g, go,
                d, dO, n),
            Math::tanh, y -> 1 - y * y,
            4, 0, 3, FROM_OUTPUT_ABSOLUTE, NO_KINKS, true),
        new Case("hardtanh",
            (x, xo, y, yo, n) -> Activations.hardtanh(x, xo, y, yo, n, MIN, MAX),
            (x, xo, y, yo, n) -> ScalarActivations.hardtanh(x, xo, y, yo, n, MIN, MAX),
            (x, xo, y, yo, n) -> VectorActivations.hardtanh(x, xo, y, yo, n, MIN, MAX),
            (x, xo, g, go, d, dO, n) -> Activations.hardtanhBackward(x, xo, g, go, d, dO, n, MIN,
                MAX),
            (x, xo, g, go, d, dO, n) -> ScalarActivations.hardtanhBackward(x, xo, g, go, d, dO,
                n, MIN, MAX),
            (x, xo, g, go, d, dO, n) -> VectorActivations.hardtanhBackward(x, xo, g, go, d, dO,
                n, MIN, MAX),
            x -> ActivationReference.hardtanh(x, MIN, MAX),
            x -> ActivationReference.hardtanhSlope(x, MIN, MAX),
            0, 0, 0, 0, new double[] {MIN, MAX}, false),
        new Case("hardsigmoid", Activations::hardsigmoid, ScalarActivations::hardsigmoid,
            (x, xo, y, yo, n) -> VectorActivations.hardsigmoid(x, xo, y, yo, n),
            Activations::hardsigmoidBackward, ScalarActivations::hardsigmoidBackward,
            (x, xo, g, go, d, dO, n) -> VectorActivations.hardsigmoidBackward(x, xo, g, go, d,
                dO, n),
            ActivationReference::hardsigmoid, ActivationReference::hardsigmoidSlope,
            1, 0, 0.5, 0, new double[] {-3, 3}, false),
        new Case("hardswish", Activations::hardswish, ScalarActivations::hardswish,
            (x, xo, y, yo, n) -> VectorActivations.hardswish(x, xo, y, yo, n),
            Activations::hardswishBackward, ScalarActivations::hardswishBackward,
            (x, xo, g, go, d, dO, n) -> VectorActivations.hardswishBackward(x, xo, g, go, d, dO,
                n),
            ActivationReference::hardswish, ActivationReference::hardswishSlope,
            2, 0, 2, HARDSWISH_SLOPE_ABSOLUTE, new double[] {-3, 3}, false),
        new Case("softsign", Activations::softsign, ScalarActivations::softsign,
            (x, xo, y, yo, n) -> VectorActivations.softsign(x, xo, y, yo, n),
            Activations::softsignBackward, ScalarActivations::softsignBackward,
            (x, xo, g, go, d, dO, n) -> VectorActivations.softsignBackward(x, xo, g, go, d, dO,
                n),
            ActivationReference::softsign, ActivationReference::softsignSlope,
            2, 0, 4, 0, NO_KINKS, false));
  }

  private ActivationCases() {}
}
