package dev.nonlinear.kernel;

import java.util.Objects;

/**
 * 2-D pooling of one image {@code [C, H, W]} and its gradient, with PyTorch's windows: max
 * pooling with its indices and NaN rules, average pooling with its divisor rules (see
 * {@link PoolGeometry} for the sizes), and adaptive average pooling
 * ({@link AdaptivePoolGeometry}).
 *
 * <p>The max-pooling forward pass has a vector form ({@link VectorPooling}); its backward pass is
 * a scatter of one value per output, which vectors do not help. Average pooling runs the scalar
 * code ({@link ScalarAvgPooling}) on every backend.
 */
public final class Pooling {

  private Pooling() {}

  /**
   * Writes the maximum of each window to {@code out [C, outH, outW]} and, to {@code argmax}, the
   * index {@code h·W + w} within its channel plane of the pixel it came from (PyTorch's
   * indices). Among equal maxima the first in row-major order wins; a window holding NaN gives
   * NaN and the index of its last NaN; a window of −inf gives −inf and the index of its first
   * pixel inside the image. Exact.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if an array is too short for its offset and extent
   */
  public static void maxPool2d(PoolGeometry g, float[] image, int imageOff, float[] out,
      int outOff, int[] argmax, int argmaxOff) {
    Objects.requireNonNull(g, "geometry");
    Checks.range("image", image, imageOff, g.imageSize());
    Checks.range("out", out, outOff, g.outputSize());
    Checks.range("argmax", argmax, argmaxOff, g.outputSize());

    if (Backend.isVector()) {
      VectorPooling.maxPool2d(g, image, imageOff, out, outOff, argmax, argmaxOff);
    } else {
      ScalarPooling.maxPool2d(g, image, imageOff, out, outOff, argmax, argmaxOff);
    }
  }

  /**
   * Overwrites {@code gradImage [C, H, W]} with the gradient of the input: zero, then each
   * {@code gradOut} entry added at the pixel its {@code argmax} index names (pixels that were the
   * maximum of overlapping windows sum those windows' gradients, in output order).
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if an array is too short for its offset and extent, or an
   *     {@code argmax} entry is outside {@code [0, H·W)}
   */
  public static void maxPool2dBackward(PoolGeometry g, float[] gradOut, int gradOutOff,
      int[] argmax, int argmaxOff, float[] gradImage, int gradImageOff) {
    Objects.requireNonNull(g, "geometry");
    Checks.range("gradOut", gradOut, gradOutOff, g.outputSize());
    Checks.range("argmax", argmax, argmaxOff, g.outputSize());
    Checks.range("gradImage", gradImage, gradImageOff, g.imageSize());
    requireIndicesInPlane(g, argmax, argmaxOff);

    ScalarPooling.maxPool2dBackward(g, gradOut, gradOutOff, argmax, argmaxOff, gradImage,
        gradImageOff);
  }

  /**
   * Writes the average of each window to {@code out [C, outH, outW]}: the window's pixels inside
   * the image summed in row-major order, divided by {@code divisorOverride} when it is above 0,
   * else by the window's area clipped to the padded image ({@code countIncludePad}), else by the
   * number of its pixels inside the image. These are PyTorch's {@code avg_pool2d} rules. Within
   * about {@code kH·kW} ulp of the exact average.
   *
   * @param g the windows; dilation must be 1 (average pooling has none)
   * @param divisorOverride 0 for none, else the divisor of every window
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the geometry is dilated, {@code divisorOverride} is
   *     negative, or an array is too short for its offset and extent
   */
  public static void avgPool2d(PoolGeometry g, boolean countIncludePad, int divisorOverride,
      float[] image, int imageOff, float[] out, int outOff) {
    requireAvgPool(g, divisorOverride);
    Checks.range("image", image, imageOff, g.imageSize());
    Checks.range("out", out, outOff, g.outputSize());

    ScalarAvgPooling.avgPool2d(g, countIncludePad, divisorOverride, image, imageOff, out, outOff);
  }

  /**
   * Overwrites {@code gradImage [C, H, W]} with the gradient of the input of
   * {@link #avgPool2d}: each {@code gradOut} entry divided by its window's divisor and added to
   * every pixel of the window inside the image, windows in output order.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException as {@link #avgPool2d}
   */
  public static void avgPool2dBackward(PoolGeometry g, boolean countIncludePad,
      int divisorOverride, float[] gradOut, int gradOutOff, float[] gradImage,
      int gradImageOff) {
    requireAvgPool(g, divisorOverride);
    Checks.range("gradOut", gradOut, gradOutOff, g.outputSize());
    Checks.range("gradImage", gradImage, gradImageOff, g.imageSize());

    ScalarAvgPooling.avgPool2dBackward(g, countIncludePad, divisorOverride, gradOut, gradOutOff,
        gradImage, gradImageOff);
  }

  /**
   * Writes to {@code out [C, outH, outW]} the average of each adaptive window (see
   * {@link AdaptivePoolGeometry}), its pixels summed in row-major order and divided by their
   * count. With a 1×1 output this is global average pooling.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if an array is too short for its offset and extent
   */
  public static void adaptiveAvgPool2d(AdaptivePoolGeometry g, float[] image, int imageOff,
      float[] out, int outOff) {
    Objects.requireNonNull(g, "geometry");
    Checks.range("image", image, imageOff, g.imageSize());
    Checks.range("out", out, outOff, g.outputSize());

    ScalarAvgPooling.adaptiveAvgPool2d(g, image, imageOff, out, outOff);
  }

  /**
   * Overwrites {@code gradImage [C, H, W]} with the gradient of the input of
   * {@link #adaptiveAvgPool2d}: each {@code gradOut} entry divided by its window's pixel count
   * and added to each of those pixels, windows in output order.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if an array is too short for its offset and extent
   */
  public static void adaptiveAvgPool2dBackward(AdaptivePoolGeometry g, float[] gradOut,
      int gradOutOff, float[] gradImage, int gradImageOff) {
    Objects.requireNonNull(g, "geometry");
    Checks.range("gradOut", gradOut, gradOutOff, g.outputSize());
    Checks.range("gradImage", gradImage, gradImageOff, g.imageSize());

    ScalarAvgPooling.adaptiveAvgPool2dBackward(g, gradOut, gradOutOff, gradImage, gradImageOff);
  }

  private static void requireAvgPool(PoolGeometry g, int divisorOverride) {
    Objects.requireNonNull(g, "geometry");
    if (g.dilationH() != 1 || g.dilationW() != 1) {
      throw new IllegalArgumentException("dilation = (" + g.dilationH() + ", " + g.dilationW()
          + "): average pooling expects (1, 1)");
    }
    Checks.nonNegative("divisorOverride", divisorOverride);
  }

  private static void requireIndicesInPlane(PoolGeometry g, int[] argmax, int argmaxOff) {
    int plane = g.height() * g.width();
    int outputs = g.outputSize();
    for (int k = 0; k < outputs; k++) {
      int index = argmax[argmaxOff + k];
      if (index < 0 || index >= plane) {
        throw new IllegalArgumentException("argmax[" + (argmaxOff + k) + "] = " + index
            + ": expected an index in [0, " + plane + ") (height * width)");
      }
    }
  }
}
