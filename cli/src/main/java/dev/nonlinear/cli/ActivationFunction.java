package dev.nonlinear.cli;

import dev.nonlinear.kernel.Activations;
import java.util.Arrays;

/**
 * Every activation of the library, as the {@code activations} and {@code vanishing} commands
 * plot it: a name, its formula and its derivative's, and the library's forward and backward
 * kernels. Parameters are PyTorch's defaults except LeakyReLU's slope (see {@link #LEAKY_SLOPE}).
 */
enum ActivationFunction {

  RELU("ReLU", "f(x) = max(0, x)", "f′(x) = 1 for x > 0, else 0",
      (x, y, n) -> Activations.relu(x, 0, y, 0, n),
      (x, g, d, n) -> Activations.reluBackward(x, 0, g, 0, d, 0, n)),

  LEAKY_RELU("LeakyReLU", "f(x) = x for x > 0, else 0.1·x   (slope 0.1; PyTorch's default 0.01 "
      + "would look flat)", "f′(x) = 1 for x > 0, else 0.1",
      (x, y, n) -> Activations.leakyRelu(x, 0, y, 0, n, ActivationFunction.LEAKY_SLOPE),
      (x, g, d, n) -> Activations.leakyReluBackward(x, 0, g, 0, d, 0, n,
          ActivationFunction.LEAKY_SLOPE)),

  ELU("ELU", "f(x) = x for x > 0, else α(eˣ − 1), α = 1",
      "f′(x) = 1 for x > 0, else α·eˣ",
      (x, y, n) -> Activations.elu(x, 0, y, 0, n, 1f),
      (x, g, d, n) -> Activations.eluBackward(x, 0, g, 0, d, 0, n, 1f)),

  SELU("SELU", "f(x) = λ·(x for x > 0, else α(eˣ − 1)), λ ≈ 1.0507, α ≈ 1.6733",
      "f′(x) = λ for x > 0, else λα·eˣ",
      (x, y, n) -> Activations.selu(x, 0, y, 0, n),
      (x, g, d, n) -> Activations.seluBackward(x, 0, g, 0, d, 0, n)),

  CELU("CELU", "f(x) = x for x > 0, else α(e^(x/α) − 1), α = 1 (equal to ELU at α = 1)",
      "f′(x) = 1 for x > 0, else e^(x/α)",
      (x, y, n) -> Activations.celu(x, 0, y, 0, n, 1f),
      (x, g, d, n) -> Activations.celuBackward(x, 0, g, 0, d, 0, n, 1f)),

  GELU("GELU", "f(x) = x·Φ(x), Φ the standard normal distribution function",
      "f′(x) = Φ(x) + x·φ(x)",
      (x, y, n) -> Activations.gelu(x, 0, y, 0, n),
      (x, g, d, n) -> Activations.geluBackward(x, 0, g, 0, d, 0, n)),

  GELU_TANH("GELU (tanh approximation)",
      "f(x) = ½x·(1 + tanh(√(2/π)·(x + 0.044715x³)))", null,
      (x, y, n) -> Activations.geluTanh(x, 0, y, 0, n),
      (x, g, d, n) -> Activations.geluTanhBackward(x, 0, g, 0, d, 0, n)),

  SILU("SiLU (swish)", "f(x) = x·σ(x)", "f′(x) = σ(x)·(1 + x·(1 − σ(x)))",
      (x, y, n) -> Activations.silu(x, 0, y, 0, n),
      (x, g, d, n) -> Activations.siluBackward(x, 0, g, 0, d, 0, n)),

  MISH("Mish", "f(x) = x·tanh(softplus(x)) = x·tanh(ln(1 + eˣ))", null,
      (x, y, n) -> Activations.mish(x, 0, y, 0, n),
      (x, g, d, n) -> Activations.mishBackward(x, 0, g, 0, d, 0, n)),

  SOFTPLUS("Softplus", "f(x) = ln(1 + eˣ)   (β = 1)", "f′(x) = σ(x)",
      (x, y, n) -> Activations.softplus(x, 0, y, 0, n, 1f, 20f),
      (x, g, d, n) -> Activations.softplusBackward(x, 0, g, 0, d, 0, n, 1f, 20f)),

  SIGMOID("Sigmoid", "σ(x) = 1 / (1 + e⁻ˣ)", "σ′(x) = σ(x)·(1 − σ(x)), at most ¼",
      (x, y, n) -> Activations.sigmoid(x, 0, y, 0, n),
      (x, g, d, n) -> Activations.sigmoidBackward(x, 0, g, 0, d, 0, n)),

  TANH("Tanh", "f(x) = tanh(x) = (eˣ − e⁻ˣ) / (eˣ + e⁻ˣ)", "f′(x) = 1 − tanh²(x)",
      (x, y, n) -> Activations.tanh(x, 0, y, 0, n),
      (x, g, d, n) -> Activations.tanhBackward(x, 0, g, 0, d, 0, n)),

  HARDTANH("Hardtanh", "f(x) = min(max(x, −1), 1)", "f′(x) = 1 for −1 < x < 1, else 0",
      (x, y, n) -> Activations.hardtanh(x, 0, y, 0, n, -1f, 1f),
      (x, g, d, n) -> Activations.hardtanhBackward(x, 0, g, 0, d, 0, n, -1f, 1f)),

  HARDSIGMOID("Hardsigmoid", "f(x) = min(max(x + 3, 0), 6) / 6",
      "f′(x) = 1/6 for −3 < x < 3, else 0",
      (x, y, n) -> Activations.hardsigmoid(x, 0, y, 0, n),
      (x, g, d, n) -> Activations.hardsigmoidBackward(x, 0, g, 0, d, 0, n)),

  HARDSWISH("Hardswish", "f(x) = x·min(max(x + 3, 0), 6) / 6",
      "f′(x) = 0 below −3, x/3 + ½ on [−3, 3], 1 above",
      (x, y, n) -> Activations.hardswish(x, 0, y, 0, n),
      (x, g, d, n) -> Activations.hardswishBackward(x, 0, g, 0, d, 0, n)),

  SOFTSIGN("Softsign", "f(x) = x / (1 + |x|)", "f′(x) = 1 / (1 + |x|)²",
      (x, y, n) -> Activations.softsign(x, 0, y, 0, n),
      (x, g, d, n) -> Activations.softsignBackward(x, 0, g, 0, d, 0, n));

  /**
   * LeakyReLU's negative slope in the pictures: ten times PyTorch's default 0.01, so the slope
   * left of 0 can be seen at all.
   */
  static final float LEAKY_SLOPE = 0.1f;

  /** {@code y = f(x)} over n elements. */
  @FunctionalInterface
  interface Forward {
    void apply(float[] x, float[] y, int n);
  }

  /** {@code gradX = gradY · f′(x)} over n elements. */
  @FunctionalInterface
  interface Backward {
    void apply(float[] x, float[] gradY, float[] gradX, int n);
  }

  private final String label;
  private final String formula;
  private final String derivativeFormula;
  private final Forward forward;
  private final Backward backward;

  ActivationFunction(String label, String formula, String derivativeFormula, Forward forward,
      Backward backward) {
    this.label = label;
    this.formula = formula;
    this.derivativeFormula = derivativeFormula;
    this.forward = forward;
    this.backward = backward;
  }

  /** The name as PyTorch spells the layer, e.g. {@code LeakyReLU}. */
  String label() {
    return label;
  }

  /** The formula of f, and of f′ where it is short enough to print. */
  String formulas() {
    return derivativeFormula == null ? formula : formula + "      " + derivativeFormula;
  }

  /** A file name: the constant in lower case with dashes ({@code gelu-tanh}). */
  String fileName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** f at each x, from the library's forward kernel. */
  float[] values(float[] x) {
    float[] y = new float[x.length];
    forward.apply(x, y, x.length);
    return y;
  }

  /** f′ at each x, from the library's backward kernel given an upstream gradient of 1. */
  float[] derivatives(float[] x) {
    float[] ones = new float[x.length];
    Arrays.fill(ones, 1f);
    float[] slope = new float[x.length];
    backward.apply(x, ones, slope, x.length);
    return slope;
  }
}
