package dev.nonlinear.cli;

import dev.nonlinear.cli.plot.Charts;
import dev.nonlinear.cli.plot.Charts.Curve;
import dev.nonlinear.cli.plot.Charts.Style;
import dev.nonlinear.nn.Adam;
import dev.nonlinear.nn.BCELoss;
import dev.nonlinear.nn.Linear;
import dev.nonlinear.nn.Module;
import dev.nonlinear.nn.ReLU;
import dev.nonlinear.nn.Sequential;
import dev.nonlinear.nn.Sigmoid;
import dev.nonlinear.tensor.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.jfree.chart.JFreeChart;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nonlinear boundary}: a small MLP learns a circular decision boundary, which no linear
 * classifier can draw, and the learnt probability is shaded over the plane with the points.
 */
@Command(name = "boundary", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Learns a circular decision boundary and draws it (PNG).",
        "Trains Sequential(Linear(2, H), ReLU, Linear(H, H), ReLU, Linear(H, 1), Sigmoid) with "
            + "BCELoss and Adam on seeded random points of [-1, 1]² labelled 1 where "
            + "x² + y² > 0.5, prints the training and test accuracy, and draws the learnt "
            + "probability with the points and the true circle (boundary.png)."})
final class BoundaryCommand implements Callable<Integer> {

  /** The squared radius of the true boundary: points with x² + y² above it are class 1. */
  static final float RADIUS_SQUARED = 0.5f;

  /** Fresh points the accuracy is also measured on (same distribution, another seed). */
  static final int TEST_POINTS = 2000;

  @Option(names = "--points", defaultValue = "400", description = "Training points "
      + "(default: ${DEFAULT-VALUE}).")
  int points;

  @Option(names = "--hidden", defaultValue = "16", description = "Units per hidden layer "
      + "(default: ${DEFAULT-VALUE}).")
  int hidden;

  @Option(names = "--epochs", defaultValue = "200", description = "Passes over the points "
      + "(default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "32", description = "Points per step "
      + "(default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--lr", defaultValue = "0.01", description = "Adam's learning rate "
      + "(default: ${DEFAULT-VALUE}).")
  float learningRate;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the points, the "
      + "weights and the shuffling (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin
  OutputOptions output;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Points {@code (x[i], y[i])} and their labels, 0 or 1. */
  record Points(float[] x, float[] y, float[] labels) {

    int size() {
      return labels.length;
    }

    /** The coordinates as one {@code [n, 2]} tensor. */
    Tensor inputs() {
      float[] xy = new float[2 * size()];
      for (int i = 0; i < size(); i++) {
        xy[2 * i] = x[i];
        xy[2 * i + 1] = y[i];
      }
      return Tensor.of(xy, size(), 2);
    }
  }

  /** The trained network and its accuracies. */
  record Result(Module network, double trainAccuracy, double testAccuracy, float loss) {}

  @Override
  public Integer call() throws IOException {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    Path folder = output.prepare(spec.commandLine());
    SplittableRandom random = new SplittableRandom(seed);
    Points train = points(points, random.split());
    Points test = points(TEST_POINTS, random.split());
    out.printf(Locale.ROOT, "%d training points in [-1, 1]², %d of them outside the circle "
        + "x² + y² = %.1f (class 1)%n", train.size(), countOnes(train), RADIUS_SQUARED);

    Result result;
    try {
      result = train(train, test, random.split(), out);
    } catch (Trainer.DivergedException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return Main.EXIT_DIVERGED;
    }
    out.printf(Locale.ROOT, "train accuracy: %.4f (%d points), test accuracy: %.4f (%d fresh "
        + "points), final loss %.4f%n", result.trainAccuracy(), train.size(),
        result.testAccuracy(), test.size(), result.loss());
    out.println("wrote " + Charts.save(chart(result.network(), train),
        folder.resolve("boundary.png"), 800, 700));
    return CommandLine.ExitCode.OK;
  }

  /** {@code n} points uniform in [-1, 1]², labelled 1 where x² + y² > 0.5. */
  static Points points(int n, SplittableRandom random) {
    float[] x = new float[n];
    float[] y = new float[n];
    float[] labels = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) random.nextDouble(-1, 1);
      y[i] = (float) random.nextDouble(-1, 1);
      labels[i] = x[i] * x[i] + y[i] * y[i] > RADIUS_SQUARED ? 1 : 0;
    }
    return new Points(x, y, labels);
  }

  /** The network: two hidden ReLU layers of {@code hidden} units and a sigmoid output. */
  static Sequential network(int hidden, SplittableRandom random) {
    Sequential network = new Sequential(
        new Linear(2, hidden, true, random), new ReLU(),
        new Linear(hidden, hidden, true, random), new ReLU(),
        new Linear(hidden, 1, true, random), new Sigmoid());
    network.inputGradientNeeded(false);
    return network;
  }

  /**
   * Trains a new network on {@code train} with Adam on shuffled batches, showing progress, and
   * measures it on both sets.
   *
   * @throws Trainer.DivergedException if the network's output stops being a number
   */
  Result train(Points train, Points test, SplittableRandom random, PrintWriter out) {
    Sequential network = network(hidden, random);
    Adam optimizer = new Adam(network.parameters(), learningRate);
    int[] order = identity(train.size());
    ProgressBar bar = new ProgressBar(out, "training", epochs, ProgressBar.stdoutIsTerminal(),
        System::nanoTime);
    float meanLoss = Float.NaN;
    for (int epoch = 1; epoch <= epochs; epoch++) {
      shuffle(order, random);
      try {
        meanLoss = trainEpoch(network, optimizer, train, order);
      } catch (Trainer.DivergedException e) {
        bar.abandon();
        throw new Trainer.DivergedException(e.getMessage() + " at epoch " + epoch
            + "; try a smaller --lr");
      }
      bar.update(epoch, String.format(Locale.ROOT, "loss %.4f", meanLoss));
    }
    return new Result(network, accuracy(network, train), accuracy(network, test), meanLoss);
  }

  /** One pass over {@code train} in the given order, in batches; returns the mean batch loss. */
  private float trainEpoch(Sequential network, Adam optimizer, Points train, int[] order) {
    BCELoss loss = new BCELoss();
    int batch = Math.min(batchSize, train.size());
    double lossSum = 0;
    int steps = 0;
    for (int start = 0; start < train.size(); start += batch) {
      int rows = Math.min(batch, train.size() - start);
      optimizer.zeroGrad();
      Tensor probability = network.forward(batchInputs(train, order, start, rows));
      requireNumbers(probability.data());
      lossSum += loss.forward(probability, batchLabels(train, order, start, rows));
      network.backward(loss.backward());
      optimizer.step();
      steps++;
    }
    return (float) (lossSum / steps);
  }

  /** Throws when an output is NaN (a sigmoid gives NaN only once the weights are broken). */
  private static void requireNumbers(float[] probability) {
    for (float value : probability) {
      if (Float.isNaN(value)) {
        throw new Trainer.DivergedException("the network's output became NaN");
      }
    }
  }

  /** The fraction of points whose probability is on their label's side of ½. */
  static double accuracy(Module network, Points points) {
    float[] probability = network.forward(points.inputs()).data();
    int correct = 0;
    for (int i = 0; i < points.size(); i++) {
      correct += (probability[i] > 0.5f ? 1 : 0) == points.labels()[i] ? 1 : 0;
    }
    return (double) correct / points.size();
  }

  private JFreeChart chart(Module network, Points train) {
    double[] angle = Charts.linspace(0, 2 * Math.PI, 361);
    double radius = Math.sqrt(RADIUS_SQUARED);
    double[] circleX = new double[angle.length];
    double[] circleY = new double[angle.length];
    for (int i = 0; i < angle.length; i++) {
      circleX[i] = radius * Math.cos(angle[i]);
      circleY[i] = radius * Math.sin(angle[i]);
    }
    return DecisionMap.chart("Decision boundary learnt by a 2-" + hidden + "-" + hidden
        + "-1 ReLU network",
        "shading: the network's probability of class 1; dashed: the true boundary",
        network, -1.1, 1.1, train.x(), train.y(), train.labels(), List.of(
            new Curve("true boundary x² + y² = 0.5", circleX, circleY, Style.DASHED)));
  }

  /** The coordinates of the points order[start..start + rows), as {@code [rows, 2]}. */
  private static Tensor batchInputs(Points points, int[] order, int start, int rows) {
    float[] xy = new float[2 * rows];
    for (int r = 0; r < rows; r++) {
      xy[2 * r] = points.x()[order[start + r]];
      xy[2 * r + 1] = points.y()[order[start + r]];
    }
    return Tensor.of(xy, rows, 2);
  }

  /** The labels of the points order[start..start + rows), as {@code [rows, 1]}. */
  private static Tensor batchLabels(Points points, int[] order, int start, int rows) {
    float[] labels = new float[rows];
    for (int r = 0; r < rows; r++) {
      labels[r] = points.labels()[order[start + r]];
    }
    return Tensor.of(labels, rows, 1);
  }

  private static int[] identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }

  /** Fisher–Yates, from {@code random}. */
  private static void shuffle(int[] order, SplittableRandom random) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
  }

  private static int countOnes(Points points) {
    int ones = 0;
    for (float label : points.labels()) {
      ones += label == 1 ? 1 : 0;
    }
    return ones;
  }

  private void validate() {
    require(points >= 1 && points <= 1_000_000, "--points = " + points
        + ": expected 1 to 1,000,000");
    require(hidden >= 1 && hidden <= 4096, "--hidden = " + hidden + ": expected 1 to 4096");
    require(epochs >= 1, "--epochs = " + epochs + ": expected at least 1");
    require(batchSize >= 1, "--batch-size = " + batchSize + ": expected at least 1");
    require(learningRate > 0 && Float.isFinite(learningRate), "--lr = " + learningRate
        + ": expected a finite number > 0");
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }
}
