package dev.nonlinear.kernel;

import java.util.Arrays;

/**
 * Max pooling in plain Java, the twin of {@link VectorPooling}, which also calls
 * {@link #maxPoolRow} for the columns it does not cover. No argument checks: the
 * {@link Pooling} facade has made them.
 */
final class ScalarPooling {

  private ScalarPooling() {}

  static void maxPool2d(PoolGeometry g, float[] image, int imageOff, float[] out, int outOff,
      int[] argmax, int argmaxOff) {
    int outH = g.outputHeight();
    int outW = g.outputWidth();
    for (int c = 0; c < g.channels(); c++) {
      for (int oh = 0; oh < outH; oh++) {
        int row = (c * outH + oh) * outW;
        maxPoolRow(g, image, imageOff, c, oh, out, outOff + row, argmax, argmaxOff + row, 0,
            outW);
      }
    }
  }

  /**
   * Output row {@code oh} of channel {@code c}, columns [owFrom, owTo); the row starts at
   * {@code outRow} in {@code out} and {@code argmaxRow} in {@code argmax}.
   */
  static void maxPoolRow(PoolGeometry g, float[] image, int imageOff, int c, int oh,
      float[] out, int outRow, int[] argmax, int argmaxRow, int owFrom, int owTo) {
    int width = g.width();
    int plane = imageOff + c * g.height() * width;
    int startH = oh * g.strideH() - g.padH();
    int firstH = WindowTaps.first(startH, g.dilationH());
    int endH = WindowTaps.end(startH, g.kernelH(), g.dilationH(), g.height());
    for (int ow = owFrom; ow < owTo; ow++) {
      int startW = ow * g.strideW() - g.padW();
      int firstW = WindowTaps.first(startW, g.dilationW());
      int endW = WindowTaps.end(startW, g.kernelW(), g.dilationW(), width);
      windowMax(image, plane, width, firstH, endH, g.dilationH(), firstW, endW, g.dilationW(),
          out, outRow + ow, argmax, argmaxRow + ow);
    }
  }

  /**
   * One window. A pixel replaces the running maximum when it is larger or NaN: so ties keep the
   * first, a NaN sticks (nothing is larger than NaN) while a later NaN takes over the index, and
   * a window of −inf keeps its first pixel's index. This is PyTorch's CPU rule.
   */
  private static void windowMax(float[] image, int plane, int width, int firstH, int endH,
      int dilationH, int firstW, int endW, int dilationW, float[] out, int outAt, int[] argmax,
      int argmaxAt) {
    float max = Float.NEGATIVE_INFINITY;
    int maxIndex = firstH * width + firstW;
    for (int ih = firstH; ih < endH; ih += dilationH) {
      for (int iw = firstW; iw < endW; iw += dilationW) {
        int index = ih * width + iw;
        float value = image[plane + index];
        if (value > max || Float.isNaN(value)) {
          max = value;
          maxIndex = index;
        }
      }
    }
    out[outAt] = max;
    argmax[argmaxAt] = maxIndex;
  }

  static void maxPool2dBackward(PoolGeometry g, float[] gradOut, int gradOutOff, int[] argmax,
      int argmaxOff, float[] gradImage, int gradImageOff) {
    Arrays.fill(gradImage, gradImageOff, gradImageOff + g.imageSize(), 0f);

    int plane = g.height() * g.width();
    int outPlane = g.outputHeight() * g.outputWidth();
    for (int c = 0; c < g.channels(); c++) {
      int planeOff = gradImageOff + c * plane;
      int outOff = c * outPlane;
      for (int k = 0; k < outPlane; k++) {
        gradImage[planeOff + argmax[argmaxOff + outOff + k]] += gradOut[gradOutOff + outOff + k];
      }
    }
  }
}
