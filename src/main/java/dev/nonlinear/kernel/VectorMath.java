package dev.nonlinear.kernel;

import static dev.nonlinear.kernel.ScalarMath.A0;
import static dev.nonlinear.kernel.ScalarMath.A1;
import static dev.nonlinear.kernel.ScalarMath.A2;
import static dev.nonlinear.kernel.ScalarMath.A3;
import static dev.nonlinear.kernel.ScalarMath.EXPM1_LOWEST;
import static dev.nonlinear.kernel.ScalarMath.EXP_HIGHEST;
import static dev.nonlinear.kernel.ScalarMath.EXP_LOWEST;
import static dev.nonlinear.kernel.ScalarMath.H0;
import static dev.nonlinear.kernel.ScalarMath.H1;
import static dev.nonlinear.kernel.ScalarMath.H2;
import static dev.nonlinear.kernel.ScalarMath.H3;
import static dev.nonlinear.kernel.ScalarMath.H4;
import static dev.nonlinear.kernel.ScalarMath.H5;
import static dev.nonlinear.kernel.ScalarMath.H6;
import static dev.nonlinear.kernel.ScalarMath.H7;
import static dev.nonlinear.kernel.ScalarMath.H8;
import static dev.nonlinear.kernel.ScalarMath.H9;
import static dev.nonlinear.kernel.ScalarMath.LN2_HI;
import static dev.nonlinear.kernel.ScalarMath.LN2_LO;
import static dev.nonlinear.kernel.ScalarMath.LOG2_E;
import static dev.nonlinear.kernel.ScalarMath.PHI_T_SCALE;
import static dev.nonlinear.kernel.ScalarMath.Q0;
import static dev.nonlinear.kernel.ScalarMath.Q1;
import static dev.nonlinear.kernel.ScalarMath.Q2;
import static dev.nonlinear.kernel.ScalarMath.Q3;
import static dev.nonlinear.kernel.ScalarMath.Q4;
import static dev.nonlinear.kernel.ScalarMath.ROUND_TO_INT;
import static dev.nonlinear.kernel.ScalarMath.ROUND_TO_INT_BITS;
import static dev.nonlinear.kernel.ScalarMath.SUBNORMAL_SCALE_BITS;
import static dev.nonlinear.kernel.ScalarMath.SUBNORMAL_UNSCALE;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link ScalarMath} on whole vectors, operation for operation, in pure Vector API arithmetic
 * (no {@code lanewise(EXP)}). Why not the JDK's {@code EXP}/{@code TANH} operators: on JDK 25
 * x86 they call a native SVML-like library and are fast, but elsewhere (other CPUs, or
 * {@code -Djdk.incubator.vector.VectorMathLibrary=java}) they fall back to per-lane
 * {@code Math} calls, slower than the scalar loop; and their results differ from the scalar
 * tail in the last bits, so an element's value would depend on its position in the array.
 *
 * <p>Why the JDK's operators are not picked per platform either: measured on this AMD EPYC
 * (AVX2, ActivationBenchmark, 1M floats; jmh/RESULTS.md) this form is as fast as
 * {@code lanewise(EXP)} for sigmoid and several times faster than {@code lanewise(TANH)}, so it
 * is kept everywhere, for bit-identical results.
 *
 * <p>In a long loop body C2 stops inlining these helpers (PrintInlining: "callee is too large",
 * NodeCountInliningCutoff) and boxes the vectors, 5 to 10 times slower; so GELU, tanh-GELU and
 * Softplus run in passes over blocks (VectorActivations.BLOCK), and the small polynomials are
 * written out where they are used rather than called, which leaves fewer call sites for the
 * inlining budget to fail on (Softplus boxed 16 bytes per element before {@code log1pUnit}
 * took its polynomial in).
 */
final class VectorMath {

  private VectorMath() {}

  /**
   * As {@link ScalarMath#exp(float)}. The clamps are a compare and a blend, not
   * {@code max}/{@code min}: those carry Java's NaN and signed-zero rules, several instructions
   * each on AVX2, which the comparison gives for free (false for NaN, so NaN passes through).
   */
  static FloatVector exp(FloatVector x) {
    FloatVector clamped = x.blend(EXP_LOWEST, x.lt(EXP_LOWEST));
    clamped = clamped.blend(EXP_HIGHEST, clamped.compare(VectorOperators.GT, EXP_HIGHEST));

    FloatVector shifted = clamped.fma(LOG2_E, ROUND_TO_INT);
    FloatVector k = shifted.sub(ROUND_TO_INT);
    FloatVector r = k.fma(k.broadcast(-LN2_HI), clamped);
    r = k.fma(k.broadcast(-LN2_LO), r);

    FloatVector expR = r.mul(r).fma(q(r), r).add(1f);
    return scaleByPowerOfTwo(expR, integerOf(shifted));
  }

  /** As {@link ScalarMath#expNonPositive(float)}. */
  static FloatVector expNonPositive(FloatVector x) {
    FloatVector clamped = x.blend(EXP_LOWEST, x.lt(EXP_LOWEST));

    FloatVector shifted = clamped.fma(LOG2_E, ROUND_TO_INT);
    FloatVector k = shifted.sub(ROUND_TO_INT);
    FloatVector r = k.fma(k.broadcast(-LN2_HI), clamped);
    r = k.fma(k.broadcast(-LN2_LO), r);

    FloatVector expR = r.mul(r).fma(q(r), r).add(1f);
    FloatVector scaled = expR.mul(powerOfTwo(integerOf(shifted).add(SUBNORMAL_SCALE_BITS)));
    return scaled.mul(SUBNORMAL_UNSCALE);
  }

  /** As {@link ScalarMath#expm1NonPositive(float)}. */
  static FloatVector expm1NonPositive(FloatVector x) {
    FloatVector clamped = x.blend(EXPM1_LOWEST, x.lt(EXPM1_LOWEST));

    FloatVector shifted = clamped.fma(LOG2_E, ROUND_TO_INT);
    FloatVector k = shifted.sub(ROUND_TO_INT);
    FloatVector r = k.fma(k.broadcast(-LN2_HI), clamped);
    r = k.fma(k.broadcast(-LN2_LO), r);

    FloatVector expm1R = r.mul(r).fma(q(r), r);
    FloatVector twoToK = powerOfTwo(integerOf(shifted));
    return twoToK.fma(expm1R, twoToK.sub(1f));
  }

  /** As {@link ScalarMath#log1pUnit(float)}. */
  static FloatVector log1pUnit(FloatVector e) {
    FloatVector s = e.div(e.add(2f));
    FloatVector u = s.mul(s);
    FloatVector twoS = s.add(s);
    FloatVector a = u.broadcast(A3).fma(u, u.broadcast(A2));
    a = a.fma(u, u.broadcast(A1));
    a = a.fma(u, u.broadcast(A0));
    return twoS.mul(u).fma(a, twoS);
  }

  /** As {@link ScalarMath#normalTail(float, float)}. */
  static FloatVector normalTail(FloatVector a, FloatVector gaussian) {
    FloatVector t = a.fma(PHI_T_SCALE, 1f);
    t = t.broadcast(1f).div(t);
    return gaussian.mul(t).mul(h(t));
  }

  /** As {@link ScalarMath#gaussian(float)}. */
  static FloatVector gaussian(FloatVector x) {
    FloatVector square = x.mul(x);
    FloatVector squareError = x.fma(x, square.neg());
    FloatVector e = exp(square.mul(-0.5f));
    return e.fma(squareError.mul(-0.5f), e);
  }

  /** |t| with the sign bit of {@code sign}: Math.copySign(Math.abs(t), sign) per lane. */
  static FloatVector copySign(FloatVector t, FloatVector sign) {
    IntVector magnitude = t.abs().reinterpretAsInts();
    IntVector signBit = sign.reinterpretAsInts().and(Integer.MIN_VALUE);
    return magnitude.or(signBit).reinterpretAsFloats();
  }

  /**
   * As {@link ScalarMath#integerOf(float)}: k from the low bits of k + 1.5 · 2^23, a subtraction
   * where {@code convert(F2I)} costs a fix-up sequence for Java's NaN and overflow rules.
   */
  private static IntVector integerOf(FloatVector shifted) {
    return shifted.reinterpretAsInts().sub(ROUND_TO_INT_BITS);
  }

  private static FloatVector powerOfTwo(IntVector k) {
    return k.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
  }

  /** As {@link ScalarMath#scaleByPowerOfTwo(float, int)}. */
  private static FloatVector scaleByPowerOfTwo(FloatVector m, IntVector k) {
    IntVector half = k.lanewise(VectorOperators.ASHR, 1);
    return m.mul(powerOfTwo(half)).mul(powerOfTwo(k.sub(half)));
  }

  private static FloatVector q(FloatVector r) {
    FloatVector q = r.broadcast(Q4).fma(r, r.broadcast(Q3));
    q = q.fma(r, r.broadcast(Q2));
    q = q.fma(r, r.broadcast(Q1));
    return q.fma(r, r.broadcast(Q0));
  }

  private static FloatVector h(FloatVector t) {
    FloatVector h = t.broadcast(H9).fma(t, t.broadcast(H8));
    h = h.fma(t, t.broadcast(H7));
    h = h.fma(t, t.broadcast(H6));
    h = h.fma(t, t.broadcast(H5));
    h = h.fma(t, t.broadcast(H4));
    h = h.fma(t, t.broadcast(H3));
    h = h.fma(t, t.broadcast(H2));
    h = h.fma(t, t.broadcast(H1));
    return h.fma(t, t.broadcast(H0));
  }
}
