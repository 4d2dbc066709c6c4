package dev.nonlinear.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * im2col and col2im against direct references: im2col exactly against a gather written from the
 * definition, the convolution as weights·im2col against a direct convolution in double, and
 * col2im as the adjoint of im2col, {@code <im2col(x), c> = <x, col2im(c)>}.
 *
 * <p>Each example draws its geometry from a seed that QuickTheories generates with a fixed
 * seed, so a failure prints the seed that reproduces it. Geometries span kernels, strides,
 * paddings and dilations that differ between height and width, and widths on both sides of the
 * lane count.
 *
 * <p>Tolerances: im2col copies, so it is exact. A float dot product of K terms errs by at most
 * {@code K·ε·Σ|a||b|} (ε = 2^-24); col2im sums at most kH·kW terms per pixel, so
 * {@code |<x, col2im(c)> − <im2col(x), c>| <= kH·kW·ε·<im2col(|x|), |c|>}. The double
 * references carry error far below these bounds.
 */
class ConvolutionProperties {

  private static final double EPS = Math.ulp(1f) / 2;
  private static final int EXAMPLES = 300;
  /** Guard values around each output region; a kernel that writes outside them is caught. */
  private static final float GUARD = -12345.5f;
  private static final int PAD = 5;

  interface Im2col {
    void run(ConvGeometry g, float[] image, int imageOff, float[] col, int colOff);
  }

  interface Col2im {
    void run(ConvGeometry g, float[] col, int colOff, float[] image, int imageOff);
  }

  @Test
  void dilatedKernelOfOnesOnOneToNine() {
    ConvGeometry g = new ConvGeometry(1, 3, 3, 2, 2, 1, 1, 0, 0, 1, 2);
    float[] image = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    float[] col = new float[g.colSize()];

    Convolution.im2col(g, image, 0, col, 0);

    assertEquals(2, g.outputHeight());
    assertEquals(1, g.outputWidth());
    float[] out = new float[g.colCols()];
    for (int row = 0; row < g.colRows(); row++) {
      for (int k = 0; k < g.colCols(); k++) {
        out[k] += col[row * g.colCols() + k];
      }
    }
    assertArrayEquals(new float[] {14, 26}, out);
  }

  @Test
  void geometrySizesFollowPyTorch() {
    ConvGeometry g = new ConvGeometry(3, 28, 17, 3, 5, 2, 1, 1, 2, 1, 3);
    assertEquals((28 + 2 - 2 - 1) / 2 + 1, g.outputHeight());
    assertEquals((17 + 4 - 12 - 1) / 1 + 1, g.outputWidth());
    assertEquals(3 * 3 * 5, g.colRows());
    assertEquals(g.outputHeight() * g.outputWidth(), g.colCols());
    assertEquals(3 * 28 * 17, g.imageSize());
    assertTrue(new ConvGeometry(2, 4, 5, 1, 1, 1, 1, 0, 0, 1, 1).isPointwise());
  }

  @Test
  void im2colScalarMatchesDirectGather() {
    im2colMatchesDirectGather(ScalarConvolution::im2col);
  }

  @Test
  void im2colFacadeMatchesDirectGather() {
    im2colMatchesDirectGather(Convolution::im2col);
  }

  private static void im2colMatchesDirectGather(Im2col kernel) {
    qt().withFixedSeed(0x1A2C0L).withExamples(EXAMPLES).forAll(longs().all()).checkAssert(seed -> {
      Random random = new Random(seed);
      ConvGeometry g = randomGeometry(random);
      float[] image = randomArray(random, PAD + g.imageSize());
      float[] col = guarded(g.colSize());

      kernel.run(g, image, PAD, col, PAD);

      float[] expected = guarded(g.colSize());
      System.arraycopy(referenceIm2col(g, image, PAD), 0, expected, PAD, g.colSize());
      assertArrayEquals(expected, col, () -> "seed " + seed + ", " + g);
    });
  }

  @Test
  void convolutionThroughIm2colMatchesDirectConvolution() {
    qt().withFixedSeed(0xC0DEL).withExamples(EXAMPLES).forAll(longs().all()).checkAssert(seed -> {
      Random random = new Random(seed);
      ConvGeometry g = randomGeometry(random);
      int outChannels = 1 + random.nextInt(3);
      float[] image = randomArray(random, g.imageSize());
      float[] weights = randomArray(random, outChannels * g.colRows());
      float[] col = new float[g.colSize()];

      Convolution.im2col(g, image, 0, col, 0);

      for (int oc = 0; oc < outChannels; oc++) {
        for (int p = 0; p < g.colCols(); p++) {
          float viaIm2col = 0f;
          for (int row = 0; row < g.colRows(); row++) {
            viaIm2col += weights[oc * g.colRows() + row] * col[row * g.colCols() + p];
          }
          double[] direct = directConvolution(g, image, weights, oc, p / g.outputWidth(),
              p % g.outputWidth());
          double tolerance = g.colRows() * EPS * direct[1];
          assertEquals(direct[0], viaIm2col, tolerance, "seed " + seed + ", " + g);
        }
      }
    });
  }

  @Test
  void col2imScalarIsAdjointOfIm2col() {
    col2imIsAdjointOfIm2col(ScalarConvolution::col2im);
  }

  @Test
  void col2imVectorIsAdjointOfIm2col() {
    assumeVector();
    col2imIsAdjointOfIm2col(VectorConvolution::col2im);
  }

  @Test
  void col2imFacadeIsAdjointOfIm2col() {
    col2imIsAdjointOfIm2col(Convolution::col2im);
  }

  private static void col2imIsAdjointOfIm2col(Col2im kernel) {
    qt().withFixedSeed(0xAD1L).withExamples(EXAMPLES).forAll(longs().all()).checkAssert(seed -> {
      Random random = new Random(seed);
      ConvGeometry g = randomGeometry(random);
      float[] x = randomArray(random, g.imageSize());
      float[] c = randomArray(random, PAD + g.colSize());
      float[] image = guarded(g.imageSize());
      Arrays.fill(image, PAD, PAD + g.imageSize(), Float.NaN);

      kernel.run(g, c, PAD, image, PAD);

      float[] unfolded = referenceIm2col(g, x, 0);
      double left = 0;
      double bound = 0;
      for (int k = 0; k < g.colSize(); k++) {
        left += (double) unfolded[k] * c[PAD + k];
        bound += Math.abs((double) unfolded[k] * c[PAD + k]);
      }
      double right = 0;
      for (int p = 0; p < g.imageSize(); p++) {
        right += (double) x[p] * image[PAD + p];
      }
      double tolerance = g.kernelH() * g.kernelW() * EPS * bound;
      assertEquals(left, right, tolerance, () -> "seed " + seed + ", " + g);
      assertGuards(image, g.imageSize(), "seed " + seed);
    });
  }

  @Test
  void col2imVectorAndScalarAgreeBitForBit() {
    assumeVector();
    qt().withFixedSeed(0xB17L).withExamples(EXAMPLES).forAll(longs().all()).checkAssert(seed -> {
      Random random = new Random(seed);
      ConvGeometry g = randomGeometry(random);
      float[] c = randomArray(random, g.colSize());
      float[] scalar = new float[g.imageSize()];
      float[] vector = new float[g.imageSize()];

      ScalarConvolution.col2im(g, c, 0, scalar, 0);
      VectorConvolution.col2im(g, c, 0, vector, 0);

      assertArrayEquals(scalar, vector, () -> "seed " + seed + ", " + g);
    });
  }

  @Test
  void geometryRejectsBadArgumentsByName() {
    assertMessage("kernelH = 0", () -> new ConvGeometry(1, 5, 5, 0, 3, 1, 1, 0, 0, 1, 1));
    assertMessage("strideW = 0", () -> new ConvGeometry(1, 5, 5, 3, 3, 1, 0, 0, 0, 1, 1));
    assertMessage("padH = -1", () -> new ConvGeometry(1, 5, 5, 3, 3, 1, 1, -1, 0, 1, 1));
    assertMessage("dilationW = 0", () -> new ConvGeometry(1, 5, 5, 3, 3, 1, 1, 0, 0, 1, 0));
    assertMessage("channels = 0", () -> new ConvGeometry(0, 5, 5, 3, 3, 1, 1, 0, 0, 1, 1));
    assertMessage("outputWidth = 0", () -> new ConvGeometry(1, 5, 2, 3, 3, 1, 1, 0, 0, 1, 1));
    assertMessage("outputHeight = 0", () -> new ConvGeometry(1, 4, 9, 3, 3, 1, 1, 0, 0, 2, 1));
  }

  @Test
  void shortArraysAreRejectedBeforeAnythingIsWritten() {
    ConvGeometry g = new ConvGeometry(2, 5, 6, 3, 3, 1, 1, 1, 1, 1, 1);
    float[] image = new float[g.imageSize()];
    float[] col = new float[g.colSize() - 1];
    Arrays.fill(col, 7f);

    assertMessage("col", () -> Convolution.im2col(g, image, 0, col, 0));
    assertMessage("image", () -> Convolution.im2col(g, image, 1, new float[g.colSize()], 0));
    float[] fullCol = new float[g.colSize()];
    float[] shortImage = new float[g.imageSize()];
    Arrays.fill(shortImage, 7f);
    assertMessage("image", () -> Convolution.col2im(g, fullCol, 0, shortImage, 1));
    assertThrows(NullPointerException.class, () -> Convolution.im2col(null, image, 0, col, 0));

    for (float v : col) {
      assertEquals(7f, v);
    }
    for (float v : shortImage) {
      assertEquals(7f, v);
    }
  }

  /** A valid geometry: channels 1–3, widths 1–40 (across the lane count), unequal axes. */
  static ConvGeometry randomGeometry(Random random) {
    while (true) {
      int height = 1 + random.nextInt(9);
      int width = 1 + random.nextInt(40);
      int kernelH = 1 + random.nextInt(4);
      int kernelW = 1 + random.nextInt(4);
      int strideH = 1 + random.nextInt(3);
      int strideW = random.nextInt(3) == 0 ? 2 + random.nextInt(2) : 1;
      int padH = random.nextInt(3);
      int padW = random.nextInt(3);
      int dilationH = 1 + random.nextInt(3);
      int dilationW = 1 + random.nextInt(3);
      if (height + 2 * padH >= dilationH * (kernelH - 1) + 1
          && width + 2 * padW >= dilationW * (kernelW - 1) + 1) {
        return new ConvGeometry(1 + random.nextInt(3), height, width, kernelH, kernelW, strideH,
            strideW, padH, padW, dilationH, dilationW);
      }
    }
  }

  /** The definition: row (c, i, j), column (oh, ow) reads pixel (oh·sH − pH + i·dH, ...). */
  private static float[] referenceIm2col(ConvGeometry g, float[] image, int imageOff) {
    int outH = g.outputHeight();
    int outW = g.outputWidth();
    float[] col = new float[g.colSize()];
    for (int c = 0; c < g.channels(); c++) {
      for (int i = 0; i < g.kernelH(); i++) {
        for (int j = 0; j < g.kernelW(); j++) {
          for (int oh = 0; oh < outH; oh++) {
            for (int ow = 0; ow < outW; ow++) {
              int ih = oh * g.strideH() - g.padH() + i * g.dilationH();
              int iw = ow * g.strideW() - g.padW() + j * g.dilationW();
              boolean inside = ih >= 0 && ih < g.height() && iw >= 0 && iw < g.width();
              int row = (c * g.kernelH() + i) * g.kernelW() + j;
              col[row * outH * outW + oh * outW + ow] = inside
                  ? image[imageOff + (c * g.height() + ih) * g.width() + iw]
                  : 0f;
            }
          }
        }
      }
    }
    return col;
  }

  /** {value, Σ|w·x|} of output (oc, oh, ow), summed in double over the taps inside. */
  private static double[] directConvolution(ConvGeometry g, float[] image, float[] weights,
      int oc, int oh, int ow) {
    double sum = 0;
    double magnitude = 0;
    for (int c = 0; c < g.channels(); c++) {
      for (int i = 0; i < g.kernelH(); i++) {
        for (int j = 0; j < g.kernelW(); j++) {
          int ih = oh * g.strideH() - g.padH() + i * g.dilationH();
          int iw = ow * g.strideW() - g.padW() + j * g.dilationW();
          if (ih < 0 || ih >= g.height() || iw < 0 || iw >= g.width()) {
            continue;
          }
          double w = weights[((oc * g.channels() + c) * g.kernelH() + i) * g.kernelW() + j];
          double x = image[(c * g.height() + ih) * g.width() + iw];
          sum += w * x;
          magnitude += Math.abs(w * x);
        }
      }
    }
    return new double[] {sum, magnitude};
  }

  /** Values in [-4, 4), negative ones included. */
  static float[] randomArray(Random random, int n) {
    float[] a = new float[n];
    for (int k = 0; k < n; k++) {
      a[k] = random.nextFloat() * 8f - 4f;
    }
    return a;
  }

  private static float[] guarded(int n) {
    float[] a = new float[PAD + n + PAD];
    Arrays.fill(a, GUARD);
    return a;
  }

  private static void assertGuards(float[] a, int n, String context) {
    for (int k = 0; k < PAD; k++) {
      assertEquals(GUARD, a[k], context);
      assertEquals(GUARD, a[PAD + n + k], context);
    }
  }

  static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expected), () -> "message: " + e.getMessage());
  }

  static void assumeVector() {
    Assumptions.assumeTrue(Backend.current().kind() == Backend.Kind.VECTOR);
  }
}
