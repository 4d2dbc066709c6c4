package dev.nonlinear.kernel;

/**
 * Geometry of a 2-D pooling over one image laid out {@code [channels, height, width]}: window
 * size, stride, padding (implicit, never selected) and dilation along each axis, and
 * {@code ceilMode}.
 *
 * <p>The rules are PyTorch's {@code MaxPool2d}: kernel, stride and dilation at least 1, padding
 * between 0 and half the kernel ({@code pad <= kernel / 2}), an output of at least 1×1. The
 * output size rounds down, or up with {@code ceilMode}, in which case a last window that would
 * start in the right or bottom padding is dropped. One rule is stricter than PyTorch: a geometry
 * in which some window covers no pixel of the image at all (possible only with dilation, e.g.
 * H = 2, kernel 2, dilation 3, padding 1) is refused, since such a window has no maximum and no
 * valid index (PyTorch 1.13 returns −inf there, with the index of a pixel the window does not
 * cover, sometimes one outside the plane).
 *
 * @param channels channels C
 * @param height input height H
 * @param width input width W
 * @param kernelH window height
 * @param kernelW window width
 * @param strideH vertical stride
 * @param strideW horizontal stride
 * @param padH implicit rows above and below
 * @param padW implicit columns left and right
 * @param dilationH vertical spacing between window taps
 * @param dilationW horizontal spacing between window taps
 * @param ceilMode round the output size up instead of down
 */
public record PoolGeometry(int channels, int height, int width, int kernelH, int kernelW,
    int strideH, int strideW, int padH, int padW, int dilationH, int dilationW,
    boolean ceilMode) {

  /** Validates every argument and the output size; see the class comment. */
  public PoolGeometry {
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
    requireHalfKernel("padH", padH, "kernelH", kernelH);
    requireHalfKernel("padW", padW, "kernelW", kernelW);

    long outH = outputSize(height, kernelH, strideH, padH, dilationH, ceilMode);
    long outW = outputSize(width, kernelW, strideW, padW, dilationW, ceilMode);
    requireOutput("outputHeight", outH, "height", height, kernelH, strideH, padH, dilationH);
    requireOutput("outputWidth", outW, "width", width, kernelW, strideW, padW, dilationW);
    requireEveryWindowInside("height", height, strideH, padH, dilationH, (int) outH);
    requireEveryWindowInside("width", width, strideW, padW, dilationW, (int) outW);

    Checks.product("imageSize",
        Checks.product("channels * height", channels, height), width);
    Checks.product("outputSize",
        Checks.product("channels * outputHeight", channels, (int) outH), (int) outW);
  }

  /** Output rows, PyTorch's formula for the chosen rounding. */
  public int outputHeight() {
    return (int) outputSize(height, kernelH, strideH, padH, dilationH, ceilMode);
  }

  /** Output columns, PyTorch's formula for the chosen rounding. */
  public int outputWidth() {
    return (int) outputSize(width, kernelW, strideW, padW, dilationW, ceilMode);
  }

  /** Floats in one input image: {@code channels · height · width}. */
  public int imageSize() {
    return channels * height * width;
  }

  /** Floats in one output: {@code channels · outputHeight · outputWidth}. */
  public int outputSize() {
    return channels * outputHeight() * outputWidth();
  }

  /**
   * {@code floor((in + 2p − d(k − 1) − 1 [+ s − 1 in ceil mode]) / s) + 1}, less one in ceil mode
   * when the last window would start at or past {@code in + p}. In long arithmetic, so huge
   * arguments give a clear error rather than an overflow.
   */
  private static long outputSize(int in, int kernel, int stride, int pad, int dilation,
      boolean ceil) {
    long numerator = in + 2L * pad - (long) dilation * (kernel - 1) - 1 + (ceil ? stride - 1 : 0);
    long size = Math.floorDiv(numerator, stride) + 1;
    if (ceil && (size - 1) * stride >= in + (long) pad) {
      size--;
    }
    return size;
  }

  private static void requireHalfKernel(String padName, int pad, String kernelName, int kernel) {
    if (pad > kernel / 2) {
      throw new IllegalArgumentException(padName + " = " + pad + ": expected at most half of "
          + kernelName + " = " + kernel);
    }
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

  /**
   * Only windows that start in the leading padding can miss the image (a window starting at or
   * past 0 starts inside it, which PyTorch's size rules guarantee); for those, the first tap at
   * or past 0 must still be inside.
   */
  private static void requireEveryWindowInside(String axis, int in, int stride, int pad,
      int dilation, int outSize) {
    for (int o = 0; o < outSize && (long) o * stride < pad; o++) {
      int start = o * stride - pad;
      int firstInside = WindowTaps.first(start, dilation);
      if (firstInside >= in) {
        throw new IllegalArgumentException("window " + o + " along " + axis + " covers no pixel ("
            + axis + " = " + in + ", padding = " + pad + ", dilation = " + dilation + ")");
      }
    }
  }
}
