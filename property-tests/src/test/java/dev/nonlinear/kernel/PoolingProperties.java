package dev.nonlinear.kernel;

import static dev.nonlinear.kernel.ConvolutionProperties.assertMessage;
import static dev.nonlinear.kernel.ConvolutionProperties.assumeVector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Max pooling against a direct reference written from PyTorch's rules, the geometry against
 * PyTorch's size formulas (accepting and refusing the same geometries), and fixtures taken
 * from PyTorch 1.13 ({@code torch.nn.functional.max_pool2d(..., return_indices=True)}).
 *
 * <p>Max pooling copies values, so every comparison is exact, indices included; inputs mix
 * small integers (ties), ±0, −inf and NaN. Examples draw their geometry from a seed that
 * QuickTheories generates with a fixed seed, so a failure prints the seed that reproduces it.
 */
class PoolingProperties {

  private static final int EXAMPLES = 400;
  private static final int PAD = 3;

  @Test
  void strideTwoCeilModeOnSixBySeven() {
    PoolGeometry g = new PoolGeometry(1, 6, 7, 1, 1, 2, 2, 0, 0, 1, 1, true);
    float[] image = new float[42];
    for (int k = 0; k < 42; k++) {
      image[k] = k;
    }
    float[] out = new float[g.outputSize()];
    int[] argmax = new int[g.outputSize()];

    Pooling.maxPool2d(g, image, 0, out, 0, argmax, 0);

    assertEquals(3, g.outputHeight());
    assertEquals(4, g.outputWidth());
    assertArrayEquals(new float[] {0, 2, 4, 6, 14, 16, 18, 20, 28, 30, 32, 34}, out);
    assertArrayEquals(new int[] {0, 2, 4, 6, 14, 16, 18, 20, 28, 30, 32, 34}, argmax);
  }

  @Test
  void ceilModeDropsTheWindowStartingInThePadding() {
    PoolGeometry g = new PoolGeometry(1, 1, 5, 1, 2, 1, 2, 0, 1, 1, 1, true);
    float[] out = new float[g.outputSize()];
    int[] argmax = new int[g.outputSize()];

    Pooling.maxPool2d(g, new float[] {1, 2, 3, 4, 5}, 0, out, 0, argmax, 0);

    assertArrayEquals(new float[] {1, 3, 5}, out);
    assertArrayEquals(new int[] {0, 2, 4}, argmax);
  }

  /** PyTorch 1.13: NaN wins with the index of the last NaN; −inf keeps the first pixel. */
  @Test
  void nanAndInfinityFollowPyTorch() {
    PoolGeometry g = new PoolGeometry(1, 2, 2, 2, 2, 2, 2, 0, 0, 1, 1, false);
    float nan = Float.NaN;
    float inf = Float.POSITIVE_INFINITY;

    assertWindow(g, new float[] {1, nan, 3, nan}, nan, 3);
    assertWindow(g, new float[] {nan, 5, nan, 1}, nan, 2);
    assertWindow(g, new float[] {-inf, -inf, -inf, -inf}, -inf, 0);
    assertWindow(g, new float[] {2, 5, 5, 1}, 5, 1);
    assertWindow(g, new float[] {-inf, inf, 3, inf}, inf, 1);
  }

  /** PyTorch keeps the first of equal maxima, so 0 then −0 gives 0 and −0 then 0 gives −0. */
  @Test
  void signedZerosKeepTheFirst() {
    PoolGeometry g = new PoolGeometry(1, 1, 2, 1, 2, 1, 2, 0, 0, 1, 1, false);
    assertWindow(g, new float[] {0f, -0f}, 0f, 0);
    assertWindow(g, new float[] {-0f, 0f}, -0f, 0);
  }

  private static void assertWindow(PoolGeometry g, float[] image, float max, int index) {
    float[] out = new float[1];
    int[] argmax = new int[1];
    Pooling.maxPool2d(g, image, 0, out, 0, argmax, 0);
    assertEquals(max, out[0], Arrays.toString(image));
    assertEquals(index, argmax[0], Arrays.toString(image));
  }

  /**
   * Cases run through PyTorch 1.13 by {@code maxpool2d-torch.py} (next to the fixture file):
   * geometries PyTorch refuses must be refused, the others must give PyTorch's values and
   * indices exactly, on each twin. The one allowed difference is the documented one: a geometry
   * with a window that covers no pixel, which PyTorch answers with −inf and an index of a pixel
   * the window does not cover (sometimes outside the plane), is refused here.
   */
  @Test
  void matchesPyTorchFixtures() throws IOException {
    List<String> cases;
    try (InputStream in = PoolingProperties.class.getResourceAsStream("maxpool2d-torch.txt")) {
      cases = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
    }
    int compared = 0;
    for (String line : cases) {
      String[] parts = line.split("\\|");
      int[] p = Arrays.stream(parts[0].trim().split(" ")).mapToInt(Integer::parseInt).toArray();
      boolean ceil = p[11] == 1;
      if (parts[2].equals("ERR")) {
        assertThrows(IllegalArgumentException.class, () -> geometry(p, ceil), line);
        continue;
      }
      String[] result = parts[2].split(" ");
      int outputs = p[0] * Integer.parseInt(result[1]) * Integer.parseInt(result[2]);
      float[] expectedOut = new float[outputs];
      int[] expectedArgmax = new int[outputs];
      for (int k = 0; k < outputs; k++) {
        expectedOut[k] = parseFloat(result[3 + k]);
        expectedArgmax[k] = Integer.parseInt(result[3 + outputs + k]);
      }
      if (!everyWindowCoversAPixel(p[1], p[3], p[5], p[7], p[9], Long.parseLong(result[1]))
          || !everyWindowCoversAPixel(p[2], p[4], p[6], p[8], p[10],
              Long.parseLong(result[2]))) {
        assertThrows(IllegalArgumentException.class, () -> geometry(p, ceil), line);
        boolean someNegativeInfinity = false;
        for (float v : expectedOut) {
          someNegativeInfinity |= v == Float.NEGATIVE_INFINITY;
        }
        assertTrue(someNegativeInfinity, line);
        continue;
      }

      PoolGeometry g = geometry(p, ceil);
      String[] values = parts[1].trim().split(" ");
      float[] image = new float[g.imageSize()];
      for (int k = 0; k < image.length; k++) {
        image[k] = parseFloat(values[k]);
      }
      for (MaxPool kernel : twins()) {
        float[] out = new float[g.outputSize()];
        int[] argmax = new int[g.outputSize()];
        kernel.run(g, image, 0, out, 0, argmax, 0);
        assertArrayEquals(expectedOut, out, line);
        assertArrayEquals(expectedArgmax, argmax, line);
      }
      compared++;
    }
    assertTrue(compared >= 100, "compared " + compared + " PyTorch cases");
  }

  private static List<MaxPool> twins() {
    return Backend.current().kind() == Backend.Kind.VECTOR
        ? List.of(ScalarPooling::maxPool2d, VectorPooling::maxPool2d, Pooling::maxPool2d)
        : List.of(ScalarPooling::maxPool2d, Pooling::maxPool2d);
  }

  private static float parseFloat(String text) {
    return switch (text) {
      case "nan" -> Float.NaN;
      case "inf" -> Float.POSITIVE_INFINITY;
      case "-inf" -> Float.NEGATIVE_INFINITY;
      default -> Float.parseFloat(text);
    };
  }

  @Test
  void geometryAcceptsExactlyWhatPyTorchRulesAllow() {
    qt().withFixedSeed(0x6E0L).withExamples(2000).forAll(longs().all()).checkAssert(seed -> {
      Random random = new Random(seed);
      int[] p = randomParameters(random);
      boolean ceil = random.nextBoolean();
      long outH = referenceOutputSize(p[1], p[3], p[5], p[7], p[9], ceil);
      long outW = referenceOutputSize(p[2], p[4], p[6], p[8], p[10], ceil);
      boolean valid = p[7] <= p[3] / 2 && p[8] <= p[4] / 2 && outH >= 1 && outW >= 1
          && everyWindowCoversAPixel(p[1], p[3], p[5], p[7], p[9], outH)
          && everyWindowCoversAPixel(p[2], p[4], p[6], p[8], p[10], outW);

      if (!valid) {
        assertThrows(IllegalArgumentException.class, () -> geometry(p, ceil));
        return;
      }
      PoolGeometry g = geometry(p, ceil);
      assertEquals(outH, g.outputHeight(), "seed " + seed);
      assertEquals(outW, g.outputWidth(), "seed " + seed);
      assertEquals(p[0] * outH * outW, g.outputSize(), "seed " + seed);
    });
  }

  interface MaxPool {
    void run(PoolGeometry g, float[] image, int imageOff, float[] out, int outOff, int[] argmax,
        int argmaxOff);
  }

  @Test
  void maxPoolScalarMatchesDirectReference() {
    maxPoolMatchesDirectReference(ScalarPooling::maxPool2d);
  }

  @Test
  void maxPoolVectorMatchesDirectReference() {
    assumeVector();
    maxPoolMatchesDirectReference(VectorPooling::maxPool2d);
  }

  @Test
  void maxPoolFacadeMatchesDirectReference() {
    maxPoolMatchesDirectReference(Pooling::maxPool2d);
  }

  private static void maxPoolMatchesDirectReference(MaxPool kernel) {
    qt().withFixedSeed(0x9001L).withExamples(EXAMPLES).forAll(longs().all()).checkAssert(seed -> {
      Random random = new Random(seed);
      PoolGeometry g = randomGeometry(random);
      float[] image = specialValues(random, PAD + g.imageSize());
      float[] out = new float[PAD + g.outputSize() + PAD];
      int[] argmax = new int[PAD + g.outputSize() + PAD];
      Arrays.fill(out, 99f);
      Arrays.fill(argmax, -7);

      kernel.run(g, image, PAD, out, PAD, argmax, PAD);

      float[] expectedOut = new float[out.length];
      int[] expectedArgmax = new int[argmax.length];
      Arrays.fill(expectedOut, 99f);
      Arrays.fill(expectedArgmax, -7);
      referenceMaxPool(g, image, PAD, expectedOut, expectedArgmax, PAD);
      assertArrayEquals(expectedOut, out, () -> "seed " + seed + ", " + g);
      assertArrayEquals(expectedArgmax, argmax, () -> "seed " + seed + ", " + g);
    });
  }

  @Test
  void backwardScattersGradientsAtTheArgmax() {
    qt().withFixedSeed(0xBAC0L).withExamples(EXAMPLES).forAll(longs().all()).checkAssert(seed -> {
      Random random = new Random(seed);
      PoolGeometry g = randomGeometry(random);
      float[] image = specialValues(random, g.imageSize());
      float[] out = new float[g.outputSize()];
      int[] argmax = new int[g.outputSize()];
      Pooling.maxPool2d(g, image, 0, out, 0, argmax, 0);
      float[] gradOut = ConvolutionProperties.randomArray(random, g.outputSize());
      float[] gradImage = new float[PAD + g.imageSize() + PAD];
      Arrays.fill(gradImage, Float.NaN);

      Pooling.maxPool2dBackward(g, gradOut, 0, argmax, 0, gradImage, PAD);

      float[] expected = new float[gradImage.length];
      Arrays.fill(expected, Float.NaN);
      Arrays.fill(expected, PAD, PAD + g.imageSize(), 0f);
      int plane = g.height() * g.width();
      int outPlane = g.outputHeight() * g.outputWidth();
      for (int k = 0; k < g.outputSize(); k++) {
        expected[PAD + (k / outPlane) * plane + argmax[k]] += gradOut[k];
      }
      assertArrayEquals(expected, gradImage, () -> "seed " + seed + ", " + g);
    });
  }

  @Test
  void geometryRejectsBadArgumentsByName() {
    assertMessage("padW = 2", () -> new PoolGeometry(1, 8, 8, 3, 3, 1, 1, 0, 2, 1, 1, false));
    assertMessage("kernelH = 0", () -> new PoolGeometry(1, 8, 8, 0, 3, 1, 1, 0, 0, 1, 1, false));
    assertMessage("strideW = 0", () -> new PoolGeometry(1, 8, 8, 2, 2, 1, 0, 0, 0, 1, 1, false));
    assertMessage("dilationH = 0",
        () -> new PoolGeometry(1, 8, 8, 2, 2, 1, 1, 0, 0, 0, 1, false));
    assertMessage("outputHeight = 0",
        () -> new PoolGeometry(1, 2, 8, 3, 3, 1, 1, 0, 0, 1, 1, false));
    assertMessage("covers no pixel",
        () -> new PoolGeometry(1, 2, 2, 2, 1, 1, 1, 1, 0, 3, 1, false));
  }

  @Test
  void badInputIsRejectedBeforeAnythingIsWritten() {
    PoolGeometry g = new PoolGeometry(2, 4, 5, 2, 2, 2, 2, 0, 0, 1, 1, true);
    float[] image = new float[g.imageSize()];
    float[] out = new float[g.outputSize()];
    int[] argmax = new int[g.outputSize()];
    Arrays.fill(out, 7f);
    Arrays.fill(argmax, 7);

    assertMessage("out", () -> Pooling.maxPool2d(g, image, 0, out, 1, argmax, 0));
    assertMessage("argmax", () -> Pooling.maxPool2d(g, image, 0, out, 0, new int[1], 0));
    assertMessage("image", () -> Pooling.maxPool2d(g, new float[3], 0, out, 0, argmax, 0));
    assertThrows(NullPointerException.class,
        () -> Pooling.maxPool2d(g, null, 0, out, 0, argmax, 0));
    for (float v : out) {
      assertEquals(7f, v);
    }

    float[] gradImage = new float[g.imageSize()];
    Arrays.fill(gradImage, 7f);
    int[] badIndex = new int[g.outputSize()];
    badIndex[g.outputSize() - 1] = 4 * 5;
    assertMessage("argmax[" + (g.outputSize() - 1) + "] = 20",
        () -> Pooling.maxPool2dBackward(g, out, 0, badIndex, 0, gradImage, 0));
    badIndex[g.outputSize() - 1] = -1;
    assertMessage("= -1", () -> Pooling.maxPool2dBackward(g, out, 0, badIndex, 0, gradImage, 0));
    for (float v : gradImage) {
      assertEquals(7f, v);
    }
  }

  /**
   * {channels, H, W, kH, kW, sH, sW, pH, pW, dH, dW}, some of them invalid together; widths up
   * to 45 so that stride-2 rows hold more than two vectors of 8 output columns.
   */
  private static int[] randomParameters(Random random) {
    return new int[] {1 + random.nextInt(3), 1 + random.nextInt(9), 1 + random.nextInt(45),
        1 + random.nextInt(4), 1 + random.nextInt(4), 1 + random.nextInt(3),
        1 + random.nextInt(3), random.nextInt(3), random.nextInt(3), 1 + random.nextInt(3),
        1 + random.nextInt(3)};
  }

  private static PoolGeometry geometry(int[] p, boolean ceil) {
    return new PoolGeometry(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10],
        ceil);
  }

  private static PoolGeometry randomGeometry(Random random) {
    while (true) {
      int[] p = randomParameters(random);
      boolean ceil = random.nextBoolean();
      long outH = referenceOutputSize(p[1], p[3], p[5], p[7], p[9], ceil);
      long outW = referenceOutputSize(p[2], p[4], p[6], p[8], p[10], ceil);
      if (p[7] <= p[3] / 2 && p[8] <= p[4] / 2 && outH >= 1 && outW >= 1
          && everyWindowCoversAPixel(p[1], p[3], p[5], p[7], p[9], outH)
          && everyWindowCoversAPixel(p[2], p[4], p[6], p[8], p[10], outW)) {
        return geometry(p, ceil);
      }
    }
  }

  /** PyTorch's pooling_output_shape, written from its documentation. */
  private static long referenceOutputSize(int in, int k, int s, int p, int d, boolean ceil) {
    double exact = (double) (in + 2 * p - d * (k - 1) - 1) / s + 1;
    long size = ceil ? (long) Math.ceil(exact) : (long) Math.floor(exact);
    if (ceil && (size - 1) * s >= in + p) {
      size--;
    }
    return size;
  }

  private static boolean everyWindowCoversAPixel(int in, int k, int s, int p, int d, long out) {
    for (int o = 0; o < out; o++) {
      boolean covers = false;
      for (int t = 0; t < k; t++) {
        int position = o * s - p + t * d;
        covers |= position >= 0 && position < in;
      }
      if (!covers) {
        return false;
      }
    }
    return true;
  }

  /**
   * Every tap of every window in (ki, kj) order: the first pixel inside the image starts the
   * maximum, then PyTorch's rule, "larger or NaN replaces".
   */
  private static void referenceMaxPool(PoolGeometry g, float[] image, int imageOff, float[] out,
      int[] argmax, int outOff) {
    int outH = g.outputHeight();
    int outW = g.outputWidth();
    for (int c = 0; c < g.channels(); c++) {
      for (int oh = 0; oh < outH; oh++) {
        for (int ow = 0; ow < outW; ow++) {
          float max = Float.NEGATIVE_INFINITY;
          int index = -1;
          for (int ki = 0; ki < g.kernelH(); ki++) {
            for (int kj = 0; kj < g.kernelW(); kj++) {
              int ih = oh * g.strideH() - g.padH() + ki * g.dilationH();
              int iw = ow * g.strideW() - g.padW() + kj * g.dilationW();
              if (ih < 0 || ih >= g.height() || iw < 0 || iw >= g.width()) {
                continue;
              }
              float v = image[imageOff + (c * g.height() + ih) * g.width() + iw];
              if (index < 0 || v > max || Float.isNaN(v)) {
                max = v;
                index = ih * g.width() + iw;
              }
            }
          }
          int at = outOff + (c * outH + oh) * outW + ow;
          out[at] = max;
          argmax[at] = index;
        }
      }
    }
  }

  /** Small integers (many ties), ±0, −inf, now and then +inf and NaN. */
  private static float[] specialValues(Random random, int n) {
    float[] a = new float[n];
    for (int k = 0; k < n; k++) {
      int pick = random.nextInt(40);
      a[k] = switch (pick) {
        case 0 -> Float.NaN;
        case 1 -> Float.POSITIVE_INFINITY;
        case 2, 3, 4 -> Float.NEGATIVE_INFINITY;
        case 5 -> -0f;
        case 6 -> 0f;
        default -> random.nextInt(9) - 4;
      };
    }
    return a;
  }
}
