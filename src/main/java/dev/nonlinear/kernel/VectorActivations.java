package dev.nonlinear.kernel;

import static dev.nonlinear.kernel.VectorSupport.FLOAT_LANES;
import static dev.nonlinear.kernel.VectorSupport.FLOAT_SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector API activation kernels. Each runs its vector body to {@code loopBound(n)} and hands the
 * remaining elements to the {@link ScalarActivations} twin. Comparisons are written so that a NaN
 * lane takes the same branch as in the scalar code (every ordered comparison with NaN is false).
 */
final class VectorActivations {

  private VectorActivations() {}

  static void relu(float[] x, int xOff, float[] y, int yOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = FloatVector.fromArray(FLOAT_SPECIES, x, xOff + i);
      VectorMask<Float> negative = vx.lt(0f);
      vx.blend(0f, negative).intoArray(y, yOff + i);
    }
    ScalarActivations.relu(x, xOff + i, y, yOff + i, n - i);
  }

  static void reluBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n) {
    int bound = FLOAT_SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += FLOAT_LANES) {
      FloatVector vx = FloatVector.fromArray(FLOAT_SPECIES, x, xOff + i);
      FloatVector vgy = FloatVector.fromArray(FLOAT_SPECIES, gradY, gyOff + i);
      VectorMask<Float> notPositive = vx.compare(VectorOperators.LE, 0f);
      vgy.blend(0f, notPositive).intoArray(gradX, gxOff + i);
    }
    ScalarActivations.reluBackward(x, xOff + i, gradY, gyOff + i, gradX, gxOff + i, n - i);
  }
}
