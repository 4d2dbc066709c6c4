package dev.nonlinear.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.cli.plot.Charts.Curve;
import dev.nonlinear.kernel.Activations;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivationsCommandTest {

  /**
   * Central differences of the plotted f against the plotted f′, step h = 0.01: the truncation
   * error h²/6·|f‴| stays below 1e-4 for these functions (|f‴| ≤ 2, tanh's at 0), the float
   * rounding of f (|f| ≤ 5.3, ulp ≤ 4.8e-7) adds at most 2·ulp / 2h ≈ 5e-5. A wrong derivative
   * formula is off by far more.
   */
  private static final double FINITE_DIFFERENCE_TOLERANCE = 1e-3;

  /** Where some derivative jumps (ReLU family at 0, Hardtanh at ±1, the hard ones at ±3). */
  private static final double[] KINKS = {-3, -1, 0, 1, 3};

  @TempDir
  Path dir;

  @Test
  void gridHoldsZeroAndTheKinksExactly() {
    float[] x = ActivationsCommand.grid();
    assertEquals(ActivationsCommand.X_MIN, x[0]);
    assertEquals(ActivationsCommand.X_MAX, x[x.length - 1]);
    for (double kink : KINKS) {
      assertTrue(Arrays.binarySearch(x, (float) kink) >= 0, "x = " + kink + " not on the grid");
    }
  }

  @Test
  void plottedDerivativesAreTheBackwardKernelsWithAGradientOfOne() {
    float[] x = ActivationsCommand.grid();
    float[] ones = new float[x.length];
    Arrays.fill(ones, 1f);
    float[] expected = new float[x.length];

    Activations.reluBackward(x, 0, ones, 0, expected, 0, x.length);
    assertArrayEquals(widen(expected), plottedDerivative(ActivationFunction.RELU, x));
    Activations.sigmoidBackward(x, 0, ones, 0, expected, 0, x.length);
    assertArrayEquals(widen(expected), plottedDerivative(ActivationFunction.SIGMOID, x));
    Activations.tanhBackward(x, 0, ones, 0, expected, 0, x.length);
    assertArrayEquals(widen(expected), plottedDerivative(ActivationFunction.TANH, x));
    Activations.geluBackward(x, 0, ones, 0, expected, 0, x.length);
    assertArrayEquals(widen(expected), plottedDerivative(ActivationFunction.GELU, x));
  }

  @Test
  void plottedDerivativeIsTheSlopeOfThePlottedFunctionForEveryActivation() {
    float[] x = ActivationsCommand.grid();
    for (ActivationFunction function : ActivationFunction.values()) {
      List<Curve> curves = ActivationsCommand.curves(function, x);
      double[] f = curves.get(0).y();
      double[] slope = curves.get(1).y();
      for (int i = 1; i < x.length - 1; i++) {
        if (nearKink(x[i])) {
          continue;
        }
        double centralDifference = (f[i + 1] - f[i - 1]) / (x[i + 1] - x[i - 1]);
        assertEquals(centralDifference, slope[i], FINITE_DIFFERENCE_TOLERANCE,
            function.label() + "′(" + x[i] + ")");
      }
    }
  }

  @Test
  void plottedValuesAtLandmarksArePyTorchs() {
    float[] x = {-3f, -1f, 0f, 1f, 3f};
    assertArrayEquals(new float[] {0, 0, 0, 1, 1}, ActivationFunction.RELU.derivatives(x));
    assertEquals(0.25f, ActivationFunction.SIGMOID.derivatives(x)[2]);
    assertEquals(1f, ActivationFunction.TANH.derivatives(x)[2]);
    assertArrayEquals(new float[] {0, 0, 1, 0, 0}, ActivationFunction.HARDTANH.derivatives(x));
    assertEquals(-0.5f, ActivationFunction.HARDSWISH.derivatives(x)[0]);
    assertEquals(1.5f, ActivationFunction.HARDSWISH.derivatives(x)[4]);
    assertEquals(0.5f, ActivationFunction.SIGMOID.values(x)[2]);
  }

  @Test
  void writesEveryActivationAndBothFiguresAsPngs() throws IOException {
    CliRunner run = CliRunner.run("activations", "--out", dir.toString());
    assertEquals(0, run.exitCode(), run.transcript());

    Path folder = dir.resolve("activations");
    for (ActivationFunction function : ActivationFunction.values()) {
      Path file = folder.resolve(function.fileName() + ".png");
      assertTrue(run.out().contains("wrote " + file), run.transcript());
      BufferedImage image = readPng(file);
      assertEquals(900, image.getWidth());
      assertEquals(600, image.getHeight());
      assertTrue(holdsColour(image, 0x1f77b4), file + ": no f(x) line (blue)");
      assertTrue(holdsColour(image, 0xff7f0e), file + ": no f′(x) line (orange)");
    }
    assertEquals(1800, readPng(folder.resolve("relu-sigmoid-tanh.png")).getWidth());
    assertEquals(1800, readPng(folder.resolve("linear-vs-nonlinear.png")).getWidth());
    try (var files = Files.list(folder)) {
      assertEquals(ActivationFunction.values().length + 2, files.count());
    }
  }

  /** Reads {@code file}, failing unless it starts with PNG's signature and decodes. */
  static BufferedImage readPng(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    assertTrue(bytes.length > signature.length, file + " is empty");
    assertArrayEquals(signature, Arrays.copyOf(bytes, signature.length), file + " is no PNG");
    BufferedImage image = ImageIO.read(file.toFile());
    assertTrue(image != null, file + " does not decode");
    return image;
  }

  /** True when some pixel has exactly the colour {@code rgb} (a line's unblended middle). */
  static boolean holdsColour(BufferedImage image, int rgb) {
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xffffff) == rgb) {
          return true;
        }
      }
    }
    return false;
  }

  private static double[] plottedDerivative(ActivationFunction function, float[] x) {
    return ActivationsCommand.curves(function, x).get(1).y();
  }

  private static boolean nearKink(float x) {
    for (double kink : KINKS) {
      if (Math.abs(x - kink) < 0.015) {
        return true;
      }
    }
    return false;
  }

  private static double[] widen(float[] values) {
    double[] wide = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      wide[i] = values[i];
    }
    return wide;
  }
}
