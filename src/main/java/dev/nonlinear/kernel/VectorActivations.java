package dev.nonlinear.kernel;

import static dev.nonlinear.kernel.ScalarActivations.GELU_TANH_K0;
import static dev.nonlinear.kernel.ScalarActivations.GELU_TANH_K1;
import static dev.nonlinear.kernel.ScalarActivations.MISH_SATURATION;
import static dev.nonlinear.kernel.ScalarActivations.SILU_SATURATION;
import static dev.nonlinear.kernel.ScalarMath.GELU_SATURATION;
import static dev.nonlinear.kernel.ScalarMath.INV_SQRT_2PI;
import static dev.nonlinear.kernel.VectorMath.copySign;
import static dev.nonlinear.kernel.VectorMath.exp;
import static dev.nonlinear.kernel.VectorMath.expm1NonPositive;
import static dev.nonlinear.kernel.VectorMath.gaussian;
import static dev.nonlinear.kernel.VectorMath.log1pUnit;
import static dev.nonlinear.kernel.VectorMath.normalTail;
import static dev.nonlinear.kernel.VectorSupport.FLOAT_LANES;
import static dev.nonlinear.kernel.VectorSupport.FLOAT_SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector API activation kernels. Each runs its vector body to {@code loopBound(n)} and hands the
 * remaining elements to the {@link ScalarActivations} twin. A scalar {@code c ? a : b} becomes
 * {@code b.blend(a, mask)} with the same comparison, so NaN lanes (every ordered comparison with
 * NaN is false) take the same branch as in the scalar code; lanes outside a formula's range are
 * computed too and then replaced, so they may hold NaN in between, never in the result.
 */
final class VectorActivations {

  private VectorActivations() {}

  private static FloatVector load(float[] a, int offset) {
    return FloatVector.fromArray(FLOAT_SPECIES, a, offset);
  }

  // ---- ReLU family -------------------------------------------------------------------------

  static void relu(float[] x, int xOff, float[] y, int yOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      VectorMask<Float> negative = vx.lt(0f);
      vx.blend(0f, negative).intoArray(y, yOff + i);
    }
    ScalarActivations.relu(x, xOff + i, y, yOff + i, n - i);
  }

  static void reluBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector vgy = load(gradY, gyOff + i);
      VectorMask<Float> notPositive = vx.compare(VectorOperators.LE, 0f);
      vgy.blend(0f, notPositive).intoArray(gradX, gxOff + i);
    }
    ScalarActivations.reluBackward(x, xOff + i, gradY, gyOff + i, gradX, gxOff + i, n - i);
  }

  static void leakyRelu(float[] x, int xOff, float[] y, int yOff, int n, float slope) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      vx.mul(slope).blend(vx, vx.compare(VectorOperators.GT, 0f)).intoArray(y, yOff + i);
    }
    ScalarActivations.leakyRelu(x, xOff + i, y, yOff + i, n - i, slope);
  }

  static void leakyReluBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n, float slope) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector vgy = load(gradY, gyOff + i);
      vgy.mul(slope).blend(vgy, vx.compare(VectorOperators.GT, 0f)).intoArray(gradX, gxOff + i);
    }
    ScalarActivations.leakyReluBackward(x, xOff + i, gradY, gyOff + i, gradX, gxOff + i, n - i,
        slope);
  }

  // ---- ELU family --------------------------------------------------------------------------

  static void elu(float[] x, int xOff, float[] y, int yOff, int n, float scale,
      float negativeScale, float inputScale) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector negative = expm1NonPositive(vx.min(0f).mul(inputScale)).mul(negativeScale);
      negative.blend(vx.mul(scale), vx.compare(VectorOperators.GT, 0f)).intoArray(y, yOff + i);
    }
    ScalarActivations.elu(x, xOff + i, y, yOff + i, n - i, scale, negativeScale, inputScale);
  }

  static void eluBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n, float scale, float negativeSlope, float inputScale) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector negative = exp(vx.min(0f).mul(inputScale)).mul(negativeSlope);
      FloatVector slope = negative.blend(scale, vx.compare(VectorOperators.GT, 0f));
      load(gradY, gyOff + i).mul(slope).intoArray(gradX, gxOff + i);
    }
    ScalarActivations.eluBackward(x, xOff + i, gradY, gyOff + i, gradX, gxOff + i, n - i,
        scale, negativeSlope, inputScale);
  }

  // ---- GELU --------------------------------------------------------------------------------

  static void gelu(float[] x, int xOff, float[] y, int yOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector a = vx.abs();
      FloatVector tail = normalTail(a, gaussian(vx));
      FloatVector value = vx.mul(tail).blend(vx.neg().fma(tail, vx), vx.compare(
          VectorOperators.GE, 0f));
      value = saturate(value, vx, a, vx.broadcast(-0f));
      value.intoArray(y, yOff + i);
    }
    ScalarActivations.gelu(x, xOff + i, y, yOff + i, n - i);
  }

  /** Where |x| > GELU_SATURATION: x for x > 0, {@code belowValue} for x < 0. */
  private static FloatVector saturate(FloatVector value, FloatVector x, FloatVector a,
      FloatVector belowValue) {
    FloatVector limit = belowValue.blend(x, x.compare(VectorOperators.GT, 0f));
    return value.blend(limit, a.compare(VectorOperators.GT, GELU_SATURATION));
  }

  static void geluBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector a = vx.abs();
      FloatVector g = gaussian(vx);
      FloatVector tail = normalTail(a, g);
      FloatVector cdf = tail.blend(tail.broadcast(1f).sub(tail), vx.compare(VectorOperators.GE,
          0f));
      FloatVector slope = vx.fma(g.mul(INV_SQRT_2PI), cdf);
      FloatVector limit = vx.broadcast(0f).blend(1f, vx.compare(VectorOperators.GT, 0f));
      slope = slope.blend(limit, a.compare(VectorOperators.GT, GELU_SATURATION));
      load(gradY, gyOff + i).mul(slope).intoArray(gradX, gxOff + i);
    }
    ScalarActivations.geluBackward(x, xOff + i, gradY, gyOff + i, gradX, gxOff + i, n - i);
  }

  static void geluTanh(float[] x, int xOff, float[] y, int yOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector v = vx.mul(vx.mul(vx).fma(GELU_TANH_K1, GELU_TANH_K0));
      FloatVector value = vx.mul(sigmoid(v));
      saturate(value, vx, vx.abs(), vx.broadcast(-0f)).intoArray(y, yOff + i);
    }
    ScalarActivations.geluTanh(x, xOff + i, y, yOff + i, n - i);
  }

  static void geluTanhBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector square = vx.mul(vx);
      FloatVector v = vx.mul(square.fma(GELU_TANH_K1, GELU_TANH_K0));
      FloatVector dv = square.fma(3f * GELU_TANH_K1, GELU_TANH_K0);
      FloatVector e = exp(v.abs().neg());
      FloatVector s = e.add(1f);
      s = s.broadcast(1f).div(s);
      FloatVector sigma = e.mul(s).blend(s, v.compare(VectorOperators.GE, 0f));
      FloatVector slope = vx.mul(dv).fma(e.mul(s).mul(s), sigma);
      FloatVector limit = vx.broadcast(0f).blend(1f, vx.compare(VectorOperators.GT, 0f));
      slope = slope.blend(limit, vx.abs().compare(VectorOperators.GT, GELU_SATURATION));
      load(gradY, gyOff + i).mul(slope).intoArray(gradX, gxOff + i);
    }
    ScalarActivations.geluTanhBackward(x, xOff + i, gradY, gyOff + i, gradX, gxOff + i,
        n - i);
  }

  // ---- Sigmoid, SiLU, Mish, Softplus -------------------------------------------------------

  /** As {@link ScalarActivations#sigmoid(float)}. */
  private static FloatVector sigmoid(FloatVector x) {
    FloatVector e = exp(x.abs().neg());
    FloatVector s = e.add(1f);
    s = s.broadcast(1f).div(s);
    return e.mul(s).blend(s, x.compare(VectorOperators.GE, 0f));
  }

  /** As {@link ScalarActivations#sigmoidSlope(float)}. */
  private static FloatVector sigmoidSlope(FloatVector x) {
    FloatVector e = exp(x.abs().neg());
    FloatVector s = e.add(1f);
    s = s.broadcast(1f).div(s);
    return e.mul(s).mul(s);
  }

  static void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      sigmoid(load(x, xOff + i)).intoArray(y, yOff + i);
    }
    ScalarActivations.sigmoid(x, xOff + i, y, yOff + i, n - i);
  }

  static void sigmoidBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector slope = sigmoidSlope(load(x, xOff + i));
      load(gradY, gyOff + i).mul(slope).intoArray(gradX, gxOff + i);
    }
    ScalarActivations.sigmoidBackward(x, xOff + i, gradY, gyOff + i, gradX, gxOff + i, n - i);
  }

  static void sigmoidBackwardFromOutput(float[] y, int yOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector out = load(y, yOff + i);
      FloatVector oneMinusOut = out.broadcast(1f).sub(out);
      load(gradY, gyOff + i).mul(oneMinusOut).mul(out).intoArray(gradX, gxOff + i);
    }
    ScalarActivations.sigmoidBackwardFromOutput(y, yOff + i, gradY, gyOff + i, gradX,
        gxOff + i, n - i);
  }

  static void silu(float[] x, int xOff, float[] y, int yOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector value = vx.mul(sigmoid(vx));
      value.blend(-0f, vx.lt(-SILU_SATURATION)).intoArray(y, yOff + i);
    }
    ScalarActivations.silu(x, xOff + i, y, yOff + i, n - i);
  }

  static void siluBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector e = exp(vx.abs().neg());
      FloatVector s = e.add(1f);
      s = s.broadcast(1f).div(s);
      FloatVector sigma = e.mul(s).blend(s, vx.compare(VectorOperators.GE, 0f));
      FloatVector slope = vx.fma(e.mul(s).mul(s), sigma);
      FloatVector limit = vx.broadcast(-0f).blend(1f, vx.compare(VectorOperators.GT, 0f));
      slope = slope.blend(limit, vx.abs().compare(VectorOperators.GT, SILU_SATURATION));
      load(gradY, gyOff + i).mul(slope).intoArray(gradX, gxOff + i);
    }
    ScalarActivations.siluBackward(x, xOff + i, gradY, gyOff + i, gradX, gxOff + i, n - i);
  }

  static void mish(float[] x, int xOff, float[] y, int yOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector w = exp(vx);
      FloatVector num = w.mul(w.add(2f));
      FloatVector value = vx.mul(num.div(num.add(2f)));
      value = value.blend(vx, vx.compare(VectorOperators.GT, MISH_SATURATION));
      value.blend(-0f, vx.lt(-SILU_SATURATION)).intoArray(y, yOff + i);
    }
    ScalarActivations.mish(x, xOff + i, y, yOff + i, n - i);
  }

  static void mishBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector w = exp(vx);
      FloatVector num = w.mul(w.add(2f));
      FloatVector den = num.add(2f);
      FloatVector t = num.div(den);
      FloatVector oneMinusTSquared = num.add(1f).mul(4f).div(den.mul(den));
      FloatVector sigma = w.div(w.add(1f));
      FloatVector slope = vx.mul(sigma).fma(oneMinusTSquared, t);
      slope = slope.blend(1f, vx.compare(VectorOperators.GT, MISH_SATURATION));
      slope = slope.blend(0f, vx.lt(-SILU_SATURATION));
      load(gradY, gyOff + i).mul(slope).intoArray(gradX, gxOff + i);
    }
    ScalarActivations.mishBackward(x, xOff + i, gradY, gyOff + i, gradX, gxOff + i, n - i);
  }

  static void softplus(float[] x, int xOff, float[] y, int yOff, int n, float beta,
      float threshold) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector z = vx.mul(beta);
      FloatVector smooth = z.max(0f).add(log1pUnit(exp(z.abs().neg()))).div(beta);
      smooth.blend(vx, z.compare(VectorOperators.GT, threshold)).intoArray(y, yOff + i);
    }
    ScalarActivations.softplus(x, xOff + i, y, yOff + i, n - i, beta, threshold);
  }

  static void softplusBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n, float beta, float threshold) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector z = load(x, xOff + i).mul(beta);
      FloatVector vgy = load(gradY, gyOff + i);
      VectorMask<Float> linear = z.compare(VectorOperators.GT, threshold);
      vgy.mul(sigmoid(z)).blend(vgy, linear).intoArray(gradX, gxOff + i);
    }
    ScalarActivations.softplusBackward(x, xOff + i, gradY, gyOff + i, gradX, gxOff + i, n - i,
        beta, threshold);
  }

  // ---- Tanh --------------------------------------------------------------------------------

  static void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector u = expm1NonPositive(vx.abs().mul(-2f));
      FloatVector t = u.neg().div(u.add(2f));
      copySign(t, vx).intoArray(y, yOff + i);
    }
    ScalarActivations.tanh(x, xOff + i, y, yOff + i, n - i);
  }

  static void tanhBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector e = exp(load(x, xOff + i).abs().mul(-2f));
      FloatVector onePlusE = e.add(1f);
      FloatVector slope = e.mul(4f).div(onePlusE.mul(onePlusE));
      load(gradY, gyOff + i).mul(slope).intoArray(gradX, gxOff + i);
    }
    ScalarActivations.tanhBackward(x, xOff + i, gradY, gyOff + i, gradX, gxOff + i, n - i);
  }

  static void tanhBackwardFromOutput(float[] y, int yOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector out = load(y, yOff + i);
      FloatVector slope = out.broadcast(1f).sub(out.mul(out));
      load(gradY, gyOff + i).mul(slope).intoArray(gradX, gxOff + i);
    }
    ScalarActivations.tanhBackwardFromOutput(y, yOff + i, gradY, gyOff + i, gradX, gxOff + i,
        n - i);
  }

  // ---- Piecewise-linear: Hardtanh, Hardsigmoid, Hardswish; and Softsign ----------------------

  static void hardtanh(float[] x, int xOff, float[] y, int yOff, int n, float min, float max) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector upper = vx.blend(max, vx.compare(VectorOperators.GT, max));
      upper.blend(min, vx.lt(min)).intoArray(y, yOff + i);
    }
    ScalarActivations.hardtanh(x, xOff + i, y, yOff + i, n - i, min, max);
  }

  static void hardtanhBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n, float min, float max) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      VectorMask<Float> inside = vx.compare(VectorOperators.GT, min).and(vx.lt(max));
      FloatVector vgy = load(gradY, gyOff + i);
      vgy.broadcast(0f).blend(vgy, inside).intoArray(gradX, gxOff + i);
    }
    ScalarActivations.hardtanhBackward(x, xOff + i, gradY, gyOff + i, gradX, gxOff + i, n - i,
        min, max);
  }

  static void hardsigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      vx.add(3f).max(0f).min(6f).div(6f).intoArray(y, yOff + i);
    }
    ScalarActivations.hardsigmoid(x, xOff + i, y, yOff + i, n - i);
  }

  static void hardsigmoidBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      VectorMask<Float> inside = vx.compare(VectorOperators.GT, -3f).and(vx.lt(3f));
      FloatVector vgy = load(gradY, gyOff + i);
      vgy.broadcast(0f).blend(vgy.div(6f), inside).intoArray(gradX, gxOff + i);
    }
    ScalarActivations.hardsigmoidBackward(x, xOff + i, gradY, gyOff + i, gradX, gxOff + i,
        n - i);
  }

  static void hardswish(float[] x, int xOff, float[] y, int yOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector value = vx.mul(vx.add(3f)).div(6f);
      value = value.blend(vx, vx.compare(VectorOperators.GE, 3f));
      value.blend(-0f, vx.compare(VectorOperators.LE, -3f)).intoArray(y, yOff + i);
    }
    ScalarActivations.hardswish(x, xOff + i, y, yOff + i, n - i);
  }

  static void hardswishBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector slope = vx.div(3f).add(0.5f);
      slope = slope.blend(1f, vx.compare(VectorOperators.GT, 3f));
      slope = slope.blend(0f, vx.lt(-3f));
      load(gradY, gyOff + i).mul(slope).intoArray(gradX, gxOff + i);
    }
    ScalarActivations.hardswishBackward(x, xOff + i, gradY, gyOff + i, gradX, gxOff + i,
        n - i);
  }

  static void softsign(float[] x, int xOff, float[] y, int yOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector a = vx.abs();
      FloatVector value = vx.div(a.add(1f));
      value.blend(copySign(a.broadcast(1f), vx), a.eq(Float.POSITIVE_INFINITY))
          .intoArray(y, yOff + i);
    }
    ScalarActivations.softsign(x, xOff + i, y, yOff + i, n - i);
  }

  static void softsignBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector d = load(x, xOff + i).abs().add(1f);
      load(gradY, gyOff + i).div(d.mul(d)).intoArray(gradX, gxOff + i);
    }
    ScalarActivations.softsignBackward(x, xOff + i, gradY, gyOff + i, gradX, gxOff + i, n - i);
  }
}
