package dev.nonlinear.kernel;

/**
 * Geometry of a 2-D convolution over one image laid out {@code [channels, height, width]}: the
 * kernel size, stride, zero padding and dilation along each axis, and the sizes they imply.
 *
 * <p>The constructor validates as PyTorch's {@code Conv2d} does: kernel, stride and dilation at
 * least 1, padding at least 0, the image at least 1×1×1, and an output of at least 1×1 (a kernel
 * that does not fit the padded image is an error, not an empty result). It also refuses
 * geometries whose image or im2col matrix would not fit one Java array.
 *
 * @param channels input channels C
 * @param height input height H
 * @param width input width W
 * @param kernelH kernel height kH
 * @param kernelW kernel width kW
 * @param strideH vertical stride
 * @param strideW horizontal stride
 * @param padH zero rows added above and below
 * @param padW zero columns added left and right
 * @param dilationH vertical spacing between kernel taps
 * @param dilationW horizontal spacing between kernel taps
 */
public record ConvGeometry(int channels, int height, int width, int kernelH, int kernelW,
    int strideH, int strideW, int padH, int padW, int dilationH, int dilationW) {

  /** Validates every argument and the output size; see the class comment. */
  public ConvGeometry {
    Checks.positive("channels", channels);
    Checks.positive("height", height);
    Checks.positive("width", width);
    Checks.positive("kernelH", kernelH);
    Checks.positive("kernelW", kernelW);
    Checks.positive("strideH", strideH);
    Checks.positive("strideW", strideW);
    Checks.nonNegative("padH", padH);
    Checks.nonNegative("padW", padW);
    Checks.positive("dilationH", dilationH);
    Checks.positive("dilationW", dilationW);

    long outH = outputSize(height, kernelH, strideH, padH, dilationH);
    long outW = outputSize(width, kernelW, strideW, padW, dilationW);
    requireOutput("outputHeight", outH, "height", height, kernelH, strideH, padH, dilationH);
    requireOutput("outputWidth", outW, "width", width, kernelW, strideW, padW, dilationW);

    Checks.product("imageSize", Checks.product("channels * height", channels, height), width);
    int rows = Checks.product("colRows", Checks.product("channels * kernelH", channels, kernelH),
        kernelW);
    Checks.product("im2col size", rows, Checks.product("colCols", (int) outH, (int) outW));
  }

  /** Output rows: {@code (H + 2·padH − dilationH·(kH − 1) − 1) / strideH + 1}. */
  public int outputHeight() {
    return (int) outputSize(height, kernelH, strideH, padH, dilationH);
  }

  /** Output columns: {@code (W + 2·padW − dilationW·(kW − 1) − 1) / strideW + 1}. */
  public int outputWidth() {
    return (int) outputSize(width, kernelW, strideW, padW, dilationW);
  }

  /** Rows of the im2col matrix: {@code channels · kH · kW}, one per weight of a filter. */
  public int colRows() {
    return channels * kernelH * kernelW;
  }

  /** Columns of the im2col matrix: {@code outputHeight · outputWidth}, one per output pixel. */
  public int colCols() {
    return outputHeight() * outputWidth();
  }

  /** Floats in one image: {@code channels · height · width}. */
  public int imageSize() {
    return channels * height * width;
  }

  /** Floats in the im2col matrix: {@code colRows · colCols}. */
  public int colSize() {
    return colRows() * colCols();
  }

  /**
   * True when im2col would copy the image unchanged (1×1 kernel, stride 1, no padding, any
   * dilation): a layer can then multiply the image itself and skip the copy.
   */
  public boolean isPointwise() {
    return kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padH == 0 && padW == 0;
  }

  /** In long arithmetic, so huge arguments give a clear error rather than an overflow. */
  private static long outputSize(int in, int kernel, int stride, int pad, int dilation) {
    long span = (long) dilation * (kernel - 1) + 1;
    long padded = in + 2L * pad;
    return padded < span ? 0 : (padded - span) / stride + 1;
  }

  private static void requireOutput(String name, long size, String axis, int in, int kernel,
      int stride, int pad, int dilation) {
    if (size < 1 || size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " = " + size + ": expected 1 to "
          + Integer.MAX_VALUE + " (" + axis + " = "
          + in + ", kernel = " + kernel + ", stride = " + stride + ", padding = " + pad
          + ", dilation = " + dilation + ")");
    }
  }
}
