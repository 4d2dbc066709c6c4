package dev.nonlinear.kernel;

import static dev.nonlinear.kernel.VectorSupport.FLOAT_SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max pooling on the Vector API, the twin of {@link ScalarPooling}: one lane per output column,
 * a compare-and-blend per window tap for the maximum and its index. No argument checks: the
 * {@link Pooling} facade has made them.
 *
 * <p>Why it pays: the scalar loop's "larger or NaN replaces" test is a data-dependent branch
 * that random activations mispredict often; here it is a mask. 2x2 windows at stride 2 (the
 * common case) load the floats under a row of windows once and deinterleave them, and the last
 * columns of a row run as one more, overlapping vector instead of the scalar tail: together
 * these took the best of 300 calls of 2x2 pooling on 8x64x56x56 from 2.2 ms to 0.8 ms here
 * (jmh/RESULTS.md has the JMH numbers beside PyTorch). PyTorch's rules hold lane by
 * lane (ties keep the first tap, NaN sticks and a later NaN takes the index, −inf keeps the first
 * tap's index). The lanes cover output columns whose windows lie inside the image horizontally
 * and, for horizontal stride 1 or 2, whose taps can be loaded as one vector (stride 2:
 * two loads and a deinterleaving shuffle). Edge columns, other strides and the row tails run the
 * scalar twin.
 */
final class VectorPooling {

  private static final VectorSpecies<Float> SPECIES = FLOAT_SPECIES;
  private static final VectorSpecies<Integer> INT_SPECIES =
      VectorSpecies.of(int.class, SPECIES.vectorShape());
  /** Lanes 0, 2, 4, ... of two vectors side by side: every other float. */
  private static final VectorShuffle<Float> EVENS = VectorShuffle.fromOp(SPECIES, i -> 2 * i);
  /** Lanes 1, 3, 5, ... of two vectors side by side. */
  private static final VectorShuffle<Float> ODDS = VectorShuffle.fromOp(SPECIES, i -> 2 * i + 1);

  private VectorPooling() {}

  static void maxPool2d(PoolGeometry g, float[] image, int imageOff, float[] out, int outOff,
      int[] argmax, int argmaxOff) {
    int strideW = g.strideW();
    if (strideW > 2) {
      ScalarPooling.maxPool2d(g, image, imageOff, out, outOff, argmax, argmaxOff);
      return;
    }

    int outH = g.outputHeight();
    int outW = g.outputWidth();
    int lanes = SPECIES.length();
    int vectorFrom = Math.min(outW, Math.ceilDiv(g.padW(), strideW));
    boolean pairs = g.kernelW() == 2 && strideW == 2 && g.dilationW() == 1;
    int vectorTo = Math.max(vectorFrom, (pairs ? lastInsideColumn(g) : lastLoadableColumn(g)) + 1);
    IntVector laneColumns = IntVector.zero(INT_SPECIES).addIndex(strideW);
    for (int c = 0; c < g.channels(); c++) {
      for (int oh = 0; oh < outH; oh++) {
        int outRow = outOff + (c * outH + oh) * outW;
        int argmaxRow = argmaxOff + (c * outH + oh) * outW;
        ScalarPooling.maxPoolRow(g, image, imageOff, c, oh, out, outRow, argmax, argmaxRow, 0,
            vectorFrom);
        int ow = vectorFrom;
        for (; ow + lanes <= vectorTo; ow += lanes) {
          windows(g, pairs, image, imageOff, c, oh, ow, laneColumns, out, outRow + ow, argmax,
              argmaxRow + ow);
        }
        // The last columns as one more vector overlapping the previous one rather than one by
        // one: recomputed columns get the same bits, and 28 = 3 x 8 + 4 columns (the mission's
        // pooled 56-wide maps) spent about half their time in the scalar tail.
        if (ow < vectorTo && vectorTo - lanes >= vectorFrom) {
          int last = vectorTo - lanes;
          windows(g, pairs, image, imageOff, c, oh, last, laneColumns, out, outRow + last,
              argmax, argmaxRow + last);
          ow = vectorTo;
        }
        ScalarPooling.maxPoolRow(g, image, imageOff, c, oh, out, outRow, argmax, argmaxRow, ow,
            outW);
      }
    }
  }

  /**
   * The last output column whose every tap is inside the row and, with stride 2, whose vector
   * load of {@code 2·lanes} floats from its last tap ends inside the row too (the odd lanes are
   * read and dropped); −1 when there is none.
   */
  private static int lastLoadableColumn(PoolGeometry g) {
    int lastTap = (g.kernelW() - 1) * g.dilationW();
    int lastReadable = g.width() - 1 - (g.strideW() - 1);
    int last = Math.floorDiv(lastReadable + g.padW() - lastTap, g.strideW());
    return Math.min(last, g.outputWidth() - 1);
  }

  /** The last output column whose every tap is inside the row; -1 when there is none. */
  private static int lastInsideColumn(PoolGeometry g) {
    int lastTap = (g.kernelW() - 1) * g.dilationW();
    int last = Math.floorDiv(g.width() - 1 + g.padW() - lastTap, g.strideW());
    return Math.min(last, g.outputWidth() - 1);
  }

  private static void windows(PoolGeometry g, boolean pairs, float[] image, int imageOff, int c,
      int oh, int ow, IntVector laneColumns, float[] out, int outAt, int[] argmax,
      int argmaxAt) {
    if (pairs) {
      pairWindows(g, image, imageOff, c, oh, ow, laneColumns, out, outAt, argmax, argmaxAt);
    } else {
      vectorWindows(g, image, imageOff, c, oh, ow, laneColumns, out, outAt, argmax, argmaxAt);
    }
  }

  /**
   * As {@link #vectorWindows} for windows two columns wide at stride 2, undilated (2x2 pooling):
   * the 2 lanes floats under a row of the lanes windows are loaded once, and both taps come out
   * of them by one deinterleaving shuffle each, without reading past the last window.
   */
  private static void pairWindows(PoolGeometry g, float[] image, int imageOff, int c, int oh,
      int ow, IntVector laneColumns, float[] out, int outAt, int[] argmax, int argmaxAt) {
    int width = g.width();
    int lanes = SPECIES.length();
    int plane = imageOff + c * g.height() * width;
    int startH = oh * g.strideH() - g.padH();
    int firstH = WindowTaps.first(startH, g.dilationH());
    int endH = WindowTaps.end(startH, g.kernelH(), g.dilationH(), g.height());
    int startW = ow * 2 - g.padW();

    FloatVector vMax = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
    IntVector vIndex = laneColumns.add(firstH * width + startW);
    for (int ih = firstH; ih < endH; ih += g.dilationH()) {
      int index = ih * width + startW;
      FloatVector low = FloatVector.fromArray(SPECIES, image, plane + index);
      FloatVector high = FloatVector.fromArray(SPECIES, image, plane + index + lanes);

      FloatVector left = low.rearrange(EVENS, high);
      VectorMask<Float> replaces = left.compare(VectorOperators.GT, vMax)
          .or(left.test(VectorOperators.IS_NAN));
      vMax = vMax.blend(left, replaces);
      vIndex = vIndex.blend(laneColumns.add(index), replaces.cast(INT_SPECIES));

      FloatVector right = low.rearrange(ODDS, high);
      replaces = right.compare(VectorOperators.GT, vMax).or(right.test(VectorOperators.IS_NAN));
      vMax = vMax.blend(right, replaces);
      vIndex = vIndex.blend(laneColumns.add(index + 1), replaces.cast(INT_SPECIES));
    }

    vMax.intoArray(out, outAt);
    vIndex.intoArray(argmax, argmaxAt);
  }

  /** Output columns [ow, ow + lanes) of row {@code oh}, channel {@code c}, stored at outAt. */
  private static void vectorWindows(PoolGeometry g, float[] image, int imageOff, int c, int oh,
      int ow, IntVector laneColumns, float[] out, int outAt, int[] argmax, int argmaxAt) {
    int width = g.width();
    int lanes = SPECIES.length();
    int plane = imageOff + c * g.height() * width;
    int startH = oh * g.strideH() - g.padH();
    int firstH = WindowTaps.first(startH, g.dilationH());
    int endH = WindowTaps.end(startH, g.kernelH(), g.dilationH(), g.height());
    int startW = ow * g.strideW() - g.padW();

    FloatVector vMax = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
    IntVector vIndex = laneColumns.add(firstH * width + startW);
    for (int ih = firstH; ih < endH; ih += g.dilationH()) {
      for (int kj = 0; kj < g.kernelW(); kj++) {
        int index = ih * width + startW + kj * g.dilationW();
        FloatVector v = FloatVector.fromArray(SPECIES, image, plane + index);
        if (g.strideW() == 2) {
          v = v.rearrange(EVENS, FloatVector.fromArray(SPECIES, image, plane + index + lanes));
        }
        VectorMask<Float> replaces = v.compare(VectorOperators.GT, vMax)
            .or(v.test(VectorOperators.IS_NAN));
        vMax = vMax.blend(v, replaces);
        vIndex = vIndex.blend(laneColumns.add(index), replaces.cast(INT_SPECIES));
      }
    }

    vMax.intoArray(out, outAt);
    vIndex.intoArray(argmax, argmaxAt);
  }
}
