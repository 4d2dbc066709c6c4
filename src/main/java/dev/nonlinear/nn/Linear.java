package dev.nonlinear.nn;

import dev.nonlinear.kernel.Bias;
import dev.nonlinear.kernel.Blas;
import dev.nonlinear.kernel.Checks;
import dev.nonlinear.tensor.Tensor;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * {@code y = x·Wᵀ + b} over the last dimension, as PyTorch's {@code nn.Linear}: weight
 * {@code [out_features, in_features]}, bias {@code [out_features]}, input {@code [*, in_features]},
 * output {@code [*, out_features]}.
 */
public final class Linear extends Module {

  private final int inFeatures;
  private final int outFeatures;
  private final Parameter weight;
  private final Parameter bias;

  private Tensor input;
  private Tensor output;
  private Tensor gradInput;

  /** A layer with a bias, initialised from {@link Init#defaultGenerator()}. */
  public Linear(int inFeatures, int outFeatures) {
    this(inFeatures, outFeatures, true, Init.defaultGenerator());
  }

  /** A layer initialised as PyTorch does (uniform in ±1/√in_features), from {@code random}. */
  public Linear(int inFeatures, int outFeatures, boolean bias, RandomGenerator random) {
    this.inFeatures = Checks.positive("inFeatures", inFeatures);
    this.outFeatures = Checks.positive("outFeatures", outFeatures);
    Checks.product("outFeatures * inFeatures", outFeatures, inFeatures);
    Objects.requireNonNull(random, "random");

    this.weight = registerParameter("weight", new Parameter(Tensor.zeros(outFeatures,
        inFeatures)));
    Init.pytorchDefault(weight.value(), inFeatures, random);
    if (bias) {
      this.bias = registerParameter("bias", new Parameter(Tensor.zeros(outFeatures)));
      Init.pytorchDefault(this.bias.value(), inFeatures, random);
    } else {
      this.bias = null;
    }
  }

  /** A layer over {@code source}'s parameters, with workspaces of its own. */
  private Linear(Linear source) {
    this.inFeatures = source.inFeatures;
    this.outFeatures = source.outFeatures;
    this.weight = registerParameter("weight", source.weight);
    this.bias = source.bias == null ? null : registerParameter("bias", source.bias);
  }

  @Override
  public Linear inferenceCopy() {
    return inferenceMode(new Linear(this));
  }

  /** The weight, {@code [out_features, in_features]}. */
  public Parameter weight() {
    return weight;
  }

  /** The bias, {@code [out_features]}, or null when built without one. */
  public Parameter bias() {
    return bias;
  }

  @Override
  public Tensor forward(Tensor x) {
    Shapes.requireLastDim("Linear", x, inFeatures);
    int rows = x.numel() / inFeatures;
    int[] outShape = x.shape();
    outShape[outShape.length - 1] = outFeatures;
    Checks.product("rows * outFeatures", rows, outFeatures);
    output = Shapes.reuse(output, outShape);
    input = x;

    Blas.sgemm(false, true, rows, outFeatures, inFeatures, 1f, x.data(), 0, inFeatures,
        weight.value().data(), 0, inFeatures, 0f, output.data(), 0, outFeatures);
    if (bias != null) {
      Bias.addToRows(output.data(), 0, rows, outFeatures, bias.value().data(), 0);
    }
    return output;
  }

  @Override
  public Tensor backward(Tensor gradOutput) {
    if (input == null) {
      throw backwardBeforeForward();
    }
    Shapes.requireGradient("Linear", gradOutput, output.shape());
    int rows = input.numel() / inFeatures;
    float[] gy = gradOutput.data();

    Blas.sgemm(true, false, outFeatures, inFeatures, rows, 1f, gy, 0, outFeatures,
        input.data(), 0, inFeatures, 1f, weight.grad().data(), 0, inFeatures);
    if (bias != null) {
      Bias.accumulateRowSums(gy, 0, rows, outFeatures, bias.grad().data(), 0);
    }
    if (!isInputGradientNeeded()) {
      return null;
    }

    gradInput = Shapes.reuse(gradInput, input.shape());
    Blas.sgemm(false, false, rows, inFeatures, outFeatures, 1f, gy, 0, outFeatures,
        weight.value().data(), 0, inFeatures, 0f, gradInput.data(), 0, inFeatures);
    return gradInput;
  }

  @Override
  protected String extraRepr() {
    return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias="
        + (bias != null ? "True" : "False");
  }
}
