package dev.nonlinear.kernel;

import static dev.nonlinear.kernel.ScalarActivations.GELU_TANH_K0;
import static dev.nonlinear.kernel.ScalarActivations.GELU_TANH_K1;
import static dev.nonlinear.kernel.ScalarActivations.MISH_SATURATION;
import static dev.nonlinear.kernel.ScalarActivations.SILU_SATURATION;
import static dev.nonlinear.kernel.ScalarMath.GELU_SATURATION;
import static dev.nonlinear.kernel.ScalarMath.INV_SQRT_2PI;
import static dev.nonlinear.kernel.VectorMath.copySign;
import static dev.nonlinear.kernel.VectorMath.exp;
import static dev.nonlinear.kernel.VectorMath.expNonPositive;
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

  /**
   * Floats per block in the multi-pass kernels (GELU, tanh-GELU, Softplus): a multiple of every
   * lane count; 4 KiB of scratch, which stays in L1 beside the block of x it came from.
   */
  static final int BLOCK = 1024;

  /**
   * One pass of a multi-pass kernel over a block of {@code length} floats: reads x (and gradY,
   * and the scratch an earlier pass wrote), writes the scratch or the output; p0 and p1 are the
   * kernel's float parameters (Softplus's beta and threshold), unused elsewhere.
   *
   * <p>Why passes behind an interface: such a kernel holds an exp and a long polynomial, more
   * than C2 inlines into one compiled method (NodeCountInliningCutoff); the vector helpers left
   * outside box their vectors, 16 to 40 bytes per element and 5 to 10 times slower. Called
   * directly, the passes were inlined into whatever called the kernel (a JMH loop, a layer,
   * a user's training step) until the budget ran out in the middle of one. Every pass goes
   * through the one call in {@link #inBlocks}, which sees at least three classes (each kernel
   * has three passes, padded with {@link #NO_PASS}): a megamorphic call, which C2 does not
   * inline, so each pass is compiled on its own, whole. A float stored and reloaded is exact,
   * so the results are bit for bit those of one pass and of the scalar twin.
   */
  @FunctionalInterface
  private interface BlockPass {
    void run(float[] x, int xOff, float[] gradY, int gyOff, float[] scratch, float[] out,
        int outOff, int length, float p0, float p1);
  }

  /** The third pass of the two-pass kernels: nothing, there to make the call megamorphic. */
  private static final BlockPass NO_PASS = (x, xOff, gradY, gyOff, scratch, out, outOff, length,
      p0, p1) -> { };

  private static final BlockPass GAUSSIANS = (x, xOff, gradY, gyOff, scratch, out, outOff,
      length, p0, p1) -> gaussians(x, xOff, scratch, length);

  private static final BlockPass[] GELU = {GAUSSIANS,
      (x, xOff, gradY, gyOff, scratch, out, outOff, length, p0, p1) ->
          normalTails(x, xOff, scratch, length),
      (x, xOff, gradY, gyOff, scratch, out, outOff, length, p0, p1) ->
          geluFromTails(x, xOff, scratch, out, outOff, length)};

  private static final BlockPass[] GELU_BACKWARD = {GAUSSIANS, NO_PASS,
      (x, xOff, gradY, gyOff, scratch, out, outOff, length, p0, p1) ->
          geluBackwardFromGaussians(x, xOff, scratch, gradY, gyOff, out, outOff, length)};

  private static final BlockPass[] GELU_TANH = {
      (x, xOff, gradY, gyOff, scratch, out, outOff, length, p0, p1) ->
          geluTanhSigmoids(x, xOff, scratch, length), NO_PASS,
      (x, xOff, gradY, gyOff, scratch, out, outOff, length, p0, p1) ->
          geluTanhFromSigmoids(x, xOff, scratch, out, outOff, length)};

  private static final BlockPass[] GELU_TANH_BACKWARD = {
      (x, xOff, gradY, gyOff, scratch, out, outOff, length, p0, p1) ->
          geluTanhExps(x, xOff, scratch, length), NO_PASS,
      (x, xOff, gradY, gyOff, scratch, out, outOff, length, p0, p1) ->
          geluTanhBackwardFromExps(x, xOff, scratch, gradY, gyOff, out, outOff, length)};

  private static final BlockPass[] SOFTPLUS = {
      (x, xOff, gradY, gyOff, scratch, out, outOff, length, beta, threshold) ->
          softplusExps(x, xOff, scratch, length, beta),
      (x, xOff, gradY, gyOff, scratch, out, outOff, length, beta, threshold) ->
          log1pUnitInPlace(scratch, length),
      (x, xOff, gradY, gyOff, scratch, out, outOff, length, beta, threshold) ->
          softplusFromLogs(x, xOff, scratch, out, outOff, length, beta, threshold)};

  /** One block of scratch per thread, allocated on its first call. */
  private static final ThreadLocal<float[]> SCRATCH =
      ThreadLocal.withInitial(() -> new float[BLOCK]);

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

  /** min(x, 0) per lane with Math.min's results (NaN, -0 kept), as a compare and a blend. */
  private static FloatVector nonPositivePart(FloatVector x) {
    return x.blend(0f, x.compare(VectorOperators.GT, 0f));
  }

  static void elu(float[] x, int xOff, float[] y, int yOff, int n, float scale,
      float negativeScale, float inputScale) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector scaled = nonPositivePart(vx).mul(inputScale);
      FloatVector negative = expm1NonPositive(scaled).mul(negativeScale);
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
      FloatVector negative = exp(nonPositivePart(vx).mul(inputScale)).mul(negativeSlope);
      FloatVector slope = negative.blend(scale, vx.compare(VectorOperators.GT, 0f));
      load(gradY, gyOff + i).mul(slope).intoArray(gradX, gxOff + i);
    }
    ScalarActivations.eluBackward(x, xOff + i, gradY, gyOff + i, gradX, gxOff + i, n - i,
        scale, negativeSlope, inputScale);
  }

  // ---- GELU --------------------------------------------------------------------------------

  static void gelu(float[] x, int xOff, float[] y, int yOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    inBlocks(GELU, x, xOff, null, 0, y, yOff, bound, 0f, 0f);
    ScalarActivations.gelu(x, xOff + bound, y, yOff + bound, n - bound);
  }

  /** Runs {@code passes} in order over each block of [0, bound); see {@link BlockPass}. */
  private static void inBlocks(BlockPass[] passes, float[] x, int xOff, float[] gradY, int gyOff,
      float[] out, int outOff, int bound, float p0, float p1) {
    float[] scratch = SCRATCH.get();
    for (int start = 0; start < bound; start += BLOCK) {
      int length = Math.min(BLOCK, bound - start);
      for (BlockPass pass : passes) {
        pass.run(x, xOff + start, gradY, gyOff + start, scratch, out, outOff + start, length,
            p0, p1);
      }
    }
  }


  /** {@code out[i] = φ(x[i]) √(2π)}, the first pass of GELU and its slope. */
  private static void gaussians(float[] x, int xOff, float[] out, int length) {
    for (int i = 0; i < length; i += FLOAT_LANES) {
      gaussian(load(x, xOff + i)).intoArray(out, i);
    }
  }

  /** {@code scratch[i] = Φ(-|x[i]|)} from the Gaussians the scratch holds, in place. */
  private static void normalTails(float[] x, int xOff, float[] scratch, int length) {
    for (int i = 0; i < length; i += FLOAT_LANES) {
      normalTail(load(x, xOff + i).abs(), load(scratch, i)).intoArray(scratch, i);
    }
  }

  private static void geluFromTails(float[] x, int xOff, float[] tails, float[] y, int yOff,
      int length) {
    for (int i = 0; i < length; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector tail = load(tails, i);
      FloatVector value = vx.mul(tail).blend(vx.neg().fma(tail, vx), vx.compare(
          VectorOperators.GE, 0f));
      saturate(value, vx, vx.abs(), vx.broadcast(-0f)).intoArray(y, yOff + i);
    }
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
    inBlocks(GELU_BACKWARD, x, xOff, gradY, gyOff, gradX, gxOff, bound, 0f, 0f);
    ScalarActivations.geluBackward(x, xOff + bound, gradY, gyOff + bound, gradX, gxOff + bound,
        n - bound);
  }


  private static void geluBackwardFromGaussians(float[] x, int xOff, float[] gaussians,
      float[] gradY, int gyOff, float[] gradX, int gxOff, int length) {
    for (int i = 0; i < length; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector a = vx.abs();
      FloatVector g = load(gaussians, i);
      FloatVector tail = normalTail(a, g);
      FloatVector cdf = tail.blend(tail.broadcast(1f).sub(tail), vx.compare(VectorOperators.GE,
          0f));
      FloatVector slope = vx.fma(g.mul(INV_SQRT_2PI), cdf);
      FloatVector limit = vx.broadcast(0f).blend(1f, vx.compare(VectorOperators.GT, 0f));
      slope = slope.blend(limit, a.compare(VectorOperators.GT, GELU_SATURATION));
      load(gradY, gyOff + i).mul(slope).intoArray(gradX, gxOff + i);
    }
  }

  static void geluTanh(float[] x, int xOff, float[] y, int yOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    inBlocks(GELU_TANH, x, xOff, null, 0, y, yOff, bound, 0f, 0f);
    ScalarActivations.geluTanh(x, xOff + bound, y, yOff + bound, n - bound);
  }


  /** {@code out[i] = σ(x (K0 + K1 x²))}, the first pass of tanh-GELU. */
  private static void geluTanhSigmoids(float[] x, int xOff, float[] out, int length) {
    for (int i = 0; i < length; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      sigmoid(vx.mul(vx.mul(vx).fma(GELU_TANH_K1, GELU_TANH_K0))).intoArray(out, i);
    }
  }

  private static void geluTanhFromSigmoids(float[] x, int xOff, float[] sigmas, float[] y,
      int yOff, int length) {
    for (int i = 0; i < length; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector value = vx.mul(load(sigmas, i));
      saturate(value, vx, vx.abs(), vx.broadcast(-0f)).intoArray(y, yOff + i);
    }
  }

  static void geluTanhBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    inBlocks(GELU_TANH_BACKWARD, x, xOff, gradY, gyOff, gradX, gxOff, bound, 0f, 0f);
    ScalarActivations.geluTanhBackward(x, xOff + bound, gradY, gyOff + bound, gradX,
        gxOff + bound, n - bound);
  }


  /** {@code out[i] = e^-|v|} with {@code v = x (K0 + K1 x²)}, the first pass of the slope. */
  private static void geluTanhExps(float[] x, int xOff, float[] out, int length) {
    for (int i = 0; i < length; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector v = vx.mul(vx.mul(vx).fma(GELU_TANH_K1, GELU_TANH_K0));
      expNonPositive(v.abs().neg()).intoArray(out, i);
    }
  }

  private static void geluTanhBackwardFromExps(float[] x, int xOff, float[] exps,
      float[] gradY, int gyOff, float[] gradX, int gxOff, int length) {
    for (int i = 0; i < length; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector square = vx.mul(vx);
      FloatVector v = vx.mul(square.fma(GELU_TANH_K1, GELU_TANH_K0));
      FloatVector dv = square.fma(3f * GELU_TANH_K1, GELU_TANH_K0);
      FloatVector e = load(exps, i);
      FloatVector s = e.add(1f);
      s = s.broadcast(1f).div(s);
      FloatVector sigma = e.mul(s).blend(s, v.compare(VectorOperators.GE, 0f));
      FloatVector slope = vx.mul(dv).fma(e.mul(s).mul(s), sigma);
      FloatVector limit = vx.broadcast(0f).blend(1f, vx.compare(VectorOperators.GT, 0f));
      slope = slope.blend(limit, vx.abs().compare(VectorOperators.GT, GELU_SATURATION));
      load(gradY, gyOff + i).mul(slope).intoArray(gradX, gxOff + i);
    }
  }

  // ---- Sigmoid, SiLU, Mish, Softplus -------------------------------------------------------

  /** As {@link ScalarActivations#sigmoid(float)}. */
  private static FloatVector sigmoid(FloatVector x) {
    FloatVector e = expNonPositive(x.abs().neg());
    FloatVector numerator = e.blend(1f, x.compare(VectorOperators.GE, 0f));
    return numerator.div(e.add(1f));
  }

  /** As {@link ScalarActivations#sigmoidSlope(float)}. */
  private static FloatVector sigmoidSlope(FloatVector x) {
    FloatVector e = expNonPositive(x.abs().neg());
    FloatVector onePlusE = e.add(1f);
    return e.div(onePlusE.mul(onePlusE));
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
      FloatVector e = expNonPositive(vx.abs().neg());
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
    inBlocks(SOFTPLUS, x, xOff, null, 0, y, yOff, bound, beta, threshold);
    ScalarActivations.softplus(x, xOff + bound, y, yOff + bound, n - bound, beta, threshold);
  }


  /** {@code out[i] = e^-|βx|}, the first pass of Softplus. */
  private static void softplusExps(float[] x, int xOff, float[] out, int length, float beta) {
    for (int i = 0; i < length; i += FLOAT_LANES) {
      expNonPositive(load(x, xOff + i).mul(beta).abs().neg()).intoArray(out, i);
    }
  }

  /** {@code a[i] = log(1 + a[i])}, the second pass of Softplus. */
  private static void log1pUnitInPlace(float[] a, int length) {
    for (int i = 0; i < length; i += FLOAT_LANES) {
      log1pUnit(load(a, i)).intoArray(a, i);
    }
  }

  private static void softplusFromLogs(float[] x, int xOff, float[] logs, float[] y, int yOff,
      int length, float beta, float threshold) {
    for (int i = 0; i < length; i += FLOAT_LANES) {
      FloatVector vx = load(x, xOff + i);
      FloatVector z = vx.mul(beta);
      FloatVector positivePart = z.broadcast(0f).blend(z, z.compare(VectorOperators.GT, 0f));
      FloatVector smooth = positivePart.add(load(logs, i)).div(beta);
      smooth.blend(vx, z.compare(VectorOperators.GT, threshold)).intoArray(y, yOff + i);
    }
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
      tanh(load(x, xOff + i)).intoArray(y, yOff + i);
    }
    ScalarActivations.tanh(x, xOff + i, y, yOff + i, n - i);
  }

  /** As {@link ScalarActivations#tanh(float)}; {@link VectorLstmCell} uses it too. */
  static FloatVector tanh(FloatVector vx) {
    FloatVector u = expm1NonPositive(vx.abs().mul(-2f));
    FloatVector t = u.neg().div(u.add(2f));
    return copySign(t, vx);
  }

  static void tanhBackward(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX,
      int gxOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector e = expNonPositive(load(x, xOff + i).abs().mul(-2f));
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
