package dev.nonlinear.kernel;

import java.util.Arrays;

/**
 * Average pooling in plain Java: fixed windows ({@link PoolGeometry}, dilation 1) with PyTorch's
 * divisor rules, and adaptive windows ({@link AdaptivePoolGeometry}). No argument checks: the
 * {@link Pooling} facade has made them.
 *
 * <p>A window sums its pixels in row-major order in float, then divides once, as PyTorch's CPU
 * kernel does for contiguous tensors. The backward passes scatter {@code gradOut / divisor} onto
 * every pixel of each window, windows in output order, so overlapping windows add up in the same
 * order every time.
 *
 * <p>No vector twin: the window sums of one output row are short and start at strided positions,
 * and the backward pass is a scatter; a vector form was not written (see the report of issue 5).
 */
final class ScalarAvgPooling {

  private ScalarAvgPooling() {}

  static void avgPool2d(PoolGeometry g, boolean countIncludePad, int divisorOverride,
      float[] image, int imageOff, float[] out, int outOff) {
    int outH = g.outputHeight();
    int outW = g.outputWidth();
    int width = g.width();
    for (int c = 0; c < g.channels(); c++) {
      int plane = imageOff + c * g.height() * width;
      for (int oh = 0; oh < outH; oh++) {
        int startH = oh * g.strideH() - g.padH();
        int paddedEndH = paddedEnd(startH, g.kernelH(), g.height(), g.padH());
        int firstH = Math.max(startH, 0);
        int endH = Math.min(paddedEndH, g.height());
        for (int ow = 0; ow < outW; ow++) {
          int startW = ow * g.strideW() - g.padW();
          int paddedEndW = paddedEnd(startW, g.kernelW(), width, g.padW());
          int firstW = Math.max(startW, 0);
          int endW = Math.min(paddedEndW, width);
          float divisor = divisor(divisorOverride, countIncludePad,
              (paddedEndH - startH) * (paddedEndW - startW), (endH - firstH) * (endW - firstW));
          float sum = windowSum(image, plane, width, firstH, endH, firstW, endW);
          out[outOff + (c * outH + oh) * outW + ow] = sum / divisor;
        }
      }
    }
  }

  static void avgPool2dBackward(PoolGeometry g, boolean countIncludePad, int divisorOverride,
      float[] gradOut, int gradOutOff, float[] gradImage, int gradImageOff) {
    Arrays.fill(gradImage, gradImageOff, gradImageOff + g.imageSize(), 0f);

    int outH = g.outputHeight();
    int outW = g.outputWidth();
    int width = g.width();
    for (int c = 0; c < g.channels(); c++) {
      int plane = gradImageOff + c * g.height() * width;
      for (int oh = 0; oh < outH; oh++) {
        int startH = oh * g.strideH() - g.padH();
        int paddedEndH = paddedEnd(startH, g.kernelH(), g.height(), g.padH());
        int firstH = Math.max(startH, 0);
        int endH = Math.min(paddedEndH, g.height());
        for (int ow = 0; ow < outW; ow++) {
          int startW = ow * g.strideW() - g.padW();
          int paddedEndW = paddedEnd(startW, g.kernelW(), width, g.padW());
          int firstW = Math.max(startW, 0);
          int endW = Math.min(paddedEndW, width);
          float divisor = divisor(divisorOverride, countIncludePad,
              (paddedEndH - startH) * (paddedEndW - startW), (endH - firstH) * (endW - firstW));
          float share = gradOut[gradOutOff + (c * outH + oh) * outW + ow] / divisor;
          spread(share, gradImage, plane, width, firstH, endH, firstW, endW);
        }
      }
    }
  }

  static void adaptiveAvgPool2d(AdaptivePoolGeometry g, float[] image, int imageOff, float[] out,
      int outOff) {
    int outH = g.outputHeight();
    int outW = g.outputWidth();
    int width = g.width();
    for (int c = 0; c < g.channels(); c++) {
      int plane = imageOff + c * g.height() * width;
      for (int oh = 0; oh < outH; oh++) {
        int firstH = AdaptivePoolGeometry.windowStart(oh, g.height(), outH);
        int endH = AdaptivePoolGeometry.windowEnd(oh, g.height(), outH);
        for (int ow = 0; ow < outW; ow++) {
          int firstW = AdaptivePoolGeometry.windowStart(ow, width, outW);
          int endW = AdaptivePoolGeometry.windowEnd(ow, width, outW);
          float sum = windowSum(image, plane, width, firstH, endH, firstW, endW);
          out[outOff + (c * outH + oh) * outW + ow] = sum / ((endH - firstH) * (endW - firstW));
        }
      }
    }
  }

  static void adaptiveAvgPool2dBackward(AdaptivePoolGeometry g, float[] gradOut, int gradOutOff,
      float[] gradImage, int gradImageOff) {
    Arrays.fill(gradImage, gradImageOff, gradImageOff + g.imageSize(), 0f);

    int outH = g.outputHeight();
    int outW = g.outputWidth();
    int width = g.width();
    for (int c = 0; c < g.channels(); c++) {
      int plane = gradImageOff + c * g.height() * width;
      for (int oh = 0; oh < outH; oh++) {
        int firstH = AdaptivePoolGeometry.windowStart(oh, g.height(), outH);
        int endH = AdaptivePoolGeometry.windowEnd(oh, g.height(), outH);
        for (int ow = 0; ow < outW; ow++) {
          int firstW = AdaptivePoolGeometry.windowStart(ow, width, outW);
          int endW = AdaptivePoolGeometry.windowEnd(ow, width, outW);
          float share = gradOut[gradOutOff + (c * outH + oh) * outW + ow]
              / ((endH - firstH) * (endW - firstW));
          spread(share, gradImage, plane, width, firstH, endH, firstW, endW);
        }
      }
    }
  }

  private static float windowSum(float[] image, int plane, int width, int firstH, int endH,
      int firstW, int endW) {
    float sum = 0f;
    for (int ih = firstH; ih < endH; ih++) {
      for (int iw = firstW; iw < endW; iw++) {
        sum += image[plane + ih * width + iw];
      }
    }
    return sum;
  }

  private static void spread(float share, float[] gradImage, int plane, int width, int firstH,
      int endH, int firstW, int endW) {
    for (int ih = firstH; ih < endH; ih++) {
      for (int iw = firstW; iw < endW; iw++) {
        gradImage[plane + ih * width + iw] += share;
      }
    }
  }

  /**
   * The window's end clipped to the padded image {@code [−pad, size + pad)}: ceil mode can run a
   * last window past it.
   */
  private static int paddedEnd(int start, int kernel, int size, int pad) {
    return Math.min(start + kernel, size + pad);
  }

  /**
   * PyTorch's divisor: the override when given (> 0); else, with {@code countIncludePad}, the
   * window's area clipped to the padded image; else the number of pixels inside the image.
   */
  private static float divisor(int divisorOverride, boolean countIncludePad, int paddedArea,
      int insideArea) {
    if (divisorOverride > 0) {
      return divisorOverride;
    }
    return countIncludePad ? paddedArea : insideArea;
  }
}
