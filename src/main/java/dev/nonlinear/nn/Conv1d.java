package dev.nonlinear.nn;

import dev.nonlinear.kernel.Checks;
import dev.nonlinear.tensor.Tensor;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A 1-D convolution as PyTorch's {@code nn.Conv1d}: input {@code [N, C_in, L]}, weight
 * {@code [C_out, C_in/groups, k]}, bias {@code [C_out]}, output {@code [N, C_out, L_out]} with
 * {@code L_out = (L + 2·padding − dilation·(k − 1) − 1) / stride + 1}.
 *
 * <p>It is a {@link Conv2d} over images of height 1 with a {@code 1 × k} kernel: the input,
 * output and gradients are the same arrays seen with a unit height, so the two layers share all
 * their code, groups and reproducible weight gradients included.
 */
public final class Conv1d extends Module {

  private final int inChannels;
  private final int outChannels;
  private final int kernelSize;
  private final int stride;
  private final int padding;
  private final int dilation;
  private final Conv2d conv;

  private Tensor output;
  private Tensor gradInput;

  /** Stride 1, no padding, a bias, default initialisation. */
  public Conv1d(int inChannels, int outChannels, int kernelSize) {
    this(inChannels, outChannels, kernelSize, 1, 0, 1, 1, true, Init.defaultGenerator());
  }

  /**
   * The general form; {@code groups} must divide both channel counts; weights uniform in
   * ±1/√((C_in/groups)·k) from {@code random}, as PyTorch initialises them.
   */
  public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding,
      int dilation, int groups, boolean bias, RandomGenerator random) {
    this.inChannels = Checks.positive("inChannels", inChannels);
    this.outChannels = Checks.positive("outChannels", outChannels);
    this.kernelSize = Checks.positive("kernelSize", kernelSize);
    this.stride = Checks.positive("stride", stride);
    this.padding = Checks.nonNegative("padding", padding);
    this.dilation = Checks.positive("dilation", dilation);
    Objects.requireNonNull(random, "random");
    this.conv = new Conv2d(inChannels, outChannels, new int[] {1, kernelSize},
        new int[] {1, stride}, new int[] {0, padding}, new int[] {1, dilation}, groups, bias,
        random, true);
    registerParameter("weight", conv.weight());
    if (bias) {
      registerParameter("bias", conv.bias());
    }
  }

  /** A convolution over {@code source}'s parameters, with workspaces of its own. */
  private Conv1d(Conv1d source) {
    this.inChannels = source.inChannels;
    this.outChannels = source.outChannels;
    this.kernelSize = source.kernelSize;
    this.stride = source.stride;
    this.padding = source.padding;
    this.dilation = source.dilation;
    this.conv = source.conv.inferenceCopy();
    registerParameter("weight", conv.weight());
    if (conv.bias() != null) {
      registerParameter("bias", conv.bias());
    }
  }

  @Override
  public Conv1d inferenceCopy() {
    return inferenceMode(new Conv1d(this));
  }

  /** The weight, {@code [C_out, C_in/groups, k]}. */
  public Parameter weight() {
    return conv.weight();
  }

  /** The bias, {@code [C_out]}, or null. */
  public Parameter bias() {
    return conv.bias();
  }

  @Override
  public Tensor forward(Tensor x) {
    Shapes.require("Conv1d", x, 3, 1, inChannels, "[N, " + inChannels + ", L]");
    requireOutputLength(x);
    Tensor y = conv.forward(x.reshape(x.size(0), inChannels, 1, x.size(2)));
    output = view(output, y, y.size(0), outChannels, y.size(3));
    return output;
  }

  /**
   * Refuses an input shorter than the dilated kernel here, in this layer's terms: the inner
   * Conv2d would name itself and the 4-D view of the input instead.
   */
  private void requireOutputLength(Tensor x) {
    long span = (long) dilation * (kernelSize - 1) + 1;
    int length = x.size(2);
    if (length + 2L * padding < span) {
      throw new IllegalArgumentException("Conv1d: input shape " + x.shapeString()
          + " does not fit: outputLength = 0: expected >= 1 (length = " + length + ", kernel = "
          + kernelSize + ", stride = " + stride + ", padding = " + padding + ", dilation = "
          + dilation + ")");
    }
  }

  @Override
  public Tensor backward(Tensor gradOutput) {
    if (output == null) {
      throw backwardBeforeForward();
    }
    Shapes.requireGradient("Conv1d", gradOutput, output.shape());
    Tensor g = conv.backward(gradOutput.reshape(output.size(0), outChannels, 1,
        output.size(2)));
    if (g == null) {
      return null;
    }
    gradInput = view(gradInput, g, g.size(0), inChannels, g.size(3));
    return gradInput;
  }

  @Override
  public Module inputGradientNeeded(boolean needed) {
    conv.inputGradientNeeded(needed);
    return super.inputGradientNeeded(needed);
  }

  /** {@code current} when it already views {@code of}'s array with {@code shape}, else a view. */
  private static Tensor view(Tensor current, Tensor of, int... shape) {
    return current != null && current.data() == of.data() && current.hasShape(shape) ? current
        : of.reshape(shape);
  }

  @Override
  protected String extraRepr() {
    StringBuilder repr = new StringBuilder().append(inChannels).append(", ").append(outChannels)
        .append(", kernel_size=(").append(kernelSize).append(",), stride=(").append(stride)
        .append(",)");
    if (padding != 0) {
      repr.append(", padding=(").append(padding).append(",)");
    }
    if (dilation != 1) {
      repr.append(", dilation=(").append(dilation).append(",)");
    }
    if (conv.groups() != 1) {
      repr.append(", groups=").append(conv.groups());
    }
    return conv.bias() == null ? repr.append(", bias=False").toString() : repr.toString();
  }
}
