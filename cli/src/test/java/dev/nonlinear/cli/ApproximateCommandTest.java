package dev.nonlinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.nn.Linear;
import dev.nonlinear.nn.Sequential;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApproximateCommandTest {

  /**
   * The defaults (1,000 Adam steps) reached a mean squared error of 1.1e-5 to 6.3e-5 with tanh
   * and 3.9e-5 to 1.2e-4 with ReLU on the even grid (seeds 1, 2, 3, 42). The best straight
   * line has 0.5 − 3/π² ≈ 0.196 (sin x has variance ½ on [−π, π], the line y = (3/π²)·x
   * explains 3/π² of it): the bound is 200 times below that.
   */
  private static final double MAX_MSE = 1e-3;

  private static final Pattern FINAL = Pattern.compile(
      "final MSE: ([0-9.e+-]+) on the 200 samples, ([0-9.e+-]+) on 1001 even points");

  @TempDir
  Path dir;

  @Test
  void tanhNetworkFitsSinAndDrawsIt() throws IOException {
    CliRunner run = CliRunner.run("approximate", "--out", dir.toString());

    assertEquals(0, run.exitCode(), run.transcript());
    Matcher mse = FINAL.matcher(run.out());
    assertTrue(mse.find(), run.transcript());
    assertTrue(Double.parseDouble(mse.group(1)) < MAX_MSE, run.transcript());
    assertTrue(Double.parseDouble(mse.group(2)) < MAX_MSE, run.transcript());
    assertTrue(run.out().contains("fitting 100% 1000/1000"), "progress shown\n" + run.out());

    var image = ActivationsCommandTest.readPng(dir.resolve("approximate.png"));
    assertEquals(900, image.getWidth());
    assertTrue(ActivationsCommandTest.holdsColour(image, 0x1f77b4), "the network's curve");
    assertTrue(ActivationsCommandTest.holdsColour(image, 0xff7f0e), "the target's curve");
  }

  @Test
  void reluNetworkFitsSinToo() {
    ApproximateCommand command = command("relu");
    SplittableRandom random = new SplittableRandom(3);
    float[] x = ApproximateCommand.samples(200, random.split());

    ApproximateCommand.Fit fit = command.fit(x, random.split(),
        new PrintWriter(new StringWriter()));
    assertTrue(fit.gridMse() < MAX_MSE, "MSE " + fit.gridMse());
  }

  @Test
  void mseIsMeasuredAgainstSin() {
    // A network that outputs 0 everywhere: its MSE is the mean of sin², ½ over a period.
    Sequential zero = new Sequential(new Linear(1, 1, true, new SplittableRandom(1)));
    ((Linear) zero.get(0)).weight().value().fill(0f);
    ((Linear) zero.get(0)).bias().value().fill(0f);
    assertEquals(0.5, ApproximateCommand.mse(zero, ApproximateCommand.grid()), 1e-3);
  }

  @Test
  void stopsWhenTheLossStopsBeingANumber() {
    CliRunner run = CliRunner.run("approximate", "--lr", "1e30", "--epochs", "50", "--out",
        dir.toString());
    assertEquals(Main.EXIT_DIVERGED, run.exitCode(), run.transcript());
    assertTrue(run.err().contains("error: the loss became Infinity at epoch"), run.transcript());
  }

  private static ApproximateCommand command(String activation) {
    ApproximateCommand command = new ApproximateCommand();
    command.hidden = 32;
    command.activation = ApproximateCommand.Activation.valueOf(activation);
    command.points = 200;
    command.epochs = 1000;
    command.learningRate = 0.01f;
    return command;
  }
}
