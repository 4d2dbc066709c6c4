package dev.nonlinear.kernel;

import static dev.nonlinear.kernel.ConvolutionProperties.assertMessage;
import static dev.nonlinear.kernel.ConvolutionProperties.assumeVector;
import static dev.nonlinear.kernel.ConvolutionProperties.randomArray;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bias addition and bias gradients, each twin against a double reference, at sizes around the
 * lane count and primes.
 *
 * <p>Tolerances: adding a bias is one float addition, so the result must equal the double sum
 * rounded to float exactly. A float sum of n terms errs by at most {@code n·ε·Σ|g|}; the row
 * sums are also specified in one order, so there the twins must agree bit for bit.
 */
class BiasProperties {

  private static final double EPS = Math.ulp(1f) / 2;
  private static final int PAD = 2;

  interface BiasKernel {
    void run(float[] y, int yOff, int rows, int cols, float[] bias, int biasOff);
  }

  @Test
  void addToRowsScalar() {
    addsExactly(ScalarBias::addToRows, true);
  }

  @Test
  void addToRowsVector() {
    assumeVector();
    addsExactly(VectorBias::addToRows, true);
  }

  @Test
  void addToChannelsScalar() {
    addsExactly(ScalarBias::addToChannels, false);
  }

  @Test
  void addToChannelsVector() {
    assumeVector();
    addsExactly(VectorBias::addToChannels, false);
  }

  @Test
  void facadesAdd() {
    addsExactly(Bias::addToRows, true);
    addsExactly(Bias::addToChannels, false);
  }

  /** Bias per column ({@code perColumn}) or per row, exact against the double sum. */
  private static void addsExactly(BiasKernel kernel, boolean perColumn) {
    qt().withFixedSeed(0xB1A5L).withExamples(200).forAll(longs().all()).checkAssert(seed -> {
      Random random = new Random(seed);
      int rows = size(random);
      int cols = size(random);
      float[] y = randomArray(random, PAD + rows * cols + PAD);
      float[] bias = randomArray(random, PAD + (perColumn ? cols : rows));
      float[] expected = y.clone();
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          double b = bias[PAD + (perColumn ? c : r)];
          expected[PAD + r * cols + c] = (float) (expected[PAD + r * cols + c] + b);
        }
      }

      kernel.run(y, PAD, rows, cols, bias, PAD);

      assertArrayEquals(expected, y, () -> "seed " + seed + ", " + rows + "x" + cols);
    });
  }

  @Test
  void rowSumsScalar() {
    sumsWithinBound(ScalarBias::accumulateRowSums, true);
  }

  @Test
  void rowSumsVector() {
    assumeVector();
    sumsWithinBound(VectorBias::accumulateRowSums, true);
  }

  @Test
  void channelSumsScalar() {
    sumsWithinBound(ScalarBias::accumulateChannelSums, false);
  }

  @Test
  void channelSumsVector() {
    assumeVector();
    sumsWithinBound(VectorBias::accumulateChannelSums, false);
  }

  @Test
  void facadesSum() {
    sumsWithinBound(Bias::accumulateRowSums, true);
    sumsWithinBound(Bias::accumulateChannelSums, false);
  }

  /** Sums down columns ({@code perColumn}) or along rows, ADDED to what the output held. */
  private static void sumsWithinBound(BiasKernel kernel, boolean perColumn) {
    qt().withFixedSeed(0x5005L).withExamples(200).forAll(longs().all()).checkAssert(seed -> {
      Random random = new Random(seed);
      int rows = size(random);
      int cols = size(random);
      int outputs = perColumn ? cols : rows;
      float[] g = randomArray(random, PAD + rows * cols);
      float[] gradBias = randomArray(random, PAD + outputs + PAD);
      float[] before = gradBias.clone();

      kernel.run(g, PAD, rows, cols, gradBias, PAD);

      for (int o = 0; o < outputs; o++) {
        double sum = before[PAD + o];
        double magnitude = Math.abs(before[PAD + o]);
        int terms = perColumn ? rows : cols;
        for (int t = 0; t < terms; t++) {
          float v = g[PAD + (perColumn ? t * cols + o : o * cols + t)];
          sum += v;
          magnitude += Math.abs(v);
        }
        double tolerance = (terms + 1) * EPS * magnitude;
        assertEquals(sum, gradBias[PAD + o], tolerance, "seed " + seed + ", output " + o);
      }
      for (int k = 0; k < PAD; k++) {
        assertEquals(before[k], gradBias[k]);
        assertEquals(before[PAD + outputs + k], gradBias[PAD + outputs + k]);
      }
    });
  }

  @Test
  void rowSumTwinsAgreeBitForBit() {
    assumeVector();
    qt().withFixedSeed(0x7E1L).withExamples(200).forAll(integers().between(0, 200))
        .checkAssert(cols -> {
          Random random = new Random(cols);
          int rows = size(random);
          float[] g = randomArray(random, rows * cols);
          float[] scalar = randomArray(random, cols);
          float[] vector = scalar.clone();

          ScalarBias.accumulateRowSums(g, 0, rows, cols, scalar, 0);
          VectorBias.accumulateRowSums(g, 0, rows, cols, vector, 0);

          assertArrayEquals(scalar, vector);
        });
  }

  @Test
  void badInputIsRejectedBeforeAnythingIsWritten() {
    float[] y = new float[12];
    Arrays.fill(y, 7f);
    assertMessage("bias", () -> Bias.addToRows(y, 0, 3, 4, new float[3], 0));
    assertMessage("y", () -> Bias.addToChannels(y, 1, 3, 4, new float[3], 0));
    assertMessage("rows = -1", () -> Bias.addToRows(y, 0, -1, 4, new float[4], 0));
    assertMessage("spatial = -2", () -> Bias.accumulateChannelSums(y, 0, 1, -2, y, 0));
    assertMessage("gradBias", () -> Bias.accumulateRowSums(new float[12], 0, 3, 4, y, 9));
    assertMessage("gradBias", () -> Bias.accumulateChannelSums(new float[12], 0, 3, 4, y, 10));
    assertThrows(NullPointerException.class, () -> Bias.addToRows(y, 0, 3, 4, null, 0));
    for (float v : y) {
      assertEquals(7f, v);
    }
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
