package dev.nonlinear.kernel;

import static dev.nonlinear.kernel.Checks.nonNegative;
import static dev.nonlinear.kernel.Checks.range;

/**
 * Elementwise activation functions and their derivatives over {@code float[]} with offsets.
 *
 * <p>Every forward entry point reads {@code n} inputs from {@code x[xOff..]} and writes
 * {@code n} outputs to {@code y[yOff..]}. Every backward entry point reads the input {@code x}
 * (or, where named {@code ...FromOutput}, the forward output {@code y}) and the gradient of the
 * loss with respect to the output, {@code gradY}, and writes {@code gradX = gradY · f'(x)}.
 *
 * <p>Aliasing: an output may be the same array as an input <em>at the same offset</em> (in-place
 * use); any other overlap of input and output ranges gives unspecified results.
 *
 * <p>Arguments are checked before anything is written: a null array throws
 * {@link NullPointerException} naming it; a negative {@code n} or a range that does not fit its
 * array throws {@link IllegalArgumentException} naming the argument. On such a failure no output
 * element has been written.
 *
 * <p>Semantics follow PyTorch 1.13 on CPU, edge cases included; each method states its rule for
 * NaN, signed zeros and the value chosen at a kink.
 */
public final class Activations {


  private static final float ELU_SCALE = 1f;
  private static final float SELU_SCALE = ScalarActivations.SELU_SCALE;

  /** SELU's α · scale, rounded once from the double product. */
  private static final float SELU_NEGATIVE_SCALE =
      (float) ((double) ScalarActivations.SELU_ALPHA * ScalarActivations.SELU_SCALE);

  private Activations() {}

  /**
   * ReLU, {@code y = max(x, 0)} with PyTorch's edge rules: {@code y = x < 0 ? +0 : x}. So NaN
   * stays NaN, {@code -0.0} stays {@code -0.0} (it is not less than 0), {@code -inf} becomes
   * {@code +0}, {@code +inf} stays. Exact.
   */
  public static void relu(float[] x, int xOff, float[] y, int yOff, int n) {
    checkForward(x, xOff, y, yOff, n);
    if (Backend.isVector()) {
      VectorActivations.relu(x, xOff, y, yOff, n);
    } else {
      ScalarActivations.relu(x, xOff, y, yOff, n);
    }
  }

  /**
   * Gradient of ReLU from its input: {@code gradX = x <= 0 ? +0 : gradY}, as PyTorch's
   * {@code threshold_backward}. The derivative at the kink {@code x = ±0} is 0; at {@code x} NaN
   * the gradient passes through (NaN is not {@code <= 0}); where {@code x <= 0} the result is 0
   * even when {@code gradY} is NaN or infinite (a selection, not a product). Exact.
   */
  public static void reluBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n) {
    checkBackward("x", x, xOff, gradY, gyOff, gradX, gxOff, n);
    if (Backend.isVector()) {
      VectorActivations.reluBackward(x, xOff, gradY, gyOff, gradX, gxOff, n);
    } else {
      ScalarActivations.reluBackward(x, xOff, gradY, gyOff, gradX, gxOff, n);
    }
  }

  /**
   * LeakyReLU: {@code y = x > 0 ? x : x · negativeSlope} (PyTorch's default slope is 0.01).
   * NaN stays NaN, {@code -0.0} gives {@code -0.0 · slope}. Exact (one correctly rounded
   * product).
   *
   * @throws IllegalArgumentException if {@code negativeSlope} is NaN or infinite
   */
  public static void leakyRelu(float[] x, int xOff, float[] y, int yOff, int n,
      float negativeSlope) {
    checkForward(x, xOff, y, yOff, n);
    finite("negativeSlope", negativeSlope);
    if (Backend.isVector()) {
      VectorActivations.leakyRelu(x, xOff, y, yOff, n, negativeSlope);
    } else {
      ScalarActivations.leakyRelu(x, xOff, y, yOff, n, negativeSlope);
    }
  }

  /**
   * Gradient of LeakyReLU: {@code gradX = x > 0 ? gradY : gradY · negativeSlope}. At the kink
   * ({@code x = ±0}) and for NaN {@code x} the slope is {@code negativeSlope}, as in PyTorch.
   * Exact.
   */
  public static void leakyReluBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n, float negativeSlope) {
    checkBackward("x", x, xOff, gradY, gyOff, gradX, gxOff, n);
    finite("negativeSlope", negativeSlope);
    if (Backend.isVector()) {
      VectorActivations.leakyReluBackward(x, xOff, gradY, gyOff, gradX, gxOff, n, negativeSlope);
    } else {
      ScalarActivations.leakyReluBackward(x, xOff, gradY, gyOff, gradX, gxOff, n, negativeSlope);
    }
  }

  /**
   * ELU: {@code y = x > 0 ? x : α (e^x - 1)}. NaN gives NaN, {@code -inf} gives {@code -α},
   * {@code ±0} give {@code +0} (PyTorch's sign, for α > 0). Within 4 ulp of the exact value or
   * 1e-7 · |α| absolute near 0 (docs/activation-accuracy.md).
   *
   * @throws IllegalArgumentException if {@code alpha} is NaN or infinite
   */
  public static void elu(float[] x, int xOff, float[] y, int yOff, int n, float alpha) {
    checkForward(x, xOff, y, yOff, n);
    finite("alpha", alpha);
    if (Backend.isVector()) {
      VectorActivations.elu(x, xOff, y, yOff, n, ELU_SCALE, alpha, 1f);
    } else {
      ScalarActivations.elu(x, xOff, y, yOff, n, ELU_SCALE, alpha, 1f);
    }
  }

  /**
   * Gradient of ELU from its input: {@code gradX = gradY · (x > 0 ? 1 : α e^x)}. At the kink
   * the left branch is taken ({@code α} at {@code x = ±0}, as PyTorch); NaN gives NaN.
   */
  public static void eluBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n, float alpha) {
    checkBackward("x", x, xOff, gradY, gyOff, gradX, gxOff, n);
    finite("alpha", alpha);
    if (Backend.isVector()) {
      VectorActivations.eluBackward(x, xOff, gradY, gyOff, gradX, gxOff, n,
          ELU_SCALE, alpha, 1f);
    } else {
      ScalarActivations.eluBackward(x, xOff, gradY, gyOff, gradX, gxOff, n,
          ELU_SCALE, alpha, 1f);
    }
  }

  /**
   * SELU: {@code y = scale · (x > 0 ? x : α (e^x - 1))} with PyTorch's α = 1.6732632,
   * scale = 1.0507010. {@code ±0} give {@code +0}, {@code -inf} gives {@code -α·scale}, NaN gives
   * NaN; huge x may overflow to +inf as in PyTorch.
   */
  public static void selu(float[] x, int xOff, float[] y, int yOff, int n) {
    checkForward(x, xOff, y, yOff, n);
    if (Backend.isVector()) {
      VectorActivations.elu(x, xOff, y, yOff, n, SELU_SCALE, SELU_NEGATIVE_SCALE, 1f);
    } else {
      ScalarActivations.elu(x, xOff, y, yOff, n, SELU_SCALE, SELU_NEGATIVE_SCALE, 1f);
    }
  }

  /**
   * Gradient of SELU: {@code gradX = gradY · (x > 0 ? scale : α · scale · e^x)}; the left
   * branch at {@code ±0} ({@code α · scale}), NaN for NaN.
   */
  public static void seluBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n) {
    checkBackward("x", x, xOff, gradY, gyOff, gradX, gxOff, n);
    if (Backend.isVector()) {
      VectorActivations.eluBackward(x, xOff, gradY, gyOff, gradX, gxOff, n,
          SELU_SCALE, SELU_NEGATIVE_SCALE, 1f);
    } else {
      ScalarActivations.eluBackward(x, xOff, gradY, gyOff, gradX, gxOff, n,
          SELU_SCALE, SELU_NEGATIVE_SCALE, 1f);
    }
  }

  /**
   * CELU: {@code y = x > 0 ? x : α (e^(x/α) - 1)}. {@code ±0} give {@code +0}, {@code -inf}
   * gives {@code -α}, NaN gives NaN.
   *
   * @throws IllegalArgumentException if {@code alpha} is not a positive finite number
   */
  public static void celu(float[] x, int xOff, float[] y, int yOff, int n, float alpha) {
    checkForward(x, xOff, y, yOff, n);
    positiveFinite("alpha", alpha);
    if (Backend.isVector()) {
      VectorActivations.elu(x, xOff, y, yOff, n, 1f, alpha, 1f / alpha);
    } else {
      ScalarActivations.elu(x, xOff, y, yOff, n, 1f, alpha, 1f / alpha);
    }
  }

  /**
   * Gradient of CELU: {@code gradX = gradY · (x > 0 ? 1 : e^(x/α))}; 1 at {@code ±0} from
   * both sides, NaN for NaN.
   */
  public static void celuBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n, float alpha) {
    checkBackward("x", x, xOff, gradY, gyOff, gradX, gxOff, n);
    positiveFinite("alpha", alpha);
    if (Backend.isVector()) {
      VectorActivations.eluBackward(x, xOff, gradY, gyOff, gradX, gxOff, n,
          1f, celuSlopeScale(alpha), 1f / alpha);
    } else {
      ScalarActivations.eluBackward(x, xOff, gradY, gyOff, gradX, gxOff, n,
          1f, celuSlopeScale(alpha), 1f / alpha);
    }
  }

  /**
   * GELU, exact form: {@code y = x Φ(x)}, Φ the standard normal distribution function (PyTorch's
   * {@code approximate='none'}). {@code +0} and {@code -0} give {@code +0} (as PyTorch), NaN gives
   * NaN, {@code +inf} gives {@code +inf} and {@code -inf} gives {@code -0} (PyTorch gives NaN
   * for {@code -inf}: an {@code inf · 0} artefact we do not copy). Within 1e-6 absolute, and a
   * few ulp for x > 0.
   */
  public static void gelu(float[] x, int xOff, float[] y, int yOff, int n) {
    checkForward(x, xOff, y, yOff, n);
    if (Backend.isVector()) {
      VectorActivations.gelu(x, xOff, y, yOff, n);
    } else {
      ScalarActivations.gelu(x, xOff, y, yOff, n);
    }
  }

  /**
   * Gradient of exact GELU: {@code gradX = gradY · (Φ(x) + x φ(x))}; 0.5 at 0, NaN for NaN,
   * and 1 at {@code +inf}, 0 at {@code -inf} (PyTorch gives NaN at both). Within 1e-6 absolute.
   */
  public static void geluBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n) {
    checkBackward("x", x, xOff, gradY, gyOff, gradX, gxOff, n);
    if (Backend.isVector()) {
      VectorActivations.geluBackward(x, xOff, gradY, gyOff, gradX, gxOff, n);
    } else {
      ScalarActivations.geluBackward(x, xOff, gradY, gyOff, gradX, gxOff, n);
    }
  }

  /**
   * GELU, tanh approximation (PyTorch's {@code approximate='tanh'}):
   * {@code y = 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))}, computed as the identical
   * {@code x σ(2√(2/π)(x + 0.044715 x³))} so that nothing cancels for negative x. {@code ±0}
   * keep their sign, NaN gives NaN, {@code ±inf} give {@code +inf} and {@code -0}. Within 1e-6
   * absolute of the formula.
   */
  public static void geluTanh(float[] x, int xOff, float[] y, int yOff, int n) {
    checkForward(x, xOff, y, yOff, n);
    if (Backend.isVector()) {
      VectorActivations.geluTanh(x, xOff, y, yOff, n);
    } else {
      ScalarActivations.geluTanh(x, xOff, y, yOff, n);
    }
  }

  /**
   * Gradient of the tanh-approximate GELU from its input; 0.5 at 0, NaN for NaN, 1 at
   * {@code +inf} and 0 at {@code -inf} (PyTorch gives NaN there). Within 1e-6 absolute.
   */
  public static void geluTanhBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n) {
    checkBackward("x", x, xOff, gradY, gyOff, gradX, gxOff, n);
    if (Backend.isVector()) {
      VectorActivations.geluTanhBackward(x, xOff, gradY, gyOff, gradX, gxOff, n);
    } else {
      ScalarActivations.geluTanhBackward(x, xOff, gradY, gyOff, gradX, gxOff, n);
    }
  }

  /**
   * SiLU (swish): {@code y = x σ(x)}. {@code ±0} keep their sign, NaN gives NaN, {@code +inf}
   * gives {@code +inf}, {@code -inf} gives {@code -0} (PyTorch: NaN). Within 4 ulp, or 1e-7
   * absolute near 0.
   */
  public static void silu(float[] x, int xOff, float[] y, int yOff, int n) {
    checkForward(x, xOff, y, yOff, n);
    if (Backend.isVector()) {
      VectorActivations.silu(x, xOff, y, yOff, n);
    } else {
      ScalarActivations.silu(x, xOff, y, yOff, n);
    }
  }

  /**
   * Gradient of SiLU: {@code gradX = gradY · σ(x) (1 + x (1 - σ(x)))}; 0.5 at 0, NaN for NaN,
   * 1 at {@code +inf} and {@code -0} at {@code -inf} (PyTorch: NaN).
   */
  public static void siluBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n) {
    checkBackward("x", x, xOff, gradY, gyOff, gradX, gxOff, n);
    if (Backend.isVector()) {
      VectorActivations.siluBackward(x, xOff, gradY, gyOff, gradX, gxOff, n);
    } else {
      ScalarActivations.siluBackward(x, xOff, gradY, gyOff, gradX, gxOff, n);
    }
  }

  /**
   * Mish: {@code y = x tanh(softplus(x))}. {@code ±0} keep their sign, NaN gives NaN,
   * {@code +inf} gives {@code +inf}, {@code -inf} gives {@code -0} (PyTorch: NaN). Accuracy in
   * docs/activation-accuracy.md.
   */
  public static void mish(float[] x, int xOff, float[] y, int yOff, int n) {
    checkForward(x, xOff, y, yOff, n);
    if (Backend.isVector()) {
      VectorActivations.mish(x, xOff, y, yOff, n);
    } else {
      ScalarActivations.mish(x, xOff, y, yOff, n);
    }
  }

  /**
   * Gradient of Mish from its input; 0.6 at 0, NaN for NaN, 1 at {@code +inf}, 0 at
   * {@code -inf}.
   */
  public static void mishBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n) {
    checkBackward("x", x, xOff, gradY, gyOff, gradX, gxOff, n);
    if (Backend.isVector()) {
      VectorActivations.mishBackward(x, xOff, gradY, gyOff, gradX, gxOff, n);
    } else {
      ScalarActivations.mishBackward(x, xOff, gradY, gyOff, gradX, gxOff, n);
    }
  }

  /**
   * Softplus: {@code y = βx > threshold ? x : log(1 + e^(βx)) / β} (PyTorch's defaults: β = 1,
   * threshold = 20), evaluated as {@code (max(βx, 0) + log(1 + e^-|βx|)) / β} so that nothing
   * overflows whatever the threshold. {@code ±0} give {@code log 2 / β}, NaN gives NaN,
   * {@code -inf} gives {@code +0}. Within 4 ulp.
   *
   * @throws IllegalArgumentException if {@code beta} is not positive and finite, or
   *     {@code threshold} is NaN
   */
  public static void softplus(float[] x, int xOff, float[] y, int yOff, int n, float beta,
      float threshold) {
    checkForward(x, xOff, y, yOff, n);
    positiveFinite("beta", beta);
    notNaN("threshold", threshold);
    if (Backend.isVector()) {
      VectorActivations.softplus(x, xOff, y, yOff, n, beta, threshold);
    } else {
      ScalarActivations.softplus(x, xOff, y, yOff, n, beta, threshold);
    }
  }

  /**
   * Gradient of Softplus: {@code gradX = βx > threshold ? gradY : gradY · σ(βx)}; 0.5 at 0,
   * NaN for NaN.
   */
  public static void softplusBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n, float beta, float threshold) {
    checkBackward("x", x, xOff, gradY, gyOff, gradX, gxOff, n);
    positiveFinite("beta", beta);
    notNaN("threshold", threshold);
    if (Backend.isVector()) {
      VectorActivations.softplusBackward(x, xOff, gradY, gyOff, gradX, gxOff, n, beta, threshold);
    } else {
      ScalarActivations.softplusBackward(x, xOff, gradY, gyOff, gradX, gxOff, n, beta, threshold);
    }
  }

  /**
   * Sigmoid: {@code y = 1 / (1 + e^-x)}, evaluated with {@code e^-|x|} so that it never
   * overflows: 0 below about -103.3, 1 above about 16.6, subnormal results kept
   * ({@code σ(-89) = 2.227e-39}; PyTorch flushes that one to 0). {@code ±0} give 0.5, NaN gives
   * NaN. Within 4 ulp.
   */
  public static void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
    checkForward(x, xOff, y, yOff, n);
    if (Backend.isVector()) {
      VectorActivations.sigmoid(x, xOff, y, yOff, n);
    } else {
      ScalarActivations.sigmoid(x, xOff, y, yOff, n);
    }
  }

  /**
   * Gradient of Sigmoid from its input: {@code gradX = gradY · e / (1 + e)²} with
   * {@code e = e^-|x|}, equal to {@code σ(x)(1 - σ(x))} but accurate in both tails (PyTorch,
   * working from the output, gives 0 for x >= 17). 0.25 at 0, 0 at {@code ±inf}, NaN for NaN.
   * Slope within 5 ulp (4.8 measured).
   */
  public static void sigmoidBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n) {
    checkBackward("x", x, xOff, gradY, gyOff, gradX, gxOff, n);
    if (Backend.isVector()) {
      VectorActivations.sigmoidBackward(x, xOff, gradY, gyOff, gradX, gxOff, n);
    } else {
      ScalarActivations.sigmoidBackward(x, xOff, gradY, gyOff, gradX, gxOff, n);
    }
  }

  /**
   * Gradient of Sigmoid from its output {@code y = σ(x)}, as PyTorch computes it:
   * {@code gradX = gradY · (1 - y) · y}, in that order. Where y rounds to 1 this is 0, although
   * the true slope is not: use {@link #sigmoidBackward} when the input is at hand.
   */
  public static void sigmoidBackwardFromOutput(float[] y, int yOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n) {
    checkBackward("y", y, yOff, gradY, gyOff, gradX, gxOff, n);
    if (Backend.isVector()) {
      VectorActivations.sigmoidBackwardFromOutput(y, yOff, gradY, gyOff, gradX, gxOff, n);
    } else {
      ScalarActivations.sigmoidBackwardFromOutput(y, yOff, gradY, gyOff, gradX, gxOff, n);
    }
  }

  /**
   * Tanh, as {@code -u / (u + 2)} with {@code u = e^(-2|x|) - 1} and the sign of x: accurate
   * near 0 (no {@code 1 - 2/(e^2x + 1)} cancellation), exactly ±1 for |x| above about 9.01,
   * never NaN for finite or infinite x. {@code ±0} keep their sign, NaN gives NaN. Within 4 ulp.
   */
  public static void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
    checkForward(x, xOff, y, yOff, n);
    if (Backend.isVector()) {
      VectorActivations.tanh(x, xOff, y, yOff, n);
    } else {
      ScalarActivations.tanh(x, xOff, y, yOff, n);
    }
  }

  /**
   * Gradient of Tanh from its input: {@code gradX = gradY · 4e / (1 + e)²} with
   * {@code e = e^(-2|x|)}, equal to {@code 1 - tanh²(x)} but accurate in the tails; 1 at 0,
   * 0 (not NaN) for large |x| and {@code ±inf}, NaN for NaN. Slope within 5 ulp (4.01
   * measured).
   */
  public static void tanhBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n) {
    checkBackward("x", x, xOff, gradY, gyOff, gradX, gxOff, n);
    if (Backend.isVector()) {
      VectorActivations.tanhBackward(x, xOff, gradY, gyOff, gradX, gxOff, n);
    } else {
      ScalarActivations.tanhBackward(x, xOff, gradY, gyOff, gradX, gxOff, n);
    }
  }

  /**
   * Gradient of Tanh from its output {@code y = tanh(x)}, as PyTorch computes it:
   * {@code gradX = gradY · (1 - y · y)}. 0 where y rounds to ±1.
   */
  public static void tanhBackwardFromOutput(float[] y, int yOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n) {
    checkBackward("y", y, yOff, gradY, gyOff, gradX, gxOff, n);
    if (Backend.isVector()) {
      VectorActivations.tanhBackwardFromOutput(y, yOff, gradY, gyOff, gradX, gxOff, n);
    } else {
      ScalarActivations.tanhBackwardFromOutput(y, yOff, gradY, gyOff, gradX, gxOff, n);
    }
  }

  /**
   * Hardtanh: {@code y = x < min ? min : (x > max ? max : x)} (PyTorch's defaults: -1, 1). NaN
   * stays NaN, {@code ±0} keep their sign when inside. Exact.
   *
   * @throws IllegalArgumentException if {@code min} or {@code max} is NaN or {@code min > max}
   */
  public static void hardtanh(float[] x, int xOff, float[] y, int yOff, int n, float min,
      float max) {
    checkForward(x, xOff, y, yOff, n);
    ordered(min, max);
    if (Backend.isVector()) {
      VectorActivations.hardtanh(x, xOff, y, yOff, n, min, max);
    } else {
      ScalarActivations.hardtanh(x, xOff, y, yOff, n, min, max);
    }
  }

  /**
   * Gradient of Hardtanh: {@code gradX = min < x < max ? gradY : 0}; 0 at both kinks and for
   * NaN x, as PyTorch. Exact.
   */
  public static void hardtanhBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n, float min, float max) {
    checkBackward("x", x, xOff, gradY, gyOff, gradX, gxOff, n);
    ordered(min, max);
    if (Backend.isVector()) {
      VectorActivations.hardtanhBackward(x, xOff, gradY, gyOff, gradX, gxOff, n, min, max);
    } else {
      ScalarActivations.hardtanhBackward(x, xOff, gradY, gyOff, gradX, gxOff, n, min, max);
    }
  }

  /**
   * Hardsigmoid: {@code y = min(max(x + 3, 0), 6) / 6}. NaN gives NaN, {@code ±0} give 0.5.
   * Within 1 ulp (two roundings: x + 3, then / 6).
   */
  public static void hardsigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
    checkForward(x, xOff, y, yOff, n);
    if (Backend.isVector()) {
      VectorActivations.hardsigmoid(x, xOff, y, yOff, n);
    } else {
      ScalarActivations.hardsigmoid(x, xOff, y, yOff, n);
    }
  }

  /**
   * Gradient of Hardsigmoid: {@code gradX = -3 < x < 3 ? gradY / 6 : 0}; 0 at the kinks ±3 and
   * for NaN x, as PyTorch.
   */
  public static void hardsigmoidBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n) {
    checkBackward("x", x, xOff, gradY, gyOff, gradX, gxOff, n);
    if (Backend.isVector()) {
      VectorActivations.hardsigmoidBackward(x, xOff, gradY, gyOff, gradX, gxOff, n);
    } else {
      ScalarActivations.hardsigmoidBackward(x, xOff, gradY, gyOff, gradX, gxOff, n);
    }
  }

  /**
   * Hardswish: {@code y = x · min(max(x + 3, 0), 6) / 6}: {@code x (x + 3) / 6} on (-3, 3),
   * x from 3 up, {@code -0} from -3 down (PyTorch's sign; PyTorch gives NaN for {@code -inf},
   * here {@code -0}). NaN gives NaN, {@code ±0} keep their sign. Within 2 ulp.
   */
  public static void hardswish(float[] x, int xOff, float[] y, int yOff, int n) {
    checkForward(x, xOff, y, yOff, n);
    if (Backend.isVector()) {
      VectorActivations.hardswish(x, xOff, y, yOff, n);
    } else {
      ScalarActivations.hardswish(x, xOff, y, yOff, n);
    }
  }

  /**
   * Gradient of Hardswish: 0 below -3, {@code x / 3 + 0.5} on [-3, 3], 1 above 3; so -0.5 at
   * -3 and 1.5 at 3, the values of PyTorch's scalar kernel (its vectorised kernel gives 1 at 3).
   * NaN gives NaN.
   */
  public static void hardswishBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n) {
    checkBackward("x", x, xOff, gradY, gyOff, gradX, gxOff, n);
    if (Backend.isVector()) {
      VectorActivations.hardswishBackward(x, xOff, gradY, gyOff, gradX, gxOff, n);
    } else {
      ScalarActivations.hardswishBackward(x, xOff, gradY, gyOff, gradX, gxOff, n);
    }
  }

  /**
   * Softsign: {@code y = x / (1 + |x|)}, and ±1 at ±inf (PyTorch gives NaN there). NaN gives
   * NaN, {@code ±0} keep their sign. Within 2 ulp.
   */
  public static void softsign(float[] x, int xOff, float[] y, int yOff, int n) {
    checkForward(x, xOff, y, yOff, n);
    if (Backend.isVector()) {
      VectorActivations.softsign(x, xOff, y, yOff, n);
    } else {
      ScalarActivations.softsign(x, xOff, y, yOff, n);
    }
  }

  /**
   * Gradient of Softsign: {@code gradX = gradY / (1 + |x|)²}; 1 at 0, 0 at ±inf, NaN for NaN.
   */
  public static void softsignBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n) {
    checkBackward("x", x, xOff, gradY, gyOff, gradX, gxOff, n);
    if (Backend.isVector()) {
      VectorActivations.softsignBackward(x, xOff, gradY, gyOff, gradX, gxOff, n);
    } else {
      ScalarActivations.softsignBackward(x, xOff, gradY, gyOff, gradX, gxOff, n);
    }
  }


  private static void finite(String name, float value) {
    if (!Float.isFinite(value)) {
      throw new IllegalArgumentException(name + " = " + value + ": expected a finite number");
    }
  }

  private static void positiveFinite(String name, float value) {
    if (!(value > 0f) || !Float.isFinite(value)) {
      throw new IllegalArgumentException(name + " = " + value
          + ": expected a positive finite number");
    }
  }

  private static void notNaN(String name, float value) {
    if (Float.isNaN(value)) {
      throw new IllegalArgumentException(name + " = NaN: expected a number");
    }
  }

  private static void ordered(float min, float max) {
    notNaN("min", min);
    notNaN("max", max);
    if (min > max) {
      throw new IllegalArgumentException("min = " + min + ", max = " + max
          + ": expected min <= max");
    }
  }

  /** CELU's slope left of 0 is α · (1/α) · e^(x/α): the product rounded once, 1 for most α. */
  private static float celuSlopeScale(float alpha) {
    return (float) (alpha * (1.0 / alpha));
  }

  private static void checkForward(float[] x, int xOff, float[] y, int yOff, int n) {
    nonNegative("n", n);
    range("x", x, xOff, n);
    range("y", y, yOff, n);
  }

  private static void checkBackward(String inputName, float[] input, int inOff, float[] gradY,
      int gyOff, float[] gradX, int gxOff, int n) {
    nonNegative("n", n);
    range(inputName, input, inOff, n);
    range("gradY", gradY, gyOff, n);
    range("gradX", gradX, gxOff, n);
  }
}
