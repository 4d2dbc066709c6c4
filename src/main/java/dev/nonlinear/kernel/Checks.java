package dev.nonlinear.kernel;

import java.util.Objects;

/**
 * Argument checks shared by the kernel facades. Each names the argument, its value and what was
 * expected, and runs before a kernel writes anything.
 */
public final class Checks {

  private Checks() {}

  /** Requires {@code value >= 0}. */
  public static int nonNegative(String name, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " = " + value + ": expected >= 0");
    }
    return value;
  }

  /** Requires {@code value >= 1}. */
  public static int positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " = " + value + ": expected >= 1");
    }
    return value;
  }

  /** {@code a * b} or an exception naming both when it passes {@link Integer#MAX_VALUE}. */
  public static int product(String what, int a, int b) {
    long product = (long) a * b;
    if (product > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(what + " = " + a + " * " + b + " = " + product
          + ": exceeds the largest Java array (" + Integer.MAX_VALUE + ")");
    }
    return (int) product;
  }

  /**
   * Requires {@code array} non-null and long enough for {@code extent} elements from
   * {@code offset}. An extent of 0 needs only a valid offset.
   */
  public static void range(String name, float[] array, int offset, long extent) {
    Objects.requireNonNull(array, name);
    checkRange(name, array.length, offset, extent);
  }

  /** As {@link #range(String, float[], int, long)} for int arrays. */
  public static void range(String name, int[] array, int offset, long extent) {
    Objects.requireNonNull(array, name);
    checkRange(name, array.length, offset, extent);
  }

  private static void checkRange(String name, int length, int offset, long extent) {
    if (offset < 0 || offset > length || extent > length - offset) {
      throw new IllegalArgumentException(name + ": offset " + offset + " + extent " + extent
          + " does not fit an array of length " + length);
    }
  }
}
