package dev.nonlinear.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one float species every vector kernel uses, at the width {@link Backend} chose. Only vector
 * implementations touch this class, and only when {@link Backend#isVector()} is true, so the
 * library still loads where the Vector API module is absent.
 */
final class VectorSupport {

  static final VectorSpecies<Float> FLOAT_SPECIES =
      FloatVector.SPECIES_PREFERRED.vectorBitSize() == Backend.current().vectorBitSize()
          ? FloatVector.SPECIES_PREFERRED
          : VectorSpecies.of(float.class,
              VectorShape.forBitSize(Backend.current().vectorBitSize()));

  /** Floats per vector. */
  static final int FLOAT_LANES = FLOAT_SPECIES.length();

  private VectorSupport() {}

  /**
   * The lanes of {@code v} added one after the other, lane 0 first. Unlike
   * {@code reduceLanes(ADD)}, whose order differs between interpreted and compiled code, this
   * gives the same float whenever it runs, so results do not depend on JIT timing.
   */
  static float sumLanesInOrder(FloatVector v) {
    float sum = 0f;
    for (int lane = 0; lane < FLOAT_LANES; lane++) {
      sum += v.lane(lane);
    }
    return sum;
  }
}
