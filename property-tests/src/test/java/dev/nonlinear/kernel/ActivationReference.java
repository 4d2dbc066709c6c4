package dev.nonlinear.kernel;

/**
 * Double-precision references for the activations and their derivatives, written from the
 * mathematical definitions (PyTorch's formulas), independent of the float kernels. Limits at
 * ±inf are spelled out where the plain formula would give inf · 0 or inf / inf.
 */
final class ActivationReference {

  static final double SELU_ALPHA = 1.6732632423543772848170429916717;
  static final double SELU_SCALE = 1.0507009873554804934193349852946;
  private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
  private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

  private ActivationReference() {}

  static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }

  static double sigmoidSlope(double x) {
    double e = Math.exp(-Math.abs(x));
    return e / ((1 + e) * (1 + e));
  }

  static double tanhSlope(double x) {
    if (Math.abs(x) > 400) {
      return 0;
    }
    double c = Math.cosh(x);
    return 1 / (c * c);
  }

  /** scale · (x > 0 ? x : α (e^(x · inputScale) - 1)): ELU, SELU and CELU. */
  static double elu(double x, double alpha, double scale, double inputScale) {
    return x > 0 ? scale * x : scale * alpha * Math.expm1(x * inputScale);
  }

  static double eluSlope(double x, double alpha, double scale, double inputScale) {
    return x > 0 ? scale : scale * alpha * inputScale * Math.exp(x * inputScale);
  }

  /**
   * erfc(z) for z >= 0: from erf(z) = (2/√π) e^(-z²) Σ 2^n z^(2n+1) / (1·3···(2n+1)), a series
   * of positive terms (no cancellation) for z < 3, else the continued fraction of erfc, which
   * converges fast there. Relative error about 1e-14.
   */
  static double erfc(double z) {
    if (z < 3) {
      double term = z;
      double sum = z;
      for (int n = 1; n < 200 && term > 1e-18 * sum; n++) {
        term *= 2 * z * z / (2 * n + 1);
        sum += term;
      }
      return 1 - 2 / Math.sqrt(Math.PI) * Math.exp(-z * z) * sum;
    }
    // erfc(z) = e^(-z²)/√π · 1 / (z + (1/2) / (z + 1 / (z + (3/2) / (z + 2 / (z + ...))))).
    double fraction = z;
    for (int k = 120; k >= 1; k--) {
      fraction = z + (k / 2.0) / fraction;
    }
    return Math.exp(-z * z) / Math.sqrt(Math.PI) / fraction;
  }

  /** Standard normal distribution function. */
  static double phi(double x) {
    return x >= 0 ? 1 - 0.5 * erfc(x / Math.sqrt(2)) : 0.5 * erfc(-x / Math.sqrt(2));
  }

  static double gelu(double x) {
    if (Math.abs(x) > 40) {
      return x > 0 ? x : -0.0;
    }
    return x * phi(x);
  }

  static double geluSlope(double x) {
    if (Math.abs(x) > 40) {
      return x > 0 ? 1 : 0;
    }
    return phi(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
  }

  static double geluTanh(double x) {
    if (Math.abs(x) > 40) {
      return x > 0 ? x : -0.0;
    }
    double u = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
    return 0.5 * x * onePlusTanh(u);
  }

  /**
   * 1 + tanh(u), which cancels in double too for u below about -18; there the identity
   * 1 + tanh(u) = 2 e^(2u) / (1 + e^(2u)) is used instead.
   */
  private static double onePlusTanh(double u) {
    if (u >= -1) {
      return 1 + Math.tanh(u);
    }
    double e = Math.exp(2 * u);
    return 2 * e / (1 + e);
  }

  static double geluTanhSlope(double x) {
    if (Math.abs(x) > 40) {
      return x > 0 ? 1 : 0;
    }
    double u = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
    double du = SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
    return 0.5 * onePlusTanh(u) + 0.5 * x * tanhSlope(u) * du;
  }

  static double silu(double x) {
    if (x == Double.NEGATIVE_INFINITY) {
      return -0.0;
    }
    return x * sigmoid(x);
  }

  static double siluSlope(double x) {
    if (Double.isInfinite(x)) {
      return x > 0 ? 1 : 0;
    }
    return sigmoid(x) + x * sigmoidSlope(x);
  }

  private static double softplusUnit(double x) {
    return x > 30 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
  }

  static double mish(double x) {
    if (x == Double.NEGATIVE_INFINITY) {
      return -0.0;
    }
    return x * Math.tanh(softplusUnit(x));
  }

  static double mishSlope(double x) {
    if (Double.isInfinite(x)) {
      return x > 0 ? 1 : 0;
    }
    double softplus = softplusUnit(x);
    return Math.tanh(softplus) + x * sigmoid(x) * tanhSlope(softplus);
  }

  static double softplus(double x, double beta, double threshold) {
    double z = x * beta;
    return z > threshold ? x : softplusUnit(z) / beta;
  }

  static double softplusSlope(double x, double beta, double threshold) {
    double z = x * beta;
    return z > threshold ? 1 : sigmoid(z);
  }

  static double hardtanh(double x, double min, double max) {
    return x < min ? min : (x > max ? max : x);
  }

  static double hardtanhSlope(double x, double min, double max) {
    return x > min && x < max ? 1 : 0;
  }

  static double hardsigmoid(double x) {
    return Math.min(Math.max(x + 3, 0), 6) / 6;
  }

  static double hardsigmoidSlope(double x) {
    return x > -3 && x < 3 ? 1 / 6.0 : 0;
  }

  static double hardswish(double x) {
    if (x <= -3) {
      return -0.0;
    }
    return x >= 3 ? x : x * (x + 3) / 6;
  }

  static double hardswishSlope(double x) {
    if (x < -3) {
      return 0;
    }
    return x > 3 ? 1 : x / 3 + 0.5;
  }

  static double softsign(double x) {
    if (Double.isInfinite(x)) {
      return Math.signum(x);
    }
    return x / (1 + Math.abs(x));
  }

  static double softsignSlope(double x) {
    double d = 1 + Math.abs(x);
    return 1 / (d * d);
  }
}
