package dev.nonlinear.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Average and adaptive average pooling kernels: worked examples with exact answers, the
 * adjoint identity between forward and backward, and argument checks. PyTorch's values are
 * compared in {@code dev.nonlinear.nn.PyTorchPoolFixtureTest}.
 */
class AvgPoolingProperties {

  @Test
  void ceilModeWindowIsClippedToThePaddedImageForTheDivisor() {
    // H = 1, W = 4, kernel (1, 3), stride (1, 2), padding (0, 1), ceil mode: output columns
    // start at -1, 1, 3; the last window covers 3, 4 (padding), 5 (past it), so divides by 2.
    PoolGeometry g = new PoolGeometry(1, 1, 4, 1, 3, 1, 2, 0, 1, 1, 1, true);
    float[] image = {1, 2, 4, 8};
    float[] out = new float[g.outputSize()];

    Pooling.avgPool2d(g, true, 0, image, 0, out, 0);
    assertArrayEquals(new float[] {3 / 3f, 14 / 3f, 8 / 2f}, out);
    Pooling.avgPool2d(g, false, 0, image, 0, out, 0);
    assertArrayEquals(new float[] {3 / 2f, 14 / 3f, 8 / 1f}, out);
    Pooling.avgPool2d(g, false, 4, image, 0, out, 0);
    assertArrayEquals(new float[] {3 / 4f, 14 / 4f, 8 / 4f}, out);
  }

  @Test
  void adaptiveWindowsFollowFloorAndCeil() {
    // W = 5 to 3 columns: [0, 2), [1, 4), [3, 5); H = 1 to 2 rows repeats the row.
    AdaptivePoolGeometry g = new AdaptivePoolGeometry(1, 1, 5, 2, 3);
    float[] out = new float[g.outputSize()];
    Pooling.adaptiveAvgPool2d(g, new float[] {1, 2, 4, 8, 16}, 0, out, 0);
    assertArrayEquals(new float[] {1.5f, 14 / 3f, 12, 1.5f, 14 / 3f, 12}, out);
  }

  /**
   * Backward is the adjoint of forward: {@code <avg(x), g> = <x, avgBackward(g)>} in double
   * precision up to float rounding, on random geometries; a wrong window or divisor in either
   * breaks it by several percent. Tolerance: every y and gx entry is a float sum of at most 16
   * window terms (or shares) and one division, so within 17·ε of its exact value relative to its
   * terms' magnitudes; 64·16·ε·(Σ|y||gy| + Σ|x||gx|) bounds both sides' rounding with room.
   */
  @Test
  void backwardIsTheAdjointOfForward() {
    qt().withFixedSeed(0xA1L).withExamples(300).forAll(longs().all()).checkAssert(seed -> {
      Random random = new Random(seed);
      int kh = 1 + random.nextInt(4);
      int kw = 1 + random.nextInt(4);
      int height = kh + random.nextInt(8);
      int width = kw + random.nextInt(8);
      PoolGeometry g = new PoolGeometry(1 + random.nextInt(3), height, width, kh, kw,
          1 + random.nextInt(3), 1 + random.nextInt(3), random.nextInt(kh / 2 + 1),
          random.nextInt(kw / 2 + 1), 1, 1, random.nextBoolean());
      boolean includePad = random.nextBoolean();
      int override = random.nextBoolean() ? 0 : 1 + random.nextInt(9);
      float[] x = values(random, g.imageSize());
      float[] gy = values(random, g.outputSize());
      float[] y = new float[g.outputSize()];
      float[] gx = new float[g.imageSize()];
      Pooling.avgPool2d(g, includePad, override, x, 0, y, 0);
      Pooling.avgPool2dBackward(g, includePad, override, gy, 0, gx, 0);
      assertAdjoint(x, gx, y, gy, "seed " + seed);

      AdaptivePoolGeometry a = new AdaptivePoolGeometry(g.channels(), height, width,
          1 + random.nextInt(9), 1 + random.nextInt(9));
      float[] ay = new float[a.outputSize()];
      float[] agy = values(random, a.outputSize());
      Pooling.adaptiveAvgPool2d(a, x, 0, ay, 0);
      Pooling.adaptiveAvgPool2dBackward(a, agy, 0, gx, 0);
      assertAdjoint(x, gx, ay, agy, "adaptive, seed " + seed);
    });
  }

  private static void assertAdjoint(float[] x, float[] gx, float[] y, float[] gy, String what) {
    double left = 0;
    double scale = 0;
    for (int i = 0; i < y.length; i++) {
      left += (double) y[i] * gy[i];
      scale += Math.abs((double) y[i] * gy[i]);
    }
    double right = 0;
    for (int i = 0; i < x.length; i++) {
      right += (double) x[i] * gx[i];
      scale += Math.abs((double) x[i] * gx[i]);
    }
    assertEquals(left, right, 64 * 0x1p-24 * 16 * scale, what);
  }

  @Test
  void refusesDilationNegativeOverrideAndShortArraysWithoutWriting() {
    PoolGeometry dilated = new PoolGeometry(1, 4, 4, 2, 2, 1, 1, 0, 0, 2, 1, false);
    PoolGeometry plain = new PoolGeometry(1, 4, 4, 2, 2, 2, 2, 0, 0, 1, 1, false);
    float[] image = new float[16];
    float[] out = {7, 7, 7, 7};

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Pooling.avgPool2d(dilated, true, 0, image, 0, new float[9], 0));
    assertEquals("dilation = (2, 1): average pooling expects (1, 1)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Pooling.avgPool2d(plain, true, -1, image, 0, out, 0));
    assertEquals("divisorOverride = -1: expected >= 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Pooling.avgPool2d(plain, true, 0, image, 0, out, 1));
    assertEquals("out: offset 1 + extent 4 does not fit an array of length 4", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Pooling.avgPool2dBackward(plain, true, 0, new float[3], 0, out, 0));
    assertEquals("gradOut: offset 0 + extent 4 does not fit an array of length 3",
        e.getMessage());
    AdaptivePoolGeometry a = new AdaptivePoolGeometry(1, 4, 4, 2, 2);
    e = assertThrows(IllegalArgumentException.class,
        () -> Pooling.adaptiveAvgPool2d(a, new float[15], 0, out, 0));
    assertEquals("image: offset 0 + extent 16 does not fit an array of length 15",
        e.getMessage());
    assertThrows(NullPointerException.class,
        () -> Pooling.adaptiveAvgPool2dBackward(a, null, 0, image, 0));
    assertArrayEquals(new float[] {7, 7, 7, 7}, out);
    e = assertThrows(IllegalArgumentException.class, () -> new AdaptivePoolGeometry(1, 4, 4, 0,
        2));
    assertEquals("outputHeight = 0: expected >= 1", e.getMessage());
  }

  private static float[] values(Random random, int size) {
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = (float) (4 * random.nextDouble() - 2);
    }
    return values;
  }
}
