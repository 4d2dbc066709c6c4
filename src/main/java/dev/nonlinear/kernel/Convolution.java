package dev.nonlinear.kernel;

import java.util.Objects;

/**
 * The data movement around a 2-D convolution computed as a matrix product: {@link #im2col}
 * unfolds an image into a matrix whose product with the weights {@code [outC, C·kH·kW]} is the
 * convolution, and {@link #col2im} folds the gradient of that matrix back onto the image.
 *
 * <p>A 1×1 kernel with stride 1 and no padding needs no unfolding (the image already is the
 * matrix, see {@link ConvGeometry#isPointwise()}); layers skip the call then, and these kernels
 * do not special-case it.
 *
 * <p>Both kernels work on one image and run on the calling thread; a layer spreads the images of
 * a batch over threads, each with its own column buffer.
 */
public final class Convolution {

  private Convolution() {}

  /**
   * Unfolds image {@code [C, H, W]} at {@code imageOff} into the row-major matrix
   * {@code col [C·kH·kW, outH·outW]} at {@code colOff}. Row {@code (c·kH + i)·kW + j} holds, for
   * every output pixel in row-major order, the input pixel under kernel tap {@code (i, j)} of
   * channel {@code c} (the order of PyTorch's weight layout), or 0 where that tap falls in the
   * padding. Exact: values are copied, never rounded.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if an array is too short for its offset and extent
   */
  public static void im2col(ConvGeometry g, float[] image, int imageOff, float[] col,
      int colOff) {
    Objects.requireNonNull(g, "geometry");
    Checks.range("image", image, imageOff, g.imageSize());
    Checks.range("col", col, colOff, g.colSize());

    ScalarConvolution.im2col(g, image, imageOff, col, colOff);
  }

  /**
   * The adjoint of {@link #im2col}: overwrites image {@code [C, H, W]} at {@code imageOff} with,
   * for each pixel, the sum of the entries of {@code col} that im2col would have copied from it
   * (0 for a pixel no window reads). With {@code col} the gradient of the unfolded matrix, this
   * is the gradient of the image. Each pixel sums its terms in increasing row order, on every
   * backend, so the result is reproducible.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if an array is too short for its offset and extent
   */
  public static void col2im(ConvGeometry g, float[] col, int colOff, float[] image,
      int imageOff) {
    Objects.requireNonNull(g, "geometry");
    Checks.range("col", col, colOff, g.colSize());
    Checks.range("image", image, imageOff, g.imageSize());

    if (Backend.isVector()) {
      VectorConvolution.col2im(g, col, colOff, image, imageOff);
    } else {
      ScalarConvolution.col2im(g, col, colOff, image, imageOff);
    }
  }
}
