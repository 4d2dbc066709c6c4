package dev.nonlinear.kernel;

import java.util.Arrays;

/**
 * Plain-Java im2col (used on every backend: it only moves data) and col2im (the twin of
 * {@link VectorConvolution#col2im}). No argument checks: the {@link Convolution} facade has made
 * them.
 *
 * <p>Both walk the im2col matrix row by row. For kernel tap {@code (i, j)} and output row
 * {@code oh}, the input row is {@code ih = oh·sH − pH + i·dH} and output column {@code ow} reads
 * input column {@code iw = ow·sW − pW + j·dW}; the columns whose {@code iw} lies inside the image
 * form one interval {@code [firstInside, endInside)}, computed once per tap, so the inner loops
 * carry no bounds tests.
 */
final class ScalarConvolution {

  private ScalarConvolution() {}

  static void im2col(ConvGeometry g, float[] image, int imageOff, float[] col, int colOff) {
    int outH = g.outputHeight();
    int outW = g.outputWidth();
    int strideW = g.strideW();
    for (int c = 0; c < g.channels(); c++) {
      for (int i = 0; i < g.kernelH(); i++) {
        for (int j = 0; j < g.kernelW(); j++) {
          int row = (c * g.kernelH() + i) * g.kernelW() + j;
          int shiftW = j * g.dilationW() - g.padW();
          int firstInside = firstInside(shiftW, strideW);
          int endInside = endInside(shiftW, strideW, g.width(), outW);
          for (int oh = 0; oh < outH; oh++) {
            int ih = oh * g.strideH() - g.padH() + i * g.dilationH();
            int dst = colOff + row * outH * outW + oh * outW;
            if (ih < 0 || ih >= g.height() || firstInside >= endInside) {
              Arrays.fill(col, dst, dst + outW, 0f);
              continue;
            }

            int src = imageOff + (c * g.height() + ih) * g.width() + shiftW;
            Arrays.fill(col, dst, dst + firstInside, 0f);
            copyRun(image, src, strideW, col, dst, firstInside, endInside);
            Arrays.fill(col, dst + endInside, dst + outW, 0f);
          }
        }
      }
    }
  }

  /**
   * {@code col[dst + ow] = image[src + ow·strideW]} for ow in [from, to). With stride 1 the run
   * is contiguous and {@link System#arraycopy} moves it; measured against a FloatVector copy loop
   * (ConvPoolBenchmark.im2col, AVX2), it was as fast or faster, so im2col has no vector form.
   */
  private static void copyRun(float[] image, int src, int strideW, float[] col, int dst,
      int from, int to) {
    if (strideW == 1) {
      System.arraycopy(image, src + from, col, dst + from, to - from);
      return;
    }
    for (int ow = from; ow < to; ow++) {
      col[dst + ow] = image[src + ow * strideW];
    }
  }

  static void col2im(ConvGeometry g, float[] col, int colOff, float[] image, int imageOff) {
    Arrays.fill(image, imageOff, imageOff + g.imageSize(), 0f);

    int outH = g.outputHeight();
    int outW = g.outputWidth();
    int strideW = g.strideW();
    for (int c = 0; c < g.channels(); c++) {
      for (int i = 0; i < g.kernelH(); i++) {
        for (int j = 0; j < g.kernelW(); j++) {
          int row = (c * g.kernelH() + i) * g.kernelW() + j;
          int shiftW = j * g.dilationW() - g.padW();
          int firstInside = firstInside(shiftW, strideW);
          int endInside = endInside(shiftW, strideW, g.width(), outW);
          for (int oh = 0; oh < outH; oh++) {
            int ih = oh * g.strideH() - g.padH() + i * g.dilationH();
            if (ih < 0 || ih >= g.height()) {
              continue;
            }

            int src = colOff + row * outH * outW + oh * outW;
            int dst = imageOff + (c * g.height() + ih) * g.width() + shiftW;
            for (int ow = firstInside; ow < endInside; ow++) {
              image[dst + ow * strideW] += col[src + ow];
            }
          }
        }
      }
    }
  }

  /** The first output column whose input column {@code ow·stride + shift} is at least 0. */
  static int firstInside(int shift, int stride) {
    return shift >= 0 ? 0 : Math.ceilDiv(-shift, stride);
  }

  /**
   * One past the last output column (capped at {@code outW}) whose input column
   * {@code ow·stride + shift} is below {@code width}; at most {@link #firstInside} when none is.
   */
  static int endInside(int shift, int stride, int width, int outW) {
    if (shift >= width) {
      return 0;
    }
    return Math.min(outW, (width - 1 - shift) / stride + 1);
  }
}
