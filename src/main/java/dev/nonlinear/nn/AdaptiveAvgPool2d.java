package dev.nonlinear.nn;

import dev.nonlinear.kernel.AdaptivePoolGeometry;
import dev.nonlinear.kernel.Checks;
import dev.nonlinear.kernel.Parallel;
import dev.nonlinear.kernel.Pooling;
import dev.nonlinear.tensor.Tensor;

/**
 * Adaptive 2-D average pooling as PyTorch's {@code nn.AdaptiveAvgPool2d}: input
 * {@code [N, C, H, W]} of any size, output {@code [N, C, outH, outW]}; output row {@code i}
 * averages input rows {@code [floor(i·H/outH), ceil((i + 1)·H/outH))}, and likewise along the
 * width. {@code new AdaptiveAvgPool2d(1)} is global average pooling. PyTorch's {@code None}
 * (keep the input's size along an axis) is not offered.
 */
public final class AdaptiveAvgPool2d extends Module {

  private final int outputHeight;
  private final int outputWidth;

  private AdaptivePoolGeometry geometry;
  private Tensor input;
  private Tensor output;
  private Tensor gradInput;

  /** A square output, {@code size × size}. */
  public AdaptiveAvgPool2d(int size) {
    this(size, size);
  }

  /** An output of {@code outputHeight × outputWidth}. */
  public AdaptiveAvgPool2d(int outputHeight, int outputWidth) {
    this.outputHeight = Checks.positive("outputHeight", outputHeight);
    this.outputWidth = Checks.positive("outputWidth", outputWidth);
  }

  @Override
  public AdaptiveAvgPool2d inferenceCopy() {
    return inferenceMode(new AdaptiveAvgPool2d(outputHeight, outputWidth));
  }

  @Override
  public Tensor forward(Tensor x) {
    if (x == null || x.rank() != 4) {
      throw new IllegalArgumentException("AdaptiveAvgPool2d: input shape "
          + (x == null ? "null" : x.shapeString()) + ", expected [N, C, H, W]");
    }
    AdaptivePoolGeometry g = Shapes.geometry("AdaptiveAvgPool2d", x,
        () -> geometryFor(x.size(1), x.size(2), x.size(3)));
    output = Shapes.reuse(output, x.size(0), g.channels(), outputHeight, outputWidth);
    input = x;

    int outSize = g.outputSize();
    Parallel.forEach(x.size(0), image -> Pooling.adaptiveAvgPool2d(g, x.data(),
        image * g.imageSize(), output.data(), image * outSize));
    return output;
  }

  @Override
  public Tensor backward(Tensor gradOutput) {
    if (input == null) {
      throw backwardBeforeForward();
    }
    Shapes.requireGradient("AdaptiveAvgPool2d", gradOutput, output.shape());
    if (!isInputGradientNeeded()) {
      return null;
    }
    AdaptivePoolGeometry g = geometry;
    gradInput = Shapes.reuse(gradInput, input.shape());

    int outSize = g.outputSize();
    Parallel.forEach(input.size(0), image -> Pooling.adaptiveAvgPool2dBackward(g,
        gradOutput.data(), image * outSize, gradInput.data(), image * g.imageSize()));
    return gradInput;
  }

  private AdaptivePoolGeometry geometryFor(int channels, int height, int width) {
    if (geometry == null || geometry.channels() != channels || geometry.height() != height
        || geometry.width() != width) {
      geometry = new AdaptivePoolGeometry(channels, height, width, outputHeight, outputWidth);
    }
    return geometry;
  }

  @Override
  protected String extraRepr() {
    return "output_size=(" + outputHeight + ", " + outputWidth + ")";
  }
}
