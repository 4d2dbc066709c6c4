package dev.nonlinear.nn;

import java.util.random.RandomGenerator;

/**
 * The inverted-dropout mask Dropout and the recurrent layers share: each element is dropped
 * (0) with probability p and otherwise kept and scaled by 1/(1 − p), so the expected output
 * equals the input and evaluation needs no rescaling.
 */
final class DropoutMask {

  private DropoutMask() {}

  /** Requires p in [0, 1], as PyTorch does; returns it. */
  static float probability(String name, float p) {
    if (!(p >= 0f && p <= 1f)) {
      throw new IllegalArgumentException(name + " = " + p + ": expected a probability in [0, 1]");
    }
    return p;
  }

  /**
   * The generator a dropout draws its masks from when built from {@code source}: its own,
   * seeded once from {@code source}, so that later draws do not shift with other layers'.
   */
  static RandomGenerator generator(RandomGenerator source) {
    return new java.util.SplittableRandom(source.nextLong());
  }

  /**
   * Fills {@code mask[0, n)} with 0 (probability p) or 1/(1 − p). With p = 1 every element is
   * dropped and nothing is drawn, as the scale would be infinite.
   */
  static void fill(RandomGenerator random, float p, float[] mask, int n) {
    if (p >= 1f) {
      java.util.Arrays.fill(mask, 0, n, 0f);
      return;
    }
    float scale = (float) (1 / (1 - (double) p));
    for (int i = 0; i < n; i++) {
      mask[i] = random.nextDouble() < p ? 0f : scale;
    }
  }

  /** {@code y = x ⊙ mask} over n elements; a dropped NaN or infinity gives NaN, as x·0 does. */
  static void apply(float[] x, int xOff, float[] mask, float[] y, int yOff, int n) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = x[xOff + i] * mask[i];
    }
  }
}
