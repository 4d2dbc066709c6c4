package dev.nonlinear.kernel;

/**
 * Geometry of an adaptive 2-D pooling over one image {@code [channels, height, width]} to a
 * fixed output size, as PyTorch's {@code AdaptiveAvgPool2d}: output row {@code i} pools input
 * rows {@code [floor(i·H/outH), ceil((i + 1)·H/outH))}, and likewise along the width. Windows
 * cover the input and may overlap; an output larger than the input repeats pixels. Every window
 * holds at least one pixel.
 *
 * @param channels channels C
 * @param height input height H
 * @param width input width W
 * @param outputHeight output rows, at least 1
 * @param outputWidth output columns, at least 1
 */
public record AdaptivePoolGeometry(int channels, int height, int width, int outputHeight,
    int outputWidth) {

  /** Validates every size (all at least 1) and that the image and output fit Java arrays. */
  public AdaptivePoolGeometry {
    Checks.positive("channels", channels);
    Checks.positive("height", height);
    Checks.positive("width", width);
    Checks.positive("outputHeight", outputHeight);
    Checks.positive("outputWidth", outputWidth);
    Checks.product("imageSize", Checks.product("channels * height", channels, height), width);
    Checks.product("outputSize",
        Checks.product("channels * outputHeight", channels, outputHeight), outputWidth);
  }

  /** Floats in one input image: {@code channels · height · width}. */
  public int imageSize() {
    return channels * height * width;
  }

  /** Floats in one output: {@code channels · outputHeight · outputWidth}. */
  public int outputSize() {
    return channels * outputHeight * outputWidth;
  }

  /** First input index of window {@code i} of {@code out} over {@code in}: floor(i·in/out). */
  static int windowStart(int i, int in, int out) {
    return (int) ((long) i * in / out);
  }

  /** One past the last input index of window {@code i}: ceil((i + 1)·in/out). */
  static int windowEnd(int i, int in, int out) {
    return (int) ((((long) i + 1) * in + out - 1) / out);
  }
}
