package dev.nonlinear.kernel;

/**
 * The taps of a dilated window along one axis, {@code start + t·dilation}, restricted to the
 * image {@code [0, size)}: shared by the pooling geometry and kernels.
 */
final class WindowTaps {

  private WindowTaps() {}

  /** The first tap at or past 0 (it may lie past the image). */
  static int first(int start, int dilation) {
    return start >= 0 ? start : start + Math.ceilDiv(-start, dilation) * dilation;
  }

  /** One past the last position the window can reach inside the image: a bound for the taps. */
  static int end(int start, int kernel, int dilation, int size) {
    return Math.min(start + (kernel - 1) * dilation + 1, size);
  }
}
