package dev.nonlinear.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * Directional finite-difference checks of a module's backward pass.
 *
 * <p>The scalar checked is {@code L(x, θ) = <f(x; θ), r>} for a fixed random {@code r}, so the
 * backward pass fed {@code r} must return {@code ∂L/∂x} and accumulate {@code ∂L/∂θ}. For a random
 * direction {@code v}, {@code <∂L/∂x, v>} is compared with {@code (L(x + hv) − L(x − hv)) / 2h}.
 *
 * <p>Step and tolerance: the layers compute in float, so each L carries a rounding error of at
 * most about {@code 64·ε·S}, where {@code S = Σ|f_i r_i|} and ε = 2⁻²⁴ (64 covers the sums of up
 * to a few hundred terms inside a layer, whose error grows like √K·ε in practice). The central
 * difference divides that by {@code 2h}. Its truncation error is {@code h²/6} times a third
 * derivative, of order {@code h²·Σ|g_i v_i|} for these layers; {@code 1e-3·Σ|g_i v_i|} bounds
 * it with {@code h = 1e-2}. A wrong or missing gradient term changes the analytic value by a
 * sizeable part of {@code Σ|g_i v_i|}, far above both.
 * Inputs are kept away from kinks by the callers (ReLU, max-pool), where the difference quotient
 * would straddle two pieces.
 */
final class GradientCheck {

  static final double STEP = 1e-2;
  static final double RELATIVE_TOLERANCE = 1e-3;
  static final double EPSILON = 0x1p-24;

  private GradientCheck() {}

  /** Random values uniform in [-1, 1). */
  static float[] uniform(SplittableRandom random, int size) {
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = (float) (2 * random.nextDouble() - 1);
    }
    return values;
  }

  /** Checks the input gradient and every parameter gradient of {@code module} at {@code x}. */
  static void check(Module module, Tensor x, SplittableRandom random) {
    Tensor out = module.forward(x);
    float[] r = uniform(random, out.numel());
    Tensor gradOutput = Tensor.of(r.clone(), out.shape());

    module.zeroGrad();
    Tensor forwardOut = module.forward(x);
    double base = dot(forwardOut.data(), r);
    assertTrue(Double.isFinite(base), "loss is finite");
    Tensor gradInput = module.backward(gradOutput);
    float[] gx = gradInput.data().clone();

    float[] v = uniform(random, x.numel());
    float[] xData = x.data();
    float[] original = xData.clone();
    directional(module, x, r, gx, v, () -> {
      System.arraycopy(original, 0, xData, 0, xData.length);
    }, xData, "input");

    for (var entry : module.namedParameters().entrySet()) {
      Parameter parameter = entry.getValue();
      float[] p = parameter.value().data();
      float[] saved = p.clone();
      float[] gp = parameter.grad().data().clone();
      float[] w = uniform(random, p.length);
      directional(module, x, r, gp, w, () -> System.arraycopy(saved, 0, p, 0, p.length), p,
          entry.getKey());
    }
  }

  private static void directional(Module module, Tensor x, float[] r, float[] grad,
      float[] direction, Runnable restore, float[] target, String what) {
    float[] original = target.clone();
    double analytic = 0;
    double scale = 0;
    for (int i = 0; i < grad.length; i++) {
      analytic += (double) grad[i] * direction[i];
      scale += Math.abs((double) grad[i] * direction[i]);
    }

    shift(target, original, direction, STEP);
    float[] plusOut = module.forward(x).data();
    double plus = dot(plusOut, r);
    double plusScale = absDot(plusOut, r);
    shift(target, original, direction, -STEP);
    double minus = dot(module.forward(x).data(), r);
    restore.run();

    double numeric = (plus - minus) / (2 * STEP);
    double tolerance = RELATIVE_TOLERANCE * scale + 64 * EPSILON * plusScale / (2 * STEP);
    assertEquals(numeric, analytic, tolerance, "directional derivative along " + what);
  }

  private static void shift(float[] target, float[] original, float[] direction, double h) {
    for (int i = 0; i < target.length; i++) {
      target[i] = (float) (original[i] + h * direction[i]);
    }
  }

  static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }

  private static double absDot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs((double) a[i] * b[i]);
    }
    return sum;
  }
}
