package dev.nonlinear.kernel;

import static dev.nonlinear.kernel.VectorSupport.FLOAT_SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * col2im on the Vector API, the twin of {@link ScalarConvolution#col2im}. No argument checks: the
 * {@link Convolution} facade has made them. (im2col has no vector form: see
 * {@link ScalarConvolution}.)
 *
 * <p>With horizontal stride 1 each kernel tap adds a contiguous run of a col row into an image
 * row, in vector adds. With a larger horizontal stride the run is strided; those geometries run
 * the scalar twin (a gather or shuffle form was not tried: strided convolutions are the rare
 * downsampling layers).
 */
final class VectorConvolution {

  private static final VectorSpecies<Float> SPECIES = FLOAT_SPECIES;

  private VectorConvolution() {}

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
