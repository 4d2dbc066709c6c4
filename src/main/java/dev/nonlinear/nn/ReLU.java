package dev.nonlinear.nn;

import dev.nonlinear.kernel.Activations;
import dev.nonlinear.tensor.Tensor;
import java.util.Objects;

/**
 * {@code max(0, x)} elementwise, as PyTorch's {@code nn.ReLU}: NaN stays NaN, and the gradient
 * at 0 is 0.
 */
public final class ReLU extends Module {

  private Tensor input;
  private Tensor output;
  private Tensor gradInput;

  @Override
  public Tensor forward(Tensor x) {
    Objects.requireNonNull(x, "ReLU input");
    output = Shapes.reuse(output, x.shape());
    input = x;
    Activations.relu(x.data(), 0, output.data(), 0, x.numel());
    return output;
  }

  @Override
  public Tensor backward(Tensor gradOutput) {
    if (input == null) {
      throw backwardBeforeForward();
    }
    Shapes.requireGradient("ReLU", gradOutput, input.shape());
    if (!isInputGradientNeeded()) {
      return null;
    }
    gradInput = Shapes.reuse(gradInput, input.shape());
    Activations.reluBackward(input.data(), 0, gradOutput.data(), 0, gradInput.data(), 0,
        input.numel());
    return gradInput;
  }
}
