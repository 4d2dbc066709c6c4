package dev.nonlinear.cli;

import dev.nonlinear.cli.plot.Charts;
import dev.nonlinear.cli.plot.Charts.Curve;
import dev.nonlinear.cli.plot.Charts.Style;
import dev.nonlinear.nn.Adam;
import dev.nonlinear.nn.Linear;
import dev.nonlinear.nn.MSELoss;
import dev.nonlinear.nn.Module;
import dev.nonlinear.nn.ReLU;
import dev.nonlinear.nn.Sequential;
import dev.nonlinear.nn.Tanh;
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
 * {@code nonlinear approximate}: universal approximation at work. One hidden layer of tanh (or
 * ReLU) units fits sin x on [−π, π] from seeded random samples.
 */
@Command(name = "approximate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Fits sin x with one hidden layer and plots the fit (PNG).",
        "Fits Sequential(Linear(1, H), Tanh or ReLU, Linear(H, 1)) to sin x on [-π, π] from "
            + "seeded random samples with MSELoss and Adam (full batch), prints the final "
            + "mean squared error on the samples and on an even grid, and plots the network "
            + "against sin x (approximate.png)."})
final class ApproximateCommand implements Callable<Integer> {

  /** Points of the even grid the fit is measured and drawn on. */
  static final int GRID_POINTS = 1001;

  /** The hidden layer's activation. */
  enum Activation {
    tanh, relu;

    Module layer() {
      return this == tanh ? new Tanh() : new ReLU();
    }
  }

  @Option(names = "--hidden", defaultValue = "32", description = "Hidden units "
      + "(default: ${DEFAULT-VALUE}).")
  int hidden;

  @Option(names = "--activation", defaultValue = "tanh", description = "tanh or relu "
      + "(default: ${DEFAULT-VALUE}).")
  Activation activation;

  @Option(names = "--points", defaultValue = "200", description = "Random samples of sin x "
      + "(default: ${DEFAULT-VALUE}).")
  int points;

  @Option(names = "--epochs", defaultValue = "1000", description = "Full-batch Adam steps "
      + "(default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--lr", defaultValue = "0.01", description = "Adam's learning rate "
      + "(default: ${DEFAULT-VALUE}).")
  float learningRate;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the samples and the "
      + "weights (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin
  OutputOptions output;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** The fitted network, its MSE on the samples and on the even grid. */
  record Fit(Module network, double sampleMse, double gridMse) {}

  @Override
  public Integer call() throws IOException {
    validate();
    Path picture = output.prepare(spec.commandLine()).resolve("approximate.png");
    PrintWriter out = spec.commandLine().getOut();
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = samples(points, random.split());

    Fit fit;
    try {
      fit = fit(x, random.split(), out);
    } catch (Trainer.DivergedException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return Main.EXIT_DIVERGED;
    }
    out.printf(Locale.ROOT, "final MSE: %.3e on the %d samples, %.3e on %d even points of "
        + "[-π, π]%n", fit.sampleMse(), points, fit.gridMse(), GRID_POINTS);
    out.println("wrote " + savePicture(fit, x, picture));
    return CommandLine.ExitCode.OK;
  }

  /** {@code n} points uniform in [−π, π]. */
  static float[] samples(int n, SplittableRandom random) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) random.nextDouble(-Math.PI, Math.PI);
    }
    return x;
  }

  /** sin of each value, rounded to float. */
  static float[] sin(float[] x) {
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = (float) Math.sin(x[i]);
    }
    return y;
  }

  /** Linear(1, hidden), the activation, Linear(hidden, 1). */
  Sequential network(SplittableRandom random) {
    Sequential network = new Sequential(new Linear(1, hidden, true, random),
        activation.layer(), new Linear(hidden, 1, true, random));
    network.inputGradientNeeded(false);
    return network;
  }

  /**
   * Full-batch Adam on MSE against sin x at the samples {@code x}, showing progress.
   *
   * @throws Trainer.DivergedException if the loss stops being a finite number
   */
  Fit fit(float[] x, SplittableRandom random, PrintWriter out) {
    Sequential network = network(random);
    Tensor inputs = Tensor.of(x.clone(), x.length, 1);
    Tensor targets = Tensor.of(sin(x), x.length, 1);
    Adam optimizer = new Adam(network.parameters(), learningRate);
    MSELoss loss = new MSELoss();
    ProgressBar bar = new ProgressBar(out, "fitting", epochs, ProgressBar.stdoutIsTerminal(),
        System::nanoTime);
    for (int epoch = 1; epoch <= epochs; epoch++) {
      optimizer.zeroGrad();
      float value = loss.forward(network.forward(inputs), targets);
      if (!Float.isFinite(value)) {
        bar.abandon();
        throw new Trainer.DivergedException("the loss became " + value + " at epoch " + epoch
            + "; try a smaller --lr");
      }
      network.backward(loss.backward());
      optimizer.step();
      bar.update(epoch, String.format(Locale.ROOT, "MSE %.2e", value));
    }
    return new Fit(network, mse(network, x), mse(network, grid()));
  }

  /** The network's mean squared error against sin at {@code x}, summed in double. */
  static double mse(Module network, float[] x) {
    float[] prediction = network.forward(Tensor.of(x.clone(), x.length, 1)).data();
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      double error = prediction[i] - Math.sin(x[i]);
      sum += error * error;
    }
    return sum / x.length;
  }

  /** {@link #GRID_POINTS} even points from −π to π. */
  static float[] grid() {
    double[] even = Charts.linspace(-Math.PI, Math.PI, GRID_POINTS);
    float[] x = new float[even.length];
    for (int i = 0; i < even.length; i++) {
      x[i] = (float) even[i];
    }
    return x;
  }

  /** The fit over the samples and sin x, above the error of the fit. */
  private Path savePicture(Fit fit, float[] samples, Path file) throws IOException {
    float[] x = grid();
    float[] prediction = fit.network().forward(Tensor.of(x.clone(), x.length, 1)).data();
    double[] xs = Charts.toDoubles(x);
    double[] target = Charts.toDoubles(sin(x));
    double[] error = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      error[i] = prediction[i] - Math.sin(x[i]);
    }

    JFreeChart fitted = Charts.lines("The network against sin x", String.format(Locale.ROOT,
        "one hidden layer of %d %s units; %d random samples, %d Adam steps", hidden,
        activation, points, epochs), "x", "y", List.of(
            new Curve("samples", Charts.toDoubles(samples), Charts.toDoubles(sin(samples)),
                Style.DOTS),
            new Curve("network", xs, Charts.toDoubles(prediction), Style.SOLID),
            new Curve("sin x (target)", xs, target, Style.DASHED)));
    JFreeChart errors = Charts.lines("Error of the fit", String.format(Locale.ROOT,
        "mean squared error %.2e on %d even points", fit.gridMse(), GRID_POINTS), "x",
        "network(x) − sin x", List.of(new Curve("error", xs, error, Style.SOLID)));
    return Charts.saveGrid("Universal approximation: a one-hidden-layer network fits sin x",
        List.of(fitted, errors), 1, Charts.WIDTH, 450, file);
  }

  private void validate() {
    require(hidden >= 1 && hidden <= 4096, "--hidden = " + hidden + ": expected 1 to 4096");
    require(points >= 1 && points <= 1_000_000, "--points = " + points
        + ": expected 1 to 1,000,000");
    require(epochs >= 1, "--epochs = " + epochs + ": expected at least 1");
    require(learningRate > 0 && Float.isFinite(learningRate), "--lr = " + learningRate
        + ": expected a finite number > 0");
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }
}
