package dev.nonlinear.kernel;

import jdk.incubator.vector.FloatVector;

/**
 * The preferred vector width of this CPU. Kept apart from {@link Backend} so that Backend loads
 * without the Vector API; this class is only touched once the module is known to be readable.
 */
final class VectorWidth {

  private VectorWidth() {}

  static int preferredBitSize() {
    return FloatVector.SPECIES_PREFERRED.vectorBitSize();
  }
}
