package dev.nonlinear.kernel;

import java.util.Objects;

/**
 * 2-D max pooling of one image {@code [C, H, W]} and its gradient, with PyTorch's windows,
 * indices and NaN rules (see {@link PoolGeometry} for the sizes).
 *
 * <p>The forward pass has a vector form ({@link VectorPooling}); the backward pass is a scatter
 * of one value per output, which vectors do not help.
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
