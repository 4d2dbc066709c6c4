package dev.nonlinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.cli.BoundaryCommand.Points;
import dev.nonlinear.cli.BoundaryCommand.Result;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundaryCommandTest {

  /**
   * 300 points and 100 epochs reached 99.7 to 100 % on the training points and 96.5 to 98.5 %
   * on fresh ones (seeds 1, 2, 3, 42); a linear classifier cannot beat the majority class,
   * about 61 % (the circle covers π/8 of the square).
   */
  private static final double MIN_TRAIN_ACCURACY = 0.95;
  private static final double MIN_TEST_ACCURACY = 0.90;

  private static final Pattern ACCURACY = Pattern.compile(
      "train accuracy: ([0-9.]+) \\(300 points\\), test accuracy: ([0-9.]+)");

  @TempDir
  Path dir;

  @Test
  void learnsTheCircleAndDrawsIt() throws IOException {
    CliRunner run = CliRunner.run("boundary", "--points", "300", "--epochs", "100", "--out",
        dir.toString());

    assertEquals(0, run.exitCode(), run.transcript());
    Matcher accuracy = ACCURACY.matcher(run.out());
    assertTrue(accuracy.find(), run.transcript());
    assertTrue(Double.parseDouble(accuracy.group(1)) > MIN_TRAIN_ACCURACY, run.transcript());
    assertTrue(Double.parseDouble(accuracy.group(2)) > MIN_TEST_ACCURACY, run.transcript());
    assertTrue(run.out().contains("training 100% 100/100"), "progress shown\n" + run.out());

    var image = ActivationsCommandTest.readPng(dir.resolve("boundary.png"));
    assertEquals(800, image.getWidth());
    assertTrue(ActivationsCommandTest.holdsColour(image, 0x2166ac), "class 0 points");
    assertTrue(ActivationsCommandTest.holdsColour(image, 0xb2182b), "class 1 points");
  }

  @Test
  void shadedProbabilityIsLowInsideTheCircleAndHighInTheCorners() {
    BoundaryCommand command = new BoundaryCommand();
    command.hidden = 16;
    command.epochs = 100;
    command.batchSize = 32;
    command.learningRate = 0.01f;
    SplittableRandom random = new SplittableRandom(7);
    Points train = BoundaryCommand.points(300, random.split());
    Points test = BoundaryCommand.points(500, random.split());
    Result result = command.train(train, test, random.split(),
        new PrintWriter(new StringWriter()));

    double[][] probability = DecisionMap.probabilities(result.network(), -1, 1);
    int last = DecisionMap.CELLS - 1;
    int middle = DecisionMap.CELLS / 2;
    assertTrue(probability[middle][middle] < 0.5, "centre: " + probability[middle][middle]);
    for (double corner : new double[] {probability[0][0], probability[0][last],
        probability[last][0], probability[last][last]}) {
      assertTrue(corner > 0.5, "corner: " + corner);
    }
    assertTrue(result.trainAccuracy() > MIN_TRAIN_ACCURACY, "train " + result.trainAccuracy());
  }

  @Test
  void stopsWhenTheOutputStopsBeingANumber() {
    CliRunner run = CliRunner.run("boundary", "--lr", "1e38", "--epochs", "5", "--out",
        dir.toString());
    assertEquals(Main.EXIT_DIVERGED, run.exitCode(), run.transcript());
    assertTrue(run.err().contains("error: the network's output became NaN at epoch"),
        run.transcript());
  }

  @Test
  void labelsFollowTheCircle() {
    Points points = BoundaryCommand.points(1000, new SplittableRandom(1));
    int outside = 0;
    for (int i = 0; i < points.size(); i++) {
      float x = points.x()[i];
      float y = points.y()[i];
      assertTrue(Math.abs(x) <= 1 && Math.abs(y) <= 1, x + ", " + y);
      assertEquals(x * x + y * y > 0.5f ? 1f : 0f, points.labels()[i]);
      outside += (int) points.labels()[i];
    }
    // 1 − π/8 ≈ 0.607 of the square lies outside the circle: 607 ± 4 standard deviations.
    assertTrue(Math.abs(outside - 607) < 62, "outside: " + outside);
  }
}
