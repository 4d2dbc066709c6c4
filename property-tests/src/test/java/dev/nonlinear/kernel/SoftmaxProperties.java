package dev.nonlinear.kernel;

import static dev.nonlinear.kernel.ConvolutionProperties.assertMessage;
import static dev.nonlinear.kernel.ConvolutionProperties.assumeVector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Softmax, log-softmax, their gradients and cross-entropy: each twin against double references,
 * the cross-entropy gradient also against central finite differences, and non-finite input
 * against PyTorch 1.13.
 *
 * <p>Error analysis (ε = 2^-24; inputs within [-20, 20] so nothing underflows to subnormal):
 * <ul>
 *   <li>{@code x − max} rounds by ε|x − max| absolute, i.e. that much relative after exp; exp
 *       itself is within 1 ulp (2ε); a float sum of n positive terms errs by n·ε relative; the
 *       reciprocal and product add 2ε. So softmax is within {@code (|x − max| + n + 6)·ε}
 *       relative; we allow twice that.
 *   <li>log-softmax adds log's rounding and a subtraction: within
 *       {@code (|x − max| + n + 4 + |log Σ| + |y|)·ε} absolute; we allow twice that.
 *   <li>The backward formulas are a dot product of n terms and an elementwise update: within
 *       {@code 2ε·(n + 3)·(magnitudes)} as spelled out at each check.
 * </ul>
 */
class SoftmaxProperties {

  private static final double EPS = Math.ulp(1f) / 2;
  private static final int EXAMPLES = 200;
  private static final int PAD = 2;

  interface RowKernel {
    void run(float[] x, int xOff, float[] y, int yOff, int rows, int cols);
  }

  interface BackwardKernel {
    void run(float[] y, int yOff, float[] gradY, int gyOff, float[] gradX, int gxOff, int rows,
        int cols);
  }

  interface LossKernel {
    float run(float[] logits, int logitsOff, int rows, int cols, int[] targets, int targetsOff,
        float[] gradLogits, int gradOff);
  }

  @Test
  void softmaxScalar() {
    softmaxMatchesReference(ScalarSoftmax::softmax);
  }

  @Test
  void softmaxFacade() {
    softmaxMatchesReference(Softmax::softmax);
  }

  @Test
  void softmaxVector() {
    assumeVector();
    softmaxMatchesReference(VectorSoftmax::softmax);
  }

  private static void softmaxMatchesReference(RowKernel kernel) {
    qt().withFixedSeed(0x50F7L).withExamples(EXAMPLES).forAll(longs().all()).checkAssert(seed -> {
      Random random = new Random(seed);
      int rows = 1 + random.nextInt(4);
      int cols = size(random);
      float[] x = logits(random, PAD + rows * cols);
      float[] y = new float[PAD + rows * cols];

      kernel.run(x, PAD, y, PAD, rows, cols);

      for (int r = 0; r < rows; r++) {
        int row = PAD + r * cols;
        double max = rowMax(x, row, cols);
        double sum = 0;
        for (int c = 0; c < cols; c++) {
          sum += Math.exp(x[row + c] - max);
        }
        for (int c = 0; c < cols; c++) {
          double expected = Math.exp(x[row + c] - max) / sum;
          double tolerance = 2 * (Math.abs(x[row + c] - max) + cols + 6) * EPS * expected;
          assertEquals(expected, y[row + c], tolerance, "seed " + seed + ", row " + r);
        }
      }
    });
  }

  @Test
  void logSoftmaxScalar() {
    logSoftmaxMatchesReference(ScalarSoftmax::logSoftmax);
  }

  @Test
  void logSoftmaxFacade() {
    logSoftmaxMatchesReference(Softmax::logSoftmax);
  }

  @Test
  void logSoftmaxVector() {
    assumeVector();
    logSoftmaxMatchesReference(VectorSoftmax::logSoftmax);
  }

  private static void logSoftmaxMatchesReference(RowKernel kernel) {
    qt().withFixedSeed(0x1065L).withExamples(EXAMPLES).forAll(longs().all()).checkAssert(seed -> {
      Random random = new Random(seed);
      int rows = 1 + random.nextInt(4);
      int cols = size(random);
      float[] x = logits(random, PAD + rows * cols);
      float[] y = new float[PAD + rows * cols];

      kernel.run(x, PAD, y, PAD, rows, cols);

      for (int r = 0; r < rows; r++) {
        int row = PAD + r * cols;
        double max = rowMax(x, row, cols);
        double sum = 0;
        for (int c = 0; c < cols; c++) {
          sum += Math.exp(x[row + c] - max);
        }
        double logSum = Math.log(sum);
        for (int c = 0; c < cols; c++) {
          double expected = (x[row + c] - max) - logSum;
          double tolerance = 2 * EPS
              * (Math.abs(x[row + c] - max) + cols + 4 + logSum + Math.abs(expected));
          assertEquals(expected, y[row + c], tolerance, "seed " + seed + ", row " + r);
        }
      }
    });
  }

  @Test
  void softmaxBackwardScalar() {
    backwardMatchesReference(ScalarSoftmax::softmaxBackward, false);
  }

  @Test
  void softmaxBackwardFacade() {
    backwardMatchesReference(Softmax::softmaxBackward, false);
  }

  @Test
  void softmaxBackwardVector() {
    assumeVector();
    backwardMatchesReference(VectorSoftmax::softmaxBackward, false);
  }

  @Test
  void logSoftmaxBackwardScalar() {
    backwardMatchesReference(ScalarSoftmax::logSoftmaxBackward, true);
  }

  @Test
  void logSoftmaxBackwardFacade() {
    backwardMatchesReference(Softmax::logSoftmaxBackward, true);
  }

  @Test
  void logSoftmaxBackwardVector() {
    assumeVector();
    backwardMatchesReference(VectorSoftmax::logSoftmaxBackward, true);
  }

  /**
   * softmax: {@code gradX = y(gy − Σ gy·y)}; log-softmax: {@code gradX = gy − exp(y)·Σ gy}, in
   * double from the same float inputs (y from the double softmax, rounded).
   */
  private static void backwardMatchesReference(BackwardKernel kernel, boolean log) {
    qt().withFixedSeed(0xBAC4L).withExamples(EXAMPLES).forAll(longs().all()).checkAssert(seed -> {
      Random random = new Random(seed);
      int rows = 1 + random.nextInt(4);
      int cols = size(random);
      float[] y = new float[PAD + rows * cols];
      float[] x = logits(random, PAD + rows * cols);
      ScalarSoftmax.softmax(x, PAD, y, PAD, rows, cols);
      if (log) {
        ScalarSoftmax.logSoftmax(x, PAD, y, PAD, rows, cols);
      }
      float[] gradY = ConvolutionProperties.randomArray(random, PAD + rows * cols);
      float[] gradX = new float[PAD + rows * cols];

      kernel.run(y, PAD, gradY, PAD, gradX, PAD, rows, cols);

      for (int r = 0; r < rows; r++) {
        int row = PAD + r * cols;
        double reduced = 0;
        double magnitude = 0;
        for (int c = 0; c < cols; c++) {
          double weight = log ? 1 : y[row + c];
          reduced += gradY[row + c] * weight;
          magnitude += Math.abs(gradY[row + c] * weight);
        }
        for (int c = 0; c < cols; c++) {
          double expected;
          double tolerance;
          if (log) {
            double e = Math.exp(y[row + c]);
            expected = gradY[row + c] - e * reduced;
            tolerance = 2 * EPS * (Math.abs(gradY[row + c])
                + e * (Math.abs(reduced) + (cols + 3) * magnitude));
          } else {
            expected = y[row + c] * (gradY[row + c] - reduced);
            tolerance = 2 * EPS * y[row + c]
                * ((cols + 3) * magnitude + Math.abs(gradY[row + c]) + Math.abs(reduced));
          }
          assertEquals(expected, gradX[row + c], tolerance, "seed " + seed + ", row " + r);
        }
      }
    });
  }

  @Test
  void crossEntropyScalar() {
    crossEntropyMatchesReference(ScalarSoftmax::crossEntropy);
  }

  @Test
  void crossEntropyFacade() {
    crossEntropyMatchesReference(Softmax::crossEntropy);
  }

  @Test
  void crossEntropyVector() {
    assumeVector();
    crossEntropyMatchesReference(VectorSoftmax::crossEntropy);
  }

  /** Loss and gradient against double references, the gradient without and with the loss. */
  private static void crossEntropyMatchesReference(LossKernel kernel) {
    qt().withFixedSeed(0xCE01L).withExamples(EXAMPLES).forAll(longs().all()).checkAssert(seed -> {
      Random random = new Random(seed);
      int rows = 1 + random.nextInt(5);
      int cols = Math.max(1, size(random));
      float[] x = logits(random, PAD + rows * cols);
      int[] targets = targets(random, rows, cols, PAD);
      float[] grad = new float[PAD + rows * cols + PAD];
      Arrays.fill(grad, 99f);

      float loss = kernel.run(x, PAD, rows, cols, targets, PAD, grad, PAD);
      float lossOnly = kernel.run(x, PAD, rows, cols, targets, PAD, null, 0);

      double expectedLoss = referenceLoss(x, PAD, rows, cols, targets, PAD);
      double spread = 0;
      for (int r = 0; r < rows; r++) {
        spread = Math.max(spread, Math.abs(x[PAD + r * cols + targets[PAD + r]]
            - rowMax(x, PAD + r * cols, cols)));
      }
      double lossTolerance = 4 * EPS * (cols + 4 + spread + Math.abs(expectedLoss));
      assertEquals(expectedLoss, loss, lossTolerance, "seed " + seed);
      assertEquals(loss, lossOnly, "seed " + seed);

      for (int r = 0; r < rows; r++) {
        int row = PAD + r * cols;
        double max = rowMax(x, row, cols);
        double sum = 0;
        for (int c = 0; c < cols; c++) {
          sum += Math.exp(x[row + c] - max);
        }
        for (int c = 0; c < cols; c++) {
          double p = Math.exp(x[row + c] - max) / sum;
          double oneHot = c == targets[PAD + r] ? 1 : 0;
          double expected = (p - oneHot) / rows;
          double tolerance = 4 * EPS * (Math.abs(x[row + c] - max) + cols + 6) * (p + oneHot)
              / rows;
          assertEquals(expected, grad[row + c], tolerance, "seed " + seed + ", row " + r);
        }
      }
      for (int k = 0; k < PAD; k++) {
        assertEquals(99f, grad[k]);
        assertEquals(99f, grad[PAD + rows * cols + k]);
      }
    });
  }

  /**
   * {@code <grad, v>} against {@code (L(x + hv) − L(x − hv)) / 2h} with L the double reference
   * loss. With h = 1e-3 and logits in [-20, 20] the truncation error, {@code h²/6·|L'''|}, stays
   * below 1e-7; the float gradient errs by about {@code (n + 20)·ε} relative. The tolerance,
   * {@code 1e-4·Σ|grad·v| + 1e-6}, sits well above both and well below any real mistake (a wrong
   * sign, a missing 1/rows, the one-hot at the wrong place all move {@code <grad, v>} by
   * O(1/rows)).
   */
  @Test
  void crossEntropyGradientMatchesFiniteDifferences() {
    qt().withFixedSeed(0xFD01L).withExamples(EXAMPLES).forAll(longs().all()).checkAssert(seed -> {
      Random random = new Random(seed);
      int rows = 1 + random.nextInt(5);
      int cols = 1 + random.nextInt(30);
      float[] x = ConvolutionProperties.randomArray(random, rows * cols);
      int[] targets = targets(random, rows, cols, 0);
      float[] grad = new float[rows * cols];
      float[] direction = ConvolutionProperties.randomArray(random, rows * cols);

      Softmax.crossEntropy(x, 0, rows, cols, targets, 0, grad, 0);

      double h = 1e-3;
      double[] plus = new double[rows * cols];
      double[] minus = new double[rows * cols];
      double directional = 0;
      double magnitude = 0;
      for (int k = 0; k < x.length; k++) {
        plus[k] = x[k] + h * direction[k];
        minus[k] = x[k] - h * direction[k];
        directional += (double) grad[k] * direction[k];
        magnitude += Math.abs((double) grad[k] * direction[k]);
      }
      double difference = (referenceLoss(plus, rows, cols, targets)
          - referenceLoss(minus, rows, cols, targets)) / (2 * h);
      assertEquals(difference, directional, 1e-4 * magnitude + 1e-6, "seed " + seed);
    });
  }

  /** PyTorch 1.13 {@code softmax}/{@code log_softmax} on rows with ±inf and NaN. */
  @Test
  void nonFiniteRowsFollowPyTorch() {
    float inf = Float.POSITIVE_INFINITY;
    float nan = Float.NaN;
    float[] x = {1, inf, 2, -inf, -inf, -inf, 1, nan, 2, inf, inf, 0, -inf, 0, 1, 1, 2, -inf};
    float[] softmax = new float[x.length];
    float[] logSoftmax = new float[x.length];

    Softmax.softmax(x, 0, softmax, 0, 6, 3);
    Softmax.logSoftmax(x, 0, logSoftmax, 0, 6, 3);

    for (int k = 0; k < 12; k++) {
      assertTrue(Float.isNaN(softmax[k]) && Float.isNaN(logSoftmax[k]), "index " + k);
    }
    assertArrayEquals(new float[] {0f, 0.26894142f, 0.7310586f, 0.26894142f, 0.7310586f, 0f},
        Arrays.copyOfRange(softmax, 12, 18), 2e-7f);
    assertArrayEquals(new float[] {-inf, -1.3132616f, -0.31326166f, -1.3132616f, -0.31326166f,
        -inf}, Arrays.copyOfRange(logSoftmax, 12, 18), 4e-7f);
  }

  /** The same rules on rows long enough for the vector body, the special value anywhere. */
  @Test
  void nonFiniteValuesAnywhereInALongRow() {
    qt().withFixedSeed(0x1AFL).withExamples(EXAMPLES).forAll(longs().all()).checkAssert(seed -> {
      Random random = new Random(seed);
      int cols = 1 + random.nextInt(40);
      float[] x = logits(random, cols);
      float special = switch (random.nextInt(4)) {
        case 0 -> Float.NaN;
        case 1 -> Float.POSITIVE_INFINITY;
        default -> Float.NEGATIVE_INFINITY;
      };
      boolean allNegativeInfinity = special == Float.NEGATIVE_INFINITY && random.nextInt(3) == 0;
      for (int c = 0; c < cols; c++) {
        if (allNegativeInfinity || random.nextInt(4) == 0) {
          x[c] = special;
        }
      }
      x[random.nextInt(cols)] = special;
      float[] y = new float[cols];
      float[] logY = new float[cols];

      Softmax.softmax(x, 0, y, 0, 1, cols);
      Softmax.logSoftmax(x, 0, logY, 0, 1, cols);

      boolean rowIsNan = special != Float.NEGATIVE_INFINITY || allNegativeInfinity
          || rowMax(x, 0, cols) == Float.NEGATIVE_INFINITY;
      for (int c = 0; c < cols; c++) {
        String context = "seed " + seed + ", column " + c;
        if (rowIsNan) {
          assertTrue(Float.isNaN(y[c]) && Float.isNaN(logY[c]), context);
        } else if (x[c] == Float.NEGATIVE_INFINITY) {
          assertEquals(0f, y[c], context);
          assertEquals(Float.NEGATIVE_INFINITY, logY[c], context);
        } else {
          assertTrue(y[c] > 0 && y[c] <= 1 && logY[c] <= 0, context);
        }
      }
    });
  }

  @Test
  void inPlaceGivesTheSameAsOutOfPlace() {
    Random random = new Random(42);
    int rows = 3;
    int cols = 37;
    float[] x = logits(random, rows * cols);
    float[] gradY = ConvolutionProperties.randomArray(random, rows * cols);
    int[] targets = targets(random, rows, cols, 0);
    float[] y = new float[rows * cols];
    float[] inPlace = x.clone();

    Softmax.softmax(x, 0, y, 0, rows, cols);
    Softmax.softmax(inPlace, 0, inPlace, 0, rows, cols);
    assertArrayEquals(y, inPlace);

    Softmax.logSoftmax(x, 0, y, 0, rows, cols);
    inPlace = x.clone();
    Softmax.logSoftmax(inPlace, 0, inPlace, 0, rows, cols);
    assertArrayEquals(y, inPlace);

    float[] gradX = new float[rows * cols];
    Softmax.logSoftmaxBackward(y, 0, gradY, 0, gradX, 0, rows, cols);
    inPlace = gradY.clone();
    Softmax.logSoftmaxBackward(y, 0, inPlace, 0, inPlace, 0, rows, cols);
    assertArrayEquals(gradX, inPlace);

    float[] grad = new float[rows * cols];
    float loss = Softmax.crossEntropy(x, 0, rows, cols, targets, 0, grad, 0);
    inPlace = x.clone();
    assertEquals(loss, Softmax.crossEntropy(inPlace, 0, rows, cols, targets, 0, inPlace, 0));
    assertArrayEquals(grad, inPlace);
  }

  @Test
  void crossEntropyOfNoRowsIsNan() {
    assertTrue(Float.isNaN(Softmax.crossEntropy(new float[0], 0, 0, 5, new int[0], 0, null, 0)));
  }

  @Test
  void badInputIsRejectedBeforeAnythingIsWritten() {
    float[] logits = new float[12];
    float[] grad = new float[12];
    Arrays.fill(grad, 7f);

    assertMessage("row 2) = 4", () -> Softmax.crossEntropy(logits, 0, 3, 4,
        new int[] {0, 3, 4}, 0, grad, 0));
    assertMessage("row 0) = -1", () -> Softmax.crossEntropy(logits, 0, 3, 4,
        new int[] {-1, 3, 0}, 0, grad, 0));
    assertMessage("targets", () -> Softmax.crossEntropy(logits, 0, 3, 4, new int[2], 0, grad,
        0));
    assertMessage("gradLogits", () -> Softmax.crossEntropy(logits, 0, 3, 4, new int[3], 0, grad,
        1));
    assertMessage("y", () -> Softmax.softmax(logits, 0, grad, 1, 3, 4));
    assertMessage("cols = -1", () -> Softmax.logSoftmax(logits, 0, grad, 0, 3, -1));
    assertMessage("gradX", () -> Softmax.softmaxBackward(logits, 0, logits, 0, grad, 2, 3, 4));
    assertThrows(NullPointerException.class,
        () -> Softmax.crossEntropy(logits, 0, 3, 4, null, 0, grad, 0));
    for (float v : grad) {
      assertEquals(7f, v);
    }
  }

  private static double referenceLoss(float[] x, int xOff, int rows, int cols, int[] targets,
      int targetsOff) {
    double[] wide = new double[rows * cols];
    for (int k = 0; k < wide.length; k++) {
      wide[k] = x[xOff + k];
    }
    return referenceLoss(wide, rows, cols, Arrays.copyOfRange(targets, targetsOff,
        targetsOff + rows));
  }

  /** Mean over rows of {@code log Σ exp(x) − x[t]}, all in double. */
  private static double referenceLoss(double[] x, int rows, int cols, int[] targets) {
    double total = 0;
    for (int r = 0; r < rows; r++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < cols; c++) {
        max = Math.max(max, x[r * cols + c]);
      }
      double sum = 0;
      for (int c = 0; c < cols; c++) {
        sum += Math.exp(x[r * cols + c] - max);
      }
      total += max + Math.log(sum) - x[r * cols + targets[r]];
    }
    return total / rows;
  }

  private static double rowMax(float[] x, int row, int cols) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < cols; c++) {
      max = Math.max(max, x[row + c]);
    }
    return max;
  }

  /** Logits within [-20, 20), negative ones included. */
  private static float[] logits(Random random, int n) {
    float[] a = new float[n];
    for (int k = 0; k < n; k++) {
      a[k] = random.nextFloat() * 40f - 20f;
    }
    return a;
  }

  private static int[] targets(Random random, int rows, int cols, int offset) {
    int[] t = new int[offset + rows];
    for (int r = 0; r < rows; r++) {
      t[offset + r] = random.nextInt(cols);
    }
    return t;
  }

  /** 0, 1, lanes ± 1, 2·lanes + 3, a prime, and random sizes up to 40. */
  private static int size(Random random) {
    int lanes = Math.max(Backend.current().floatLanes(), 4);
    int[] special = {0, 1, lanes - 1, lanes, lanes + 1, 2 * lanes + 3, 103};
    return random.nextBoolean()
        ? special[random.nextInt(special.length)]
        : random.nextInt(41);
  }
}
