package dev.nonlinear.kernel;

/**
 * The float algorithms behind the smooth activations, one element at a time. {@link VectorMath}
 * performs the same operations in the same order on whole vectors (same constants, same fused
 * multiply-adds), so a vector lane and the scalar tail give the same bits for the same input.
 *
 * <p>Why not {@link Math#exp}: its double result rounded to float would be more accurate, but the
 * vector body could not reproduce it bit for bit, and an element's value would then depend on
 * whether it fell in the body or in the tail of a call.
 */
final class ScalarMath {

  /** Below this, e^x rounds to 0 in float (e^-104 < Float.MIN_VALUE / 2). */
  static final float EXP_LOWEST = -104f;

  /** Above this, e^x overflows float (e^88.73 > Float.MAX_VALUE); clamping keeps k <= 128. */
  static final float EXP_HIGHEST = 89f;

  /** Below this, e^x - 1 rounds to -1 (e^-17.5 < half an ulp of 1 from below). */
  static final float EXPM1_LOWEST = -17.5f;

  static final float LOG2_E = 1.44269504f;

  /** ln 2 split in a high part with trailing zero bits (so k · LN2_HI is exact) and the rest. */
  static final float LN2_HI = 0.693145752f;
  static final float LN2_LO = 1.42860677e-6f;

  /** Adding then subtracting 1.5 · 2^23 rounds a float of magnitude below 2^22 to an integer. */
  static final float ROUND_TO_INT = 12582912f;

  /** The bits of ROUND_TO_INT: the bits of k + ROUND_TO_INT minus these are the integer k. */
  static final int ROUND_TO_INT_BITS = Float.floatToRawIntBits(ROUND_TO_INT);

  /** expNonPositive scales by 2^(k + 24), then by 2^-24: see there. */
  static final int SUBNORMAL_SCALE_BITS = 24;
  static final float SUBNORMAL_UNSCALE = 0x1p-24f;

  /**
   * e^r = 1 + r + r² · q(r) on |r| <= ln2 / 2, q of degree 4, fitted (weighted least squares
   * iterated towards minimax) for the relative error of both e^r and e^r - 1: 1.3e-8 before the
   * coefficients were rounded to float.
   */
  static final float Q0 = 0.5f;
  static final float Q1 = 0.166665435f;
  static final float Q2 = 0.0416662805f;
  static final float Q3 = 0.00836657826f;
  static final float Q4 = 0.00139464287f;

  /**
   * log(1 + e) = 2 atanh(s) with s = e / (2 + e) in [0, 1/3] for e in [0, 1]; 2 atanh(s) =
   * 2s + 2s · u · a(u) with u = s², a of degree 3 fitted on [0, 1/9] (relative error 4.5e-9).
   */
  static final float A0 = 0.333332062f;
  static final float A1 = 0.200108498f;
  static final float A2 = 0.139995679f;
  static final float A3 = 0.140122429f;

  /**
   * Φ(-a) = 0.5 erfc(a / √2) = e^(-a²/2) · t · h(t) with t = 1 / (1 + 0.3 a), for a in [0, 20];
   * h of degree 9 in t fitted for relative error (5.9e-9 in double, about 3e-7 evaluated in float).
   */
  static final float PHI_T_SCALE = 0.3f;
  static final float H0 = 0.119685799f;
  static final float H1 = 0.119591855f;
  static final float H2 = 0.110044807f;
  static final float H3 = 0.0793942288f;
  static final float H4 = 0.0929150283f;
  static final float H5 = -0.0727590173f;
  static final float H6 = 0.183026969f;
  static final float H7 = -0.221096665f;
  static final float H8 = 0.109179638f;
  static final float H9 = -0.0199826397f;

  /** 1 / √(2π), the normal density at 0. */
  static final float INV_SQRT_2PI = 0.398942280f;

  /** Beyond this |x|, GELU is x (x > 0) or -0 (x < 0) in float: Φ(-20) ≈ 2.8e-89. */
  static final float GELU_SATURATION = 20f;

  private ScalarMath() {}

  /**
   * e^x in float for every x: 0 below -104, +inf from 88.73, NaN for NaN, subnormal results
   * kept. Error within 2 ulp (measured by the sweep in docs/activation-accuracy.md).
   */
  static float exp(float x) {
    float clamped = x < EXP_LOWEST ? EXP_LOWEST : x;
    clamped = clamped > EXP_HIGHEST ? EXP_HIGHEST : clamped;

    float shifted = Math.fma(clamped, LOG2_E, ROUND_TO_INT);
    float k = shifted - ROUND_TO_INT;
    float r = Math.fma(k, -LN2_HI, clamped);
    r = Math.fma(k, -LN2_LO, r);

    float expR = Math.fma(r * r, q(r), r) + 1f;
    return scaleByPowerOfTwo(expR, integerOf(shifted));
  }

  /**
   * e^x for x <= 0 or NaN, the same value as {@link #exp(float)} (larger x give wrong results),
   * for the functions that only ever exponentiate -|x|. Cheaper: with k in [-150, 0],
   * 2^(k + 24) is a normal float, e^r times it is exact, and one final multiply by 2^-24 rounds
   * once, into the subnormals too, where exp needs two steps for its wider range of k.
   */
  static float expNonPositive(float x) {
    float clamped = x < EXP_LOWEST ? EXP_LOWEST : x;

    float shifted = Math.fma(clamped, LOG2_E, ROUND_TO_INT);
    float k = shifted - ROUND_TO_INT;
    float r = Math.fma(k, -LN2_HI, clamped);
    r = Math.fma(k, -LN2_LO, r);

    float expR = Math.fma(r * r, q(r), r) + 1f;
    float scale = Float.intBitsToFloat((integerOf(shifted) + SUBNORMAL_SCALE_BITS + 127) << 23);
    return expR * scale * SUBNORMAL_UNSCALE;
  }

  /**
   * e^x - 1 for x <= 0 (or NaN), accurate in relative terms near 0: with x = k ln2 + r it is
   * 2^k (e^r - 1) + (2^k - 1), one rounding, 2^k - 1 exact for k >= -24. Returns +0 for -0.
   */
  static float expm1NonPositive(float x) {
    float clamped = x < EXPM1_LOWEST ? EXPM1_LOWEST : x;

    float shifted = Math.fma(clamped, LOG2_E, ROUND_TO_INT);
    float k = shifted - ROUND_TO_INT;
    float r = Math.fma(k, -LN2_HI, clamped);
    r = Math.fma(k, -LN2_LO, r);

    float expm1R = Math.fma(r * r, q(r), r);
    float twoToK = Float.intBitsToFloat((integerOf(shifted) + 127) << 23);
    return Math.fma(twoToK, expm1R, twoToK - 1f);
  }

  /** log(1 + e) for e in [0, 1]. */
  static float log1pUnit(float e) {
    float s = e / (2f + e);
    float u = s * s;
    float twoS = s + s;
    return Math.fma(twoS * u, a(u), twoS);
  }

  /**
   * Φ(-a) for a = |x| <= 20, given e^(-x²/2): the upper tail of the standard normal, accurate in
   * relative terms (no 1 - Φ cancellation).
   */
  static float normalTail(float a, float gaussian) {
    float t = 1f / Math.fma(PHI_T_SCALE, a, 1f);
    return gaussian * t * h(t);
  }

  /** e^(-x²/2), with the rounding error of x² carried so the exponent is exact to first order. */
  static float gaussian(float x) {
    float square = x * x;
    float squareError = Math.fma(x, x, -square);
    float e = exp(-0.5f * square);
    return Math.fma(e, -0.5f * squareError, e);
  }

  /**
   * The integer k of {@code shifted = k + ROUND_TO_INT}, |k| < 2^22, read from the low mantissa
   * bits (exact: the sum lies in [2^23, 2^24), one unit per ulp). Garbage for NaN, which then
   * only scales a NaN.
   */
  static int integerOf(float shifted) {
    return Float.floatToRawIntBits(shifted) - ROUND_TO_INT_BITS;
  }

  /** m · 2^k for k in [-150, 128], in two exact steps so subnormal results round once. */
  static float scaleByPowerOfTwo(float m, int k) {
    int half = k >> 1;
    float first = Float.intBitsToFloat((half + 127) << 23);
    float second = Float.intBitsToFloat((k - half + 127) << 23);
    return m * first * second;
  }

  private static float q(float r) {
    float q = Math.fma(Q4, r, Q3);
    q = Math.fma(q, r, Q2);
    q = Math.fma(q, r, Q1);
    return Math.fma(q, r, Q0);
  }

  private static float a(float u) {
    float a = Math.fma(A3, u, A2);
    a = Math.fma(a, u, A1);
    return Math.fma(a, u, A0);
  }

  private static float h(float t) {
    float h = Math.fma(H9, t, H8);
    h = Math.fma(h, t, H7);
    h = Math.fma(h, t, H6);
    h = Math.fma(h, t, H5);
    h = Math.fma(h, t, H4);
    h = Math.fma(h, t, H3);
    h = Math.fma(h, t, H2);
    h = Math.fma(h, t, H1);
    return Math.fma(h, t, H0);
  }
}
