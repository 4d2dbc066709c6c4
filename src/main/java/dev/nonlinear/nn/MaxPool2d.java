package dev.nonlinear.nn;

import dev.nonlinear.kernel.Checks;
import dev.nonlinear.kernel.Parallel;
import dev.nonlinear.kernel.PoolGeometry;
import dev.nonlinear.kernel.Pooling;
import dev.nonlinear.tensor.Tensor;

/**
 * 2-D max pooling as PyTorch's {@code nn.MaxPool2d}: input {@code [N, C, H, W]}, output
 * {@code [N, C, H_out, W_out]}; the stride defaults to the kernel size. A window holding NaN gives
 * NaN; the gradient goes to the element each window chose.
 */
public final class MaxPool2d extends Module {

  private final int kernelH;
  private final int kernelW;
  private final int strideH;
  private final int strideW;
  private final int padH;
  private final int padW;
  private final int dilationH;
  private final int dilationW;
  private final boolean ceilMode;

  private PoolGeometry geometry;
  private Tensor input;
  private Tensor output;
  private Tensor gradInput;
  private int[] argmax = new int[0];

  /** A square window with stride equal to its size, as {@code nn.MaxPool2d(k)}. */
  public MaxPool2d(int kernelSize) {
    this(kernelSize, kernelSize);
  }

  /** A square window and stride, no padding. */
  public MaxPool2d(int kernelSize, int stride) {
    this(new int[] {kernelSize, kernelSize}, new int[] {stride, stride}, new int[] {0, 0},
        new int[] {1, 1}, false);
  }

  /** The general form; each array is {@code {h, w}}; a null stride means the kernel size. */
  public MaxPool2d(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
    Shapes.pair("kernel", kernel);
    int[] strides = stride == null ? kernel : Shapes.pair("stride", stride);
    Shapes.pair("padding", padding);
    Shapes.pair("dilation", dilation);
    this.kernelH = Checks.positive("kernel[0]", kernel[0]);
    this.kernelW = Checks.positive("kernel[1]", kernel[1]);
    this.strideH = Checks.positive("stride[0]", strides[0]);
    this.strideW = Checks.positive("stride[1]", strides[1]);
    this.padH = Checks.nonNegative("padding[0]", padding[0]);
    this.padW = Checks.nonNegative("padding[1]", padding[1]);
    this.dilationH = Checks.positive("dilation[0]", dilation[0]);
    this.dilationW = Checks.positive("dilation[1]", dilation[1]);
    this.ceilMode = ceilMode;
    if (padH * 2 > kernelH || padW * 2 > kernelW) {
      throw new IllegalArgumentException("padding = (" + padH + ", " + padW
          + "): expected at most half the kernel size (" + kernelH + ", " + kernelW + ")");
    }
  }

  @Override
  public MaxPool2d inferenceCopy() {
    return inferenceMode(new MaxPool2d(new int[] {kernelH, kernelW}, new int[] {strideH, strideW},
        new int[] {padH, padW}, new int[] {dilationH, dilationW}, ceilMode));
  }

  @Override
  public Tensor forward(Tensor x) {
    if (x == null || x.rank() != 4) {
      throw new IllegalArgumentException("MaxPool2d: input shape "
          + (x == null ? "null" : x.shapeString()) + ", expected [N, C, H, W]");
    }
    PoolGeometry g = Shapes.geometry("MaxPool2d", x,
        () -> geometryFor(x.size(1), x.size(2), x.size(3)));
    int batch = x.size(0);
    output = Shapes.reuse(output, batch, g.channels(), g.outputHeight(), g.outputWidth());
    if (argmax.length < output.numel()) {
      argmax = new int[output.numel()];
    }
    input = x;

    int outSize = g.outputSize();
    Parallel.forEach(batch, image -> Pooling.maxPool2d(g, x.data(), image * g.imageSize(),
        output.data(), image * outSize, argmax, image * outSize));
    return output;
  }

  @Override
  public Tensor backward(Tensor gradOutput) {
    if (input == null) {
      throw backwardBeforeForward();
    }
    Shapes.requireGradient("MaxPool2d", gradOutput, output.shape());
    if (!isInputGradientNeeded()) {
      return null;
    }
    PoolGeometry g = geometry;
    gradInput = Shapes.reuse(gradInput, input.shape());

    int outSize = g.outputSize();
    Parallel.forEach(input.size(0), image -> Pooling.maxPool2dBackward(g, gradOutput.data(),
        image * outSize, argmax, image * outSize, gradInput.data(), image * g.imageSize()));
    return gradInput;
  }

  private PoolGeometry geometryFor(int channels, int height, int width) {
    if (geometry == null || geometry.channels() != channels || geometry.height() != height
        || geometry.width() != width) {
      geometry = new PoolGeometry(channels, height, width, kernelH, kernelW, strideH, strideW,
          padH, padW, dilationH, dilationW, ceilMode);
    }
    return geometry;
  }

  @Override
  protected String extraRepr() {
    return "kernel_size=(" + kernelH + ", " + kernelW + "), stride=(" + strideH + ", " + strideW
        + "), padding=(" + padH + ", " + padW + "), dilation=(" + dilationH + ", " + dilationW
        + "), ceil_mode=" + (ceilMode ? "True" : "False");
  }
}
