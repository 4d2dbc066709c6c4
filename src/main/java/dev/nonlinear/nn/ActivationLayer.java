package dev.nonlinear.nn;

import dev.nonlinear.tensor.Tensor;
import java.util.Objects;

/**
 * The shared frame of the activation layers, elementwise or over rows (softmax): the output and
 * the input gradient are workspaces of the input's shape, the gradient must have that shape too,
 * and a subclass supplies only the two kernel calls. The backward kernel is given both the
 * forward input and the forward output, so each layer can use the form PyTorch uses (Sigmoid,
 * Tanh and the softmaxes work from the output). That output is this module's own tensor:
 * changing it before backward changes those gradients.
 */
abstract class ActivationLayer extends Module {

  private Tensor input;
  private Tensor output;
  private Tensor gradInput;

  @Override
  public final Tensor forward(Tensor x) {
    Objects.requireNonNull(x, name() + " input");
    checkInput(x);
    output = Shapes.reuse(output, x.shape());
    input = x;
    activate(x.data(), output.data(), x.numel());
    return output;
  }

  @Override
  public final Tensor backward(Tensor gradOutput) {
    if (input == null) {
      throw backwardBeforeForward();
    }
    Shapes.requireGradient(name(), gradOutput, input.shape());
    if (!isInputGradientNeeded()) {
      return null;
    }
    gradInput = Shapes.reuse(gradInput, input.shape());
    gradient(input.data(), output.data(), gradOutput.data(), gradInput.data(), input.numel());
    return gradInput;
  }

  /** Rejects an input this layer cannot take; any shape is fine for an elementwise function. */
  void checkInput(Tensor x) {}

  /** {@code y = f(x)} over {@code n} elements. */
  abstract void activate(float[] x, float[] y, int n);

  /** {@code gradX = gradY · f'(x)}, given the forward input x and output y. */
  abstract void gradient(float[] x, float[] y, float[] gradY, float[] gradX, int n);

  final String name() {
    return getClass().getSimpleName();
  }

  /** A parameter as Python prints a float: {@code 1.0}, {@code 0.01}, {@code -1.0}. */
  static String pythonFloat(float value) {
    return Float.toString(value);
  }

  /** A parameter PyTorch defaults to an int ({@code beta=1}) printed as Python would print it. */
  static String pythonNumber(float value) {
    return value == Math.rint(value) && Math.abs(value) < 1e7f
        ? Integer.toString((int) value) : Float.toString(value);
  }

  static float finite(String name, float value) {
    if (!Float.isFinite(value)) {
      throw new IllegalArgumentException(name + " = " + value + ": expected a finite number");
    }
    return value;
  }

  static float positiveFinite(String name, float value) {
    if (!(value > 0f) || !Float.isFinite(value)) {
      throw new IllegalArgumentException(name + " = " + value
          + ": expected a positive finite number");
    }
    return value;
  }

  static float notNaN(String name, float value) {
    if (Float.isNaN(value)) {
      throw new IllegalArgumentException(name + " = NaN: expected a number");
    }
    return value;
  }
}
