package dev.nonlinear.kernel;

import static dev.nonlinear.kernel.VectorSupport.FLOAT_SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * im2col and col2im on the Vector API, twins of {@link ScalarConvolution}. No argument checks:
 * the {@link Convolution} facade has made them.
 *
 * <p>With horizontal stride 1 the inside part of every output row of im2col is a contiguous run
 * of an input row, so im2col becomes copies between zero fills and col2im vector adds. The copy
 * is {@link System#arraycopy}: measured against a FloatVector copy loop on this machine (AVX2,
 * ConvPoolBenchmark.im2col, a loaded machine so ±20 %), it was as fast or faster on both shapes
 * (1×28×28: 2.6 vs 3.2 µs; 64×56×56: 440 vs 500–530 µs).
 * With a larger horizontal stride the run is strided; those geometries run the scalar twin (a
 * gather or shuffle form was not tried: strided convolutions are the rare downsampling layers).
 */
final class VectorConvolution {

  private static final VectorSpecies<Float> SPECIES = FLOAT_SPECIES;

  private VectorConvolution() {}

  static void im2col(ConvGeometry g, float[] image, int imageOff, float[] col, int colOff) {
    if (g.strideW() != 1) {
      ScalarConvolution.im2col(g, image, imageOff, col, colOff);
      return;
    }

    int outH = g.outputHeight();
    int outW = g.outputWidth();
    for (int c = 0; c < g.channels(); c++) {
      for (int i = 0; i < g.kernelH(); i++) {
        for (int j = 0; j < g.kernelW(); j++) {
          int row = (c * g.kernelH() + i) * g.kernelW() + j;
          int shiftW = j * g.dilationW() - g.padW();
          int firstInside = ScalarConvolution.firstInside(shiftW, 1);
          int endInside = ScalarConvolution.endInside(shiftW, 1, g.width(), outW);
          for (int oh = 0; oh < outH; oh++) {
            int ih = oh * g.strideH() - g.padH() + i * g.dilationH();
            int dst = colOff + row * outH * outW + oh * outW;
            if (ih < 0 || ih >= g.height() || firstInside >= endInside) {
              Arrays.fill(col, dst, dst + outW, 0f);
              continue;
            }

            int src = imageOff + (c * g.height() + ih) * g.width() + shiftW;
            Arrays.fill(col, dst, dst + firstInside, 0f);
            System.arraycopy(image, src + firstInside, col, dst + firstInside,
                endInside - firstInside);
            Arrays.fill(col, dst + endInside, dst + outW, 0f);
          }
        }
      }
    }
  }

  static void col2im(ConvGeometry g, float[] col, int colOff, float[] image, int imageOff) {
    if (g.strideW() != 1) {
      ScalarConvolution.col2im(g, col, colOff, image, imageOff);
      return;
    }

    Arrays.fill(image, imageOff, imageOff + g.imageSize(), 0f);
    int outH = g.outputHeight();
    int outW = g.outputWidth();
    for (int c = 0; c < g.channels(); c++) {
      for (int i = 0; i < g.kernelH(); i++) {
        for (int j = 0; j < g.kernelW(); j++) {
          int row = (c * g.kernelH() + i) * g.kernelW() + j;
          int shiftW = j * g.dilationW() - g.padW();
          int firstInside = ScalarConvolution.firstInside(shiftW, 1);
          int endInside = ScalarConvolution.endInside(shiftW, 1, g.width(), outW);
          for (int oh = 0; oh < outH; oh++) {
            int ih = oh * g.strideH() - g.padH() + i * g.dilationH();
            if (ih < 0 || ih >= g.height()) {
              continue;
            }

            int src = colOff + row * outH * outW + oh * outW;
            int dst = imageOff + (c * g.height() + ih) * g.width() + shiftW;
            addInto(col, src + firstInside, image, dst + firstInside, endInside - firstInside);
          }
        }
      }
    }
  }

  /** {@code to[toOff + k] += from[fromOff + k]} for k in [0, n). */
  private static void addInto(float[] from, int fromOff, float[] to, int toOff, int n) {
    int k = 0;
    for (int bound = SPECIES.loopBound(n); k < bound; k += SPECIES.length()) {
      FloatVector vTo = FloatVector.fromArray(SPECIES, to, toOff + k);
      vTo.add(FloatVector.fromArray(SPECIES, from, fromOff + k)).intoArray(to, toOff + k);
    }
    for (; k < n; k++) {
      to[toOff + k] += from[fromOff + k];
    }
  }
}
