package dev.nonlinear.kernel;

import static dev.nonlinear.kernel.ScalarMath.GELU_SATURATION;
import static dev.nonlinear.kernel.ScalarMath.INV_SQRT_2PI;
import static dev.nonlinear.kernel.ScalarMath.exp;
import static dev.nonlinear.kernel.ScalarMath.expNonPositive;
import static dev.nonlinear.kernel.ScalarMath.expm1NonPositive;
import static dev.nonlinear.kernel.ScalarMath.gaussian;
import static dev.nonlinear.kernel.ScalarMath.log1pUnit;
import static dev.nonlinear.kernel.ScalarMath.normalTail;

/**
 * Plain-Java activation kernels: the scalar backend, and the tail of every vector loop. Each
 * element follows the same float operations as its lane in {@link VectorActivations}, so body and
 * tail agree bit for bit. No argument checks: the {@link Activations} facade has made them.
 */
final class ScalarActivations {

  /** SELU's α and scale (Klambauer et al. 2017), rounded to float as PyTorch does. */
  static final float SELU_ALPHA = 1.67326324f;
  static final float SELU_SCALE = 1.05070099f;

  /** GELU tanh form as x · σ(x · (K0 + K1 x²)): K0 = 2 √(2/π), K1 = K0 · 0.044715. */
  static final float GELU_TANH_K0 = 1.59576912f;
  static final float GELU_TANH_K1 = 0.0713548139f;

  /** Beyond this |x|, SiLU and Mish are x (x > 0) or -0 (x < 0) and their slopes 1 or -0. */
  static final float SILU_SATURATION = 128f;

  /** From here on tanh(softplus(x)) is 1 in float (1 - tanh(softplus(9)) < 3e-8). */
  static final float MISH_SATURATION = 20f;

  private ScalarActivations() {}

  // ---- ReLU family -------------------------------------------------------------------------

  static void relu(float[] x, int xOff, float[] y, int yOff, int n) {
    for (int i = 0; i < n; i++) {
      float v = x[xOff + i];
      y[yOff + i] = v < 0f ? 0f : v;
    }
  }

  static void reluBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n) {
    for (int i = 0; i < n; i++) {
      gradX[gxOff + i] = x[xOff + i] <= 0f ? 0f : gradY[gyOff + i];
    }
  }

  static void leakyRelu(float[] x, int xOff, float[] y, int yOff, int n, float slope) {
    for (int i = 0; i < n; i++) {
      float v = x[xOff + i];
      y[yOff + i] = v > 0f ? v : v * slope;
    }
  }

  static void leakyReluBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n, float slope) {
    for (int i = 0; i < n; i++) {
      float gy = gradY[gyOff + i];
      gradX[gxOff + i] = x[xOff + i] > 0f ? gy : gy * slope;
    }
  }

  // ---- ELU family: ELU, SELU, CELU as scale · (x > 0 ? x : α (e^(x · inputScale) - 1)) --------

  static void elu(float[] x, int xOff, float[] y, int yOff, int n, float scale,
      float negativeScale, float inputScale) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = elu(x[xOff + i], scale, negativeScale, inputScale);
    }
  }

  static float elu(float x, float scale, float negativeScale, float inputScale) {
    if (x > 0f) {
      return x * scale;
    }
    return negativeScale * expm1NonPositive(Math.min(x, 0f) * inputScale);
  }

  static void eluBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n, float scale, float negativeSlope, float inputScale) {
    for (int i = 0; i < n; i++) {
      gradX[gxOff + i] = gradY[gyOff + i]
          * eluSlope(x[xOff + i], scale, negativeSlope, inputScale);
    }
  }

  /** x <= 0 and NaN take the exponential branch: slope α·scale·inputScale at 0, NaN at NaN. */
  static float eluSlope(float x, float scale, float negativeSlope, float inputScale) {
    if (x > 0f) {
      return scale;
    }
    return negativeSlope * exp(Math.min(x, 0f) * inputScale);
  }

  // ---- GELU --------------------------------------------------------------------------------

  static void gelu(float[] x, int xOff, float[] y, int yOff, int n) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = gelu(x[xOff + i]);
    }
  }

  /** x Φ(x) as x - x Φ(-x) for x >= 0 (so -0 gives +0, as PyTorch) and x Φ(x) below. */
  static float gelu(float x) {
    float a = Math.abs(x);
    if (a > GELU_SATURATION) {
      return x > 0f ? x : -0f;
    }
    float tail = normalTail(a, gaussian(x));
    return x >= 0f ? Math.fma(-x, tail, x) : x * tail;
  }

  static void geluBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n) {
    for (int i = 0; i < n; i++) {
      gradX[gxOff + i] = gradY[gyOff + i] * geluSlope(x[xOff + i]);
    }
  }

  /** Φ(x) + x φ(x). */
  static float geluSlope(float x) {
    float a = Math.abs(x);
    if (a > GELU_SATURATION) {
      return x > 0f ? 1f : 0f;
    }
    float g = gaussian(x);
    float tail = normalTail(a, g);
    float cdf = x >= 0f ? 1f - tail : tail;
    return Math.fma(x, g * INV_SQRT_2PI, cdf);
  }

  static void geluTanh(float[] x, int xOff, float[] y, int yOff, int n) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = geluTanh(x[xOff + i]);
    }
  }

  /** 0.5 x (1 + tanh(u)) = x σ(2u): the same function without the 1 + tanh cancellation. */
  static float geluTanh(float x) {
    if (Math.abs(x) > GELU_SATURATION) {
      return x > 0f ? x : -0f;
    }
    float v = x * Math.fma(GELU_TANH_K1, x * x, GELU_TANH_K0);
    return x * sigmoid(v);
  }

  static void geluTanhBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n) {
    for (int i = 0; i < n; i++) {
      gradX[gxOff + i] = gradY[gyOff + i] * geluTanhSlope(x[xOff + i]);
    }
  }

  /** σ(v) + x σ(v)(1 - σ(v)) v' with v = x (K0 + K1 x²), v' = K0 + 3 K1 x². */
  static float geluTanhSlope(float x) {
    if (Math.abs(x) > GELU_SATURATION) {
      return x > 0f ? 1f : 0f;
    }
    float square = x * x;
    float v = x * Math.fma(GELU_TANH_K1, square, GELU_TANH_K0);
    float dv = Math.fma(3f * GELU_TANH_K1, square, GELU_TANH_K0);
    float e = expNonPositive(-Math.abs(v));
    float s = 1f / (1f + e);
    float sigma = v >= 0f ? s : e * s;
    return Math.fma(x * dv, e * s * s, sigma);
  }

  // ---- Sigmoid, SiLU, Mish, Softplus -------------------------------------------------------

  static void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = sigmoid(x[xOff + i]);
    }
  }

  /** With e = e^-|x| <= 1: 1 / (1 + e) for x >= 0, e / (1 + e) below: nothing overflows. */
  static float sigmoid(float x) {
    float e = expNonPositive(-Math.abs(x));
    return (x >= 0f ? 1f : e) / (1f + e);
  }

  static void sigmoidBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n) {
    for (int i = 0; i < n; i++) {
      gradX[gxOff + i] = gradY[gyOff + i] * sigmoidSlope(x[xOff + i]);
    }
  }

  /** σ(x)(1 - σ(x)) = e / (1 + e)² with e = e^-|x|: accurate in both tails. */
  static float sigmoidSlope(float x) {
    float e = expNonPositive(-Math.abs(x));
    float onePlusE = 1f + e;
    return e / (onePlusE * onePlusE);
  }

  static void sigmoidBackwardFromOutput(float[] y, int yOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n) {
    for (int i = 0; i < n; i++) {
      float out = y[yOff + i];
      gradX[gxOff + i] = gradY[gyOff + i] * (1f - out) * out;
    }
  }

  static void silu(float[] x, int xOff, float[] y, int yOff, int n) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = silu(x[xOff + i]);
    }
  }

  static float silu(float x) {
    if (x < -SILU_SATURATION) {
      return -0f;
    }
    return x * sigmoid(x);
  }

  static void siluBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n) {
    for (int i = 0; i < n; i++) {
      gradX[gxOff + i] = gradY[gyOff + i] * siluSlope(x[xOff + i]);
    }
  }

  /** σ(x) + x σ(x)(1 - σ(x)), the second term from e / (1 + e)² (no 1 - σ cancellation). */
  static float siluSlope(float x) {
    if (Math.abs(x) > SILU_SATURATION) {
      return x > 0f ? 1f : -0f;
    }
    float e = expNonPositive(-Math.abs(x));
    float s = 1f / (1f + e);
    float sigma = x >= 0f ? s : e * s;
    return Math.fma(x, e * s * s, sigma);
  }

  static void mish(float[] x, int xOff, float[] y, int yOff, int n) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = mish(x[xOff + i]);
    }
  }

  /**
   * x tanh(softplus(x)), with w = e^x: tanh(log(1 + w)) = n / (n + 2), n = w (w + 2). No
   * cancellation for x < 0, where the factor is about 2w / (2w + 2).
   */
  static float mish(float x) {
    if (x > MISH_SATURATION) {
      return x;
    }
    if (x < -SILU_SATURATION) {
      return -0f;
    }
    float w = exp(x);
    float num = w * (w + 2f);
    return x * (num / (num + 2f));
  }

  static void mishBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n) {
    for (int i = 0; i < n; i++) {
      gradX[gxOff + i] = gradY[gyOff + i] * mishSlope(x[xOff + i]);
    }
  }

  /** T + x σ(x) (1 - T²), T = n / (n + 2), 1 - T² = 4 (n + 1) / (n + 2)², σ(x) = w / (1 + w). */
  static float mishSlope(float x) {
    if (x > MISH_SATURATION) {
      return 1f;
    }
    if (x < -SILU_SATURATION) {
      return 0f;
    }
    float w = exp(x);
    float num = w * (w + 2f);
    float den = num + 2f;
    float t = num / den;
    float oneMinusTSquared = 4f * (num + 1f) / (den * den);
    float sigma = w / (1f + w);
    return Math.fma(x * sigma, oneMinusTSquared, t);
  }

  static void softplus(float[] x, int xOff, float[] y, int yOff, int n, float beta,
      float threshold) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = softplus(x[xOff + i], beta, threshold);
    }
  }

  /** βx > threshold ? x : (max(βx, 0) + log(1 + e^-|βx|)) / β: never overflows. */
  static float softplus(float x, float beta, float threshold) {
    float z = x * beta;
    if (z > threshold) {
      return x;
    }
    return ((z > 0f ? z : 0f) + log1pUnit(expNonPositive(-Math.abs(z)))) / beta;
  }

  static void softplusBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n, float beta, float threshold) {
    for (int i = 0; i < n; i++) {
      float z = x[xOff + i] * beta;
      float gy = gradY[gyOff + i];
      gradX[gxOff + i] = z > threshold ? gy : gy * sigmoid(z);
    }
  }

  // ---- Tanh --------------------------------------------------------------------------------

  static void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = tanh(x[xOff + i]);
    }
  }

  /**
   * tanh|x| = -u / (u + 2) with u = e^(-2|x|) - 1 in [-1, 0], sign from x. Accurate near 0
   * (u is relative-accurate there; no 1 - 2 / (e^2x + 1) cancellation) and 1 for large |x|.
   */
  static float tanh(float x) {
    float u = expm1NonPositive(-2f * Math.abs(x));
    float t = -u / (u + 2f);
    return Math.copySign(Math.abs(t), x);
  }

  static void tanhBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n) {
    for (int i = 0; i < n; i++) {
      gradX[gxOff + i] = gradY[gyOff + i] * tanhSlope(x[xOff + i]);
    }
  }

  /** 1 - tanh²(x) = 4e / (1 + e)² with e = e^(-2|x|): tiny but exact-ish in the tails, not 0. */
  static float tanhSlope(float x) {
    float e = expNonPositive(-2f * Math.abs(x));
    float onePlusE = 1f + e;
    return 4f * e / (onePlusE * onePlusE);
  }

  static void tanhBackwardFromOutput(float[] y, int yOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n) {
    for (int i = 0; i < n; i++) {
      float out = y[yOff + i];
      gradX[gxOff + i] = gradY[gyOff + i] * (1f - out * out);
    }
  }

  // ---- Piecewise-linear: Hardtanh, Hardsigmoid, Hardswish; and Softsign ----------------------

  static void hardtanh(float[] x, int xOff, float[] y, int yOff, int n, float min, float max) {
    for (int i = 0; i < n; i++) {
      float v = x[xOff + i];
      y[yOff + i] = v < min ? min : (v > max ? max : v);
    }
  }

  static void hardtanhBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n, float min, float max) {
    for (int i = 0; i < n; i++) {
      float v = x[xOff + i];
      gradX[gxOff + i] = v > min && v < max ? gradY[gyOff + i] : 0f;
    }
  }

  static void hardsigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = Math.min(Math.max(x[xOff + i] + 3f, 0f), 6f) / 6f;
    }
  }

  static void hardsigmoidBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n) {
    for (int i = 0; i < n; i++) {
      float v = x[xOff + i];
      gradX[gxOff + i] = v > -3f && v < 3f ? gradY[gyOff + i] / 6f : 0f;
    }
  }

  static void hardswish(float[] x, int xOff, float[] y, int yOff, int n) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = hardswish(x[xOff + i]);
    }
  }

  /** x (x + 3) / 6 on (-3, 3); x from 3 on; -0 up to -3 (PyTorch's x · 0, without -inf · 0). */
  static float hardswish(float x) {
    if (x <= -3f) {
      return -0f;
    }
    if (x >= 3f) {
      return x;
    }
    return x * (x + 3f) / 6f;
  }

  static void hardswishBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n) {
    for (int i = 0; i < n; i++) {
      gradX[gxOff + i] = gradY[gyOff + i] * hardswishSlope(x[xOff + i]);
    }
  }

  /** 0 below -3, x / 3 + 0.5 on [-3, 3] (so -0.5 at -3 and 1.5 at 3, PyTorch's kink values), 1. */
  static float hardswishSlope(float x) {
    if (x < -3f) {
      return 0f;
    }
    if (x > 3f) {
      return 1f;
    }
    return x / 3f + 0.5f;
  }

  static void softsign(float[] x, int xOff, float[] y, int yOff, int n) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = softsign(x[xOff + i]);
    }
  }

  /** x / (1 + |x|), and ±1 at ±inf (where the quotient would be inf / inf). */
  static float softsign(float x) {
    if (Float.isInfinite(x)) {
      return Math.copySign(1f, x);
    }
    return x / (1f + Math.abs(x));
  }

  static void softsignBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n) {
    for (int i = 0; i < n; i++) {
      float d = 1f + Math.abs(x[xOff + i]);
      gradX[gxOff + i] = gradY[gyOff + i] / (d * d);
    }
  }
}
