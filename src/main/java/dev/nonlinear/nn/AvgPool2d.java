package dev.nonlinear.nn;

import dev.nonlinear.kernel.Checks;
import dev.nonlinear.kernel.Parallel;
import dev.nonlinear.kernel.PoolGeometry;
import dev.nonlinear.kernel.Pooling;
import dev.nonlinear.tensor.Tensor;
import java.util.Objects;

/**
 * 2-D average pooling as PyTorch's {@code nn.AvgPool2d}: input {@code [N, C, H, W]}, output
 * {@code [N, C, H_out, W_out]}; the stride defaults to the kernel size, padding is at most half
 * the kernel, {@code ceilMode} rounds the output size up, {@code countIncludePad} (PyTorch's
 * default, true) counts padding in the divisor, and a {@code divisorOverride} above 0 replaces
 * the divisor (0 means none, PyTorch's {@code None}; a negative override, which PyTorch accepts,
 * is refused here as it averages nothing).
 */
public final class AvgPool2d extends Module {

  private final int kernelH;
  private final int kernelW;
  private final int strideH;
  private final int strideW;
  private final int padH;
  private final int padW;
  private final boolean ceilMode;
  private final boolean countIncludePad;
  private final int divisorOverride;

  private PoolGeometry geometry;
  private Tensor input;
  private Tensor output;
  private Tensor gradInput;

  /** A square window with stride equal to its size, as {@code nn.AvgPool2d(k)}. */
  public AvgPool2d(int kernelSize) {
    this(kernelSize, kernelSize);
  }

  /** A square window and stride, no padding. */
  public AvgPool2d(int kernelSize, int stride) {
    this(new int[] {kernelSize, kernelSize}, new int[] {stride, stride}, new int[] {0, 0}, false,
        true, 0);
  }

  /**
   * The general form; each array is {@code {h, w}}; a null stride means the kernel size;
   * {@code divisorOverride} 0 means none.
   */
  public AvgPool2d(int[] kernel, int[] stride, int[] padding, boolean ceilMode,
      boolean countIncludePad, int divisorOverride) {
    int[] strides = stride == null ? kernel : stride;
    this.kernelH = Checks.positive("kernel[0]", Shapes.pair("kernel", kernel)[0]);
    this.kernelW = Checks.positive("kernel[1]", kernel[1]);
    this.strideH = Checks.positive("stride[0]", Shapes.pair("stride", strides)[0]);
    this.strideW = Checks.positive("stride[1]", strides[1]);
    this.padH = Checks.nonNegative("padding[0]", Shapes.pair("padding", padding)[0]);
    this.padW = Checks.nonNegative("padding[1]", padding[1]);
    this.ceilMode = ceilMode;
    this.countIncludePad = countIncludePad;
    this.divisorOverride = Checks.nonNegative("divisorOverride", divisorOverride);
    if (padH * 2 > kernelH || padW * 2 > kernelW) {
      throw new IllegalArgumentException("padding = (" + padH + ", " + padW
          + "): expected at most half the kernel size (" + kernelH + ", " + kernelW + ")");
    }
  }

  @Override
  public AvgPool2d inferenceCopy() {
    return inferenceMode(new AvgPool2d(new int[] {kernelH, kernelW}, new int[] {strideH, strideW},
        new int[] {padH, padW}, ceilMode, countIncludePad, divisorOverride));
  }

  @Override
  public Tensor forward(Tensor x) {
    if (x == null || x.rank() != 4) {
      throw new IllegalArgumentException("AvgPool2d: input shape "
          + (x == null ? "null" : x.shapeString()) + ", expected [N, C, H, W]");
    }
    PoolGeometry g = Shapes.geometry("AvgPool2d", x,
        () -> geometryFor(x.size(1), x.size(2), x.size(3)));
    output = Shapes.reuse(output, x.size(0), g.channels(), g.outputHeight(), g.outputWidth());
    input = x;

    int outSize = g.outputSize();
    Parallel.forEach(x.size(0), image -> Pooling.avgPool2d(g, countIncludePad, divisorOverride,
        x.data(), image * g.imageSize(), output.data(), image * outSize));
    return output;
  }

  @Override
  public Tensor backward(Tensor gradOutput) {
    if (input == null) {
      throw backwardBeforeForward();
    }
    Shapes.requireGradient("AvgPool2d", gradOutput, output.shape());
    if (!isInputGradientNeeded()) {
      return null;
    }
    PoolGeometry g = geometry;
    gradInput = Shapes.reuse(gradInput, input.shape());

    int outSize = g.outputSize();
    Parallel.forEach(input.size(0), image -> Pooling.avgPool2dBackward(g, countIncludePad,
        divisorOverride, gradOutput.data(), image * outSize, gradInput.data(),
        image * g.imageSize()));
    return gradInput;
  }

  private PoolGeometry geometryFor(int channels, int height, int width) {
    if (geometry == null || geometry.channels() != channels || geometry.height() != height
        || geometry.width() != width) {
      geometry = new PoolGeometry(channels, height, width, kernelH, kernelW, strideH, strideW,
          padH, padW, 1, 1, ceilMode);
    }
    return geometry;
  }

  @Override
  protected String extraRepr() {
    String repr = "kernel_size=(" + kernelH + ", " + kernelW + "), stride=(" + strideH + ", "
        + strideW + "), padding=(" + padH + ", " + padW + ")";
    if (ceilMode) {
      repr += ", ceil_mode=True";
    }
    if (!countIncludePad) {
      repr += ", count_include_pad=False";
    }
    return divisorOverride > 0 ? repr + ", divisor_override=" + divisorOverride : repr;
  }
}
