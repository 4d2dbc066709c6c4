package dev.nonlinear.kernel;

/**
 * Plain-Java activation kernels: the scalar backend, and the tail of every vector loop, so the
 * two agree on NaN, signed zeros and infinities by construction. No argument checks: the
 * {@link Activations} facade has made them.
 */
final class ScalarActivations {

  private ScalarActivations() {}

  static void relu(float[] x, int xOff, float[] y, int yOff, int n) {
    for (int i = 0; i < n; i++) {
      float v = x[xOff + i];
      y[yOff + i] = v < 0f ? 0f : v;
    }
  }

  static void reluBackward(float[] x, int xOff, float[] gradY, int gyOff,
      float[] gradX, int gxOff, int n) {
    for (int i = 0; i < n; i++) {
      gradX[gxOff + i] = x[xOff + i] <= 0f ? 0f : gradY[gyOff + i];
    }
  }
}
