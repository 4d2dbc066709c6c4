package dev.nonlinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.io.Dataset;
import dev.nonlinear.io.FashionMnist;
import dev.nonlinear.io.SafeTensors;
import dev.nonlinear.nn.Module;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate} and {@code predict} on weights that {@code train} saved after a short run on
 * the embedded sample (one epoch on 2,000 images: about 70 % test accuracy, a few seconds).
 */
class EvaluatePredictEndToEndTest {

  private static final Pattern ACCURACY =
      Pattern.compile("test accuracy: ([0-9.]+% \\([0-9,]+ of [0-9,]+\\))");

  @TempDir
  static Path dir;

  private static Path weights;
  private static String trainedAccuracy;

  @BeforeAll
  static void trainBriefly() {
    weights = dir.resolve("cnn.safetensors");
    CliRunner run = CliRunner.run("train", "--sample", "--limit", "2000", "--seed", "7",
        "--save", weights.toString(), "--out", dir.resolve("train").toString());
    assertEquals(0, run.exitCode(), run.transcript());
    trainedAccuracy = lastAccuracy(run);
  }

  private static String lastAccuracy(CliRunner run) {
    Matcher matcher = ACCURACY.matcher(run.out());
    String last = null;
    while (matcher.find()) {
      last = matcher.group(1);
    }
    assertTrue(last != null, run.transcript());
    return last;
  }

  @Test
  void evaluateReportsTheAccuracyTrainReported() throws IOException {
    Path out = dir.resolve("evaluate");
    CliRunner run = CliRunner.run("evaluate", "--sample", "--model", weights.toString(),
        "--out", out.toString());

    assertEquals(0, run.exitCode(), run.transcript());
    assertEquals(trainedAccuracy, lastAccuracy(run), run.transcript());
    for (String name : FashionMnist.CLASSES) {
      assertTrue(run.out().contains(name), name + " missing\n" + run.transcript());
    }
    assertTrue(run.out().contains("recall"), run.transcript());
    BufferedImage picture = ImageIO.read(out.resolve(EvaluateCommand.PICTURE_FILE).toFile());
    assertTrue(picture.getWidth() > 500 && picture.getHeight() > 500, "heat map size");
  }

  @Test
  void evaluateRefusesWeightsOfAnotherNetwork() throws IOException {
    Path other = dir.resolve("autoencoder.safetensors");
    SafeTensors.write(Networks.autoencoder().stateDict(), other);
    CliRunner run = CliRunner.run("evaluate", "--sample", "--model", other.toString(),
        "--out", dir.resolve("other").toString());

    assertEquals(1, run.exitCode(), run.transcript());
    assertTrue(run.err().contains("not the weights of the 28×28 CNN"), run.transcript());
    assertTrue(run.err().contains("mis-shaped: 0.weight [32, 1, 3, 3] expected"),
        run.transcript());
  }

  @Test
  void evaluateWithoutAModelFileIsAUsageError() {
    CliRunner run = CliRunner.run("evaluate", "--sample", "--model",
        dir.resolve("absent.safetensors").toString());

    assertEquals(2, run.exitCode(), run.transcript());
    assertTrue(run.err().contains("no such readable file"), run.transcript());
  }

  /**
   * A test image the trained network gets right with probability above 0.9, written as the
   * plain 28×28 grey PNG, as a light-background RGB PNG enlarged 3× on a wider canvas, and as a
   * JPEG of the latter: predict names its label first for all three.
   */
  @Test
  void predictGivesTheLabelOfATestImageWrittenAsPicture() throws IOException {
    Module model = Networks.fashionCnn(weights);
    model.eval();
    Dataset test = DataOptions.sampleSet(FashionMnist.TEST_IMAGES, FashionMnist.TEST_LABELS);
    int index = firstConfidentlyRight(model, test);
    float[] pixels = Arrays.copyOfRange(test.images().data(), index * 784, (index + 1) * 784);
    String label = FashionMnist.CLASSES.get(test.labels()[index]);

    Path plain = dir.resolve("plain.png");
    Path light = dir.resolve("light.png");
    Path jpeg = dir.resolve("light.jpg");
    ImageIO.write(greyImage(pixels), "png", plain.toFile());
    BufferedImage enlarged = lightCanvasEnlarged(pixels, 3);
    ImageIO.write(enlarged, "png", light.toFile());
    ImageIO.write(enlarged, "jpg", jpeg.toFile());
    CliRunner run = CliRunner.run("predict", "--model", weights.toString(), "--out",
        dir.resolve("predict").toString(), plain.toString(), light.toString(), jpeg.toString());

    assertEquals(0, run.exitCode(), run.transcript());
    for (Path file : new Path[] {plain, light, jpeg}) {
      Matcher first = Pattern.compile(Pattern.quote(file.toString())
          + " \\(.*\\)\\R\\s+1\\. (\\S[^\\d]*?)\\s+[0-9.]+%").matcher(run.out());
      assertTrue(first.find(), file + "\n" + run.transcript());
      assertEquals(label, first.group(1), file + "\n" + run.transcript());
    }
    assertTrue(run.out().contains("light.png (96×84, light background: inverted)"),
        run.transcript());
    assertTrue(Files.size(dir.resolve("predict").resolve(PredictCommand.PICTURE_FILE)) > 0);
  }

  @Test
  void predictReportsAFileThatIsNoPicture() throws IOException {
    Path text = Files.writeString(dir.resolve("notes.png"), "not a picture");
    CliRunner run = CliRunner.run("predict", "--model", weights.toString(), "--out",
        dir.resolve("bad").toString(), text.toString());

    assertEquals(1, run.exitCode(), run.transcript());
    assertTrue(run.err().contains(text + ": not a PNG, JPEG, BMP or GIF picture"),
        run.transcript());
  }

  @Test
  void predictRefusesATopOutsideTheClasses() {
    CliRunner run = CliRunner.run("predict", "--model", weights.toString(), "--top", "11",
        weights.toString());

    assertEquals(2, run.exitCode(), run.transcript());
    assertTrue(run.err().contains("--top = 11: expected 1 to 10"), run.transcript());
  }

  @Test
  void anOutFolderThatCannotBeMadeIsRefusedBeforeAnyWork() {
    // Not even root may make folders in /proc.
    Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
    CliRunner run = CliRunner.run("evaluate", "--sample", "--model", weights.toString(),
        "--out", "/proc/nonlinear-pictures");

    assertEquals(2, run.exitCode(), run.transcript());
    assertTrue(run.err().contains("--out /proc/nonlinear-pictures: cannot"), run.transcript());
    assertTrue(!run.out().contains("test accuracy"), run.transcript());
  }

  private static int firstConfidentlyRight(Module model, Dataset test) {
    for (int i = 0; i < test.size(); i++) {
      float[] pixels = Arrays.copyOfRange(test.images().data(), i * 784, (i + 1) * 784);
      double[] probabilities = PredictCommand.probabilities(model, pixels);
      if (probabilities[test.labels()[i]] > 0.9) {
        return i;
      }
    }
    throw new AssertionError("no test image classified right with probability > 0.9");
  }

  /** The pixels as an 8-bit grey image, level round(255·v). */
  private static BufferedImage greyImage(float[] pixels) {
    BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        image.getRaster().setSample(x, y, 0, Math.round(255 * pixels[y * 28 + x]));
      }
    }
    return image;
  }

  /** Dark on light, each pixel a zoom×zoom block, with light margins of unequal width. */
  private static BufferedImage lightCanvasEnlarged(float[] pixels, int zoom) {
    BufferedImage image = new BufferedImage(28 * zoom + 12, 28 * zoom,
        BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int sx = (x - 8) / zoom;
        int sy = y / zoom;
        boolean inside = x >= 8 && sx < 28;
        int level = 255 - (inside ? Math.round(255 * pixels[sy * 28 + sx]) : 0);
        image.setRGB(x, y, new Color(level, level, level).getRGB());
      }
    }
    return image;
  }
}
