package dev.nonlinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.io.SafeTensors;
import dev.nonlinear.nn.Module;
import dev.nonlinear.tensor.Tensor;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code classify} on pictures drawn here: any size in, ten probabilities out. */
class ClassifyCommandTest {

  private static final Pattern SCORE = Pattern.compile("class (\\d): ([0-9.]+)");
  private static final Pattern CHANNEL = Pattern.compile(
      "(?m)^(red|green|blue) +(-?[0-9.]+) +(-?[0-9.]+) +(-?[0-9.]+) +(-?[0-9.]+)$");

  @TempDir
  static Path dir;

  static Path picture;

  /**
   * The sample picture, drawn by code: 300×200 (neither 224 nor square), a blue-to-yellow
   * gradient with a red disc.
   */
  @BeforeAll
  static void drawSamplePicture() throws IOException {
    picture = dir.resolve("sample.png");
    BufferedImage image = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = image.createGraphics();
    graphics.setPaint(new GradientPaint(0, 0, new Color(30, 60, 160), 300, 200,
        new Color(250, 200, 80)));
    graphics.fillRect(0, 0, 300, 200);
    graphics.setColor(Color.RED);
    graphics.fillOval(100, 50, 100, 100);
    graphics.dispose();
    assertTrue(ImageIO.write(image, "png", picture.toFile()));
  }

  private static List<Double> scores(CliRunner run) {
    List<Double> scores = new ArrayList<>();
    Matcher matcher = SCORE.matcher(run.out());
    while (matcher.find()) {
      assertEquals(scores.size(), Integer.parseInt(matcher.group(1)), run.transcript());
      scores.add(Double.parseDouble(matcher.group(2)));
    }
    return scores;
  }

  @Test
  void printsTenProbabilitiesSummingToOneAndWritesTheInputItSaw() throws IOException {
    Path out = dir.resolve("out-a");
    CliRunner run = CliRunner.run("classify", picture.toString(), "--out", out.toString());

    assertEquals(0, run.exitCode(), run.transcript());
    List<Double> scores = scores(run);
    assertEquals(10, scores.size(), run.transcript());
    double sum = 0;
    for (double score : scores) {
      assertTrue(score >= 0 && score <= 1, run.transcript());
      sum += score;
    }
    // Ten values printed to 4 decimals: each off by at most 5e-5.
    assertEquals(1, sum, 10 * 5e-5, run.transcript());
    assertTrue(run.out().contains("300×200 pixels"), run.transcript());
    assertTrue(run.out().contains("[1, 3, 224, 224]"), run.transcript());
    assertTrue(run.out().contains("UNTRAINED"), run.transcript());
    assertTrue(run.out().contains("meaningless"), run.transcript());

    BufferedImage seen = ImageIO.read(out.resolve(ClassifyCommand.INPUT_PICTURE).toFile());
    assertEquals(224, seen.getWidth());
    assertEquals(224, seen.getHeight());
    // The disc's centre stays the centre; the top-left corner stays the gradient's blue.
    assertEquals(new Color(255, 0, 0), new Color(seen.getRGB(112, 112)));
    Color corner = new Color(seen.getRGB(0, 0));
    assertTrue(corner.getBlue() > 140 && corner.getRed() < 60, corner.toString());
  }

  @Test
  void inputStatisticsAreThoseOfTheNormalizedPicture() {
    CliRunner run = CliRunner.run("classify", picture.toString(), "--out",
        dir.resolve("out-b").toString());

    Matcher channel = CHANNEL.matcher(run.out());
    int rows = 0;
    while (channel.find()) {
      double min = Double.parseDouble(channel.group(4));
      double max = Double.parseDouble(channel.group(5));
      assertTrue(-1 <= min && min <= max && max <= 1, run.transcript());
      rows++;
    }
    assertEquals(3, rows, run.transcript());
    // Pure red in the disc: red reaches +1 (255 → (1 - 0.5) / 0.5), green and blue -1.
    assertTrue(run.out().matches("(?s).*red +\\S+ +\\S+ +\\S+ +1\\.0000\n.*"), run.transcript());
    assertTrue(run.out().matches("(?s).*green +\\S+ +\\S+ +-1\\.0000 .*"), run.transcript());
  }

  @Test
  void greyPicturesGiveThreeEqualChannels() throws IOException {
    BufferedImage grey = new BufferedImage(50, 70, BufferedImage.TYPE_BYTE_GRAY);
    int[] samples = new int[50 * 70];
    Arrays.setAll(samples, i -> i % 50 * 5);
    grey.getRaster().setPixels(0, 0, 50, 70, samples);
    Path file = dir.resolve("grey.jpg");
    assertTrue(ImageIO.write(grey, "jpeg", file.toFile()));
    CliRunner run = CliRunner.run("classify", file.toString(), "--out",
        dir.resolve("out-c").toString());

    assertEquals(0, run.exitCode(), run.transcript());
    Matcher channel = CHANNEL.matcher(run.out());
    List<String> statistics = new ArrayList<>();
    while (channel.find()) {
      statistics.add(channel.group(2) + channel.group(3) + channel.group(4) + channel.group(5));
    }
    assertEquals(3, statistics.size(), run.transcript());
    assertEquals(statistics.get(0), statistics.get(1), run.transcript());
    assertEquals(statistics.get(0), statistics.get(2), run.transcript());
  }

  @Test
  void theSameSeedGivesTheSameScores() {
    String outDir = dir.resolve("out-d").toString();
    List<Double> first = scores(CliRunner.run("classify", picture.toString(), "--out", outDir));
    List<Double> again = scores(CliRunner.run("classify", picture.toString(), "--out", outDir));
    List<Double> other = scores(CliRunner.run("classify", picture.toString(), "--out", outDir,
        "--seed", "7"));

    assertEquals(first, again);
    assertTrue(!first.equals(other), first + " vs " + other);
  }

  @Test
  void usesTheWeightsOfModel() throws IOException {
    Module model = ClassifyCommand.model(1);
    Map<String, Tensor> state = model.stateDict();
    assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias", "8.weight", "8.bias"),
        List.copyOf(state.keySet()));
    state.get("8.bias").data()[3] = 30;
    Path weights = dir.resolve("biased.safetensors");
    SafeTensors.write(state, weights);
    CliRunner run = CliRunner.run("classify", picture.toString(), "--model", weights.toString(),
        "--out", dir.resolve("out-e").toString());

    assertEquals(0, run.exitCode(), run.transcript());
    assertTrue(run.out().contains("highest: class 3 (1.0000)"), run.transcript());
    assertTrue(run.out().contains("weights: " + weights), run.transcript());
    assertTrue(!run.out().contains("UNTRAINED"), run.transcript());
  }

  @Test
  void refusesWeightsOfAnotherNetwork() throws IOException {
    Path weights = dir.resolve("other.safetensors");
    SafeTensors.write(Map.of("0.weight", Tensor.zeros(2, 2)), weights);
    CliRunner run = CliRunner.run("classify", picture.toString(), "--model", weights.toString(),
        "--out", dir.resolve("out-f").toString());

    assertEquals(1, run.exitCode(), run.transcript());
    assertTrue(run.err().contains("does not fit the network"), run.transcript());
    assertTrue(run.err().contains("missing: [0.bias"), run.transcript());
  }

  @Test
  void reportsADamagedPictureByName() throws IOException {
    byte[] png = Files.readAllBytes(picture);
    Path damaged = Files.write(dir.resolve("damaged.png"), Arrays.copyOf(png, png.length / 2));
    CliRunner run = CliRunner.run("classify", damaged.toString(), "--out",
        dir.resolve("out-g").toString());

    assertEquals(1, run.exitCode(), run.transcript());
    assertTrue(run.err().contains("error: " + damaged + ": cannot decode the PNG data"),
        run.transcript());
    assertTrue(!run.err().contains("\tat "), "no stack trace\n" + run.transcript());
  }

  @Test
  void aMissingPictureIsAUsageError() {
    CliRunner run = CliRunner.run("classify", dir.resolve("absent.png").toString());

    assertEquals(2, run.exitCode(), run.transcript());
    assertTrue(run.err().contains("IMAGE " + dir.resolve("absent.png") + ": no such file"),
        run.transcript());
  }
}
