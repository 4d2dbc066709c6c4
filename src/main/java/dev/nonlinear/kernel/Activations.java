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
