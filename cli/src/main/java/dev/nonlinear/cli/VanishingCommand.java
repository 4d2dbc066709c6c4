package dev.nonlinear.cli;

import dev.nonlinear.cli.plot.Charts;
import dev.nonlinear.cli.plot.Charts.Curve;
import dev.nonlinear.cli.plot.Charts.Style;
import dev.nonlinear.nn.Init;
import dev.nonlinear.nn.Linear;
import dev.nonlinear.nn.MSELoss;
import dev.nonlinear.nn.Module;
import dev.nonlinear.nn.Parameter;
import dev.nonlinear.nn.ReLU;
import dev.nonlinear.nn.Sequential;
import dev.nonlinear.nn.Sigmoid;
import dev.nonlinear.tensor.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.jfree.chart.JFreeChart;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nonlinear vanishing}: why deep sigmoid networks learn slowly. Plots the sigmoid and
 * ReLU derivatives, then measures the gradient norm of every layer's weight after one backward
 * pass through a deep sigmoid MLP and the same MLP (same weights, same batch) with ReLU.
 */
@Command(name = "vanishing", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Measures vanishing gradients: a deep sigmoid MLP against ReLU (table, PNGs).",
        "Plots the sigmoid and ReLU derivatives (vanishing-derivatives.png), then builds a deep "
            + "MLP twice, with sigmoid and with ReLU between the Linear layers (same weights), "
            + "runs one forward and backward pass of MSELoss on a seeded random batch, and "
            + "prints and plots (vanishing-gradients.png, log scale) the norm of each Linear "
            + "layer's weight gradient."})
final class VanishingCommand implements Callable<Integer> {

  @Option(names = "--layers", defaultValue = "10", description = "Linear layers, at least 2 "
      + "(default: ${DEFAULT-VALUE}).")
  int layers;

  @Option(names = "--width", defaultValue = "32", description = "Inputs and hidden units per "
      + "layer (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--batch-size", defaultValue = "64", description = "Rows of the random batch "
      + "(default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the weights, the batch "
      + "and its targets (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--init", defaultValue = "kaiming", description = "Weight initialisation: "
      + "pytorch (Linear's default, uniform in ±1/√fan_in) or kaiming (He's uniform in "
      + "±√(6/fan_in), zero biases, made for ReLU) (default: ${DEFAULT-VALUE}).")
  Initialisation init;

  @Mixin
  OutputOptions output;

  /** How the Linear layers' weights start. */
  enum Initialisation {
    /** PyTorch's default for Linear: weight and bias uniform in ±1/√fan_in. */
    pytorch,
    /**
     * He et al.'s for ReLU networks (PyTorch's {@code kaiming_uniform_(nonlinearity='relu')}):
     * weight uniform in ±√(6/fan_in), so that the variance of the activations, and of the
     * gradients, stays the same from layer to layer; biases zero.
     */
    kaiming
  }

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** The gradient norms of one network's Linear weights, first layer first. */
  record Measurement(String activation, double[] norms) {}

  @Override
  public Integer call() throws IOException {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    Path folder = output.prepare(spec.commandLine());

    out.println("wrote " + Charts.save(derivativesChart(),
        folder.resolve("vanishing-derivatives.png")));

    Measurement sigmoid = measure("sigmoid", Sigmoid::new, layers, width, batchSize, init,
        seed);
    Measurement relu = measure("ReLU", ReLU::new, layers, width, batchSize, init, seed);
    printTable(out, sigmoid, relu);
    out.println("wrote " + Charts.save(gradientsChart(sigmoid, relu),
        folder.resolve("vanishing-gradients.png")));
    return CommandLine.ExitCode.OK;
  }

  /**
   * One forward and backward pass of MSELoss through {@link #network} with {@code activation}
   * between its Linear layers, on a random batch; returns the L2 norm of each weight gradient.
   * The seed fixes weights, batch and targets, so two activations see the same of each.
   */
  static Measurement measure(String name, Supplier<Module> activation, int layers, int width,
      int batchSize, Initialisation init, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Module network = network(activation, layers, width, init, random.split());
    Tensor batch = normal(random.split(), batchSize, width);
    Tensor targets = normal(random.split(), batchSize, 1);

    MSELoss loss = new MSELoss();
    network.zeroGrad();
    loss.forward(network.forward(batch), targets);
    network.backward(loss.backward());
    return new Measurement(name, weightGradientNorms(network));
  }

  /**
   * {@code layers} Linear layers, {@code width} wide and 1 output at the end, with a new
   * {@code activation} after each but the last, initialised as {@code init} says.
   */
  static Sequential network(Supplier<Module> activation, int layers, int width,
      Initialisation init, SplittableRandom random) {
    Sequential network = new Sequential();
    for (int i = 0; i < layers; i++) {
      boolean last = i == layers - 1;
      Linear linear = new Linear(width, last ? 1 : width, true, random);
      if (init == Initialisation.kaiming) {
        Init.uniform(linear.weight().value(), Math.sqrt(6.0 / width), random);
        linear.bias().value().fill(0f);
      }
      network.add(linear);
      if (!last) {
        network.add(activation.get());
      }
    }
    return network;
  }

  /** ‖∂L/∂W‖₂ of each parameter named {@code *.weight}, in the network's order. */
  static double[] weightGradientNorms(Module network) {
    List<Double> norms = new ArrayList<>();
    for (Map.Entry<String, Parameter> named : network.namedParameters().entrySet()) {
      if (named.getKey().endsWith("weight")) {
        norms.add(norm(named.getValue().grad().data()));
      }
    }
    return norms.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double norm(float[] values) {
    double sumOfSquares = 0;
    for (float value : values) {
      sumOfSquares += (double) value * value;
    }
    return Math.sqrt(sumOfSquares);
  }

  private static Tensor normal(SplittableRandom random, int rows, int columns) {
    Tensor tensor = Tensor.zeros(rows, columns);
    Init.normal(tensor, 0, 1, random);
    return tensor;
  }

  private void printTable(PrintWriter out, Measurement sigmoid, Measurement relu) {
    out.printf(Locale.ROOT, "gradient norm ‖∂L/∂W‖ per Linear layer after one backward pass "
        + "(%d layers, width %d, batch %d, %s init, seed %d)%n", layers, width, batchSize,
        init, seed);
    out.printf(Locale.ROOT, "%5s  %14s  %14s%n", "layer", "sigmoid", "ReLU");
    for (int i = 0; i < sigmoid.norms().length; i++) {
      out.printf(Locale.ROOT, "%5d  %14.4e  %14.4e%n", i + 1, sigmoid.norms()[i],
          relu.norms()[i]);
    }
    out.printf(Locale.ROOT, "first / last layer: sigmoid %.2e, ReLU %.2e%n",
        ratio(sigmoid), ratio(relu));
  }

  private static double ratio(Measurement measurement) {
    double[] norms = measurement.norms();
    return norms[0] / norms[norms.length - 1];
  }

  private static JFreeChart derivativesChart() {
    float[] x = ActivationsCommand.grid();
    double[] xs = Charts.toDoubles(x);
    return Charts.lines("The derivatives that backpropagation multiplies, layer by layer",
        "each sigmoid layer scales the gradient by at most ¼; an active ReLU passes it unchanged",
        "x", "f′(x)", List.of(
            new Curve("sigmoid′(x), at most 0.25", xs,
                Charts.toDoubles(ActivationFunction.SIGMOID.derivatives(x)), Style.SOLID),
            new Curve("ReLU′(x), 1 for x > 0", xs,
                Charts.toDoubles(ActivationFunction.RELU.derivatives(x)), Style.SOLID)));
  }

  private JFreeChart gradientsChart(Measurement sigmoid, Measurement relu) {
    double[] layerNumbers = new double[sigmoid.norms().length];
    for (int i = 0; i < layerNumbers.length; i++) {
      layerNumbers[i] = i + 1;
    }
    JFreeChart chart = Charts.lines("Gradient norm per layer after one backward pass",
        "the same " + layerNumbers.length + "-layer MLP (" + init + " init) and batch, "
            + "sigmoid or ReLU between the Linear layers; layer 1 is next to the input",
        "Linear layer", "‖∂L/∂W‖ (log scale)", List.of(
            new Curve("sigmoid", layerNumbers, sigmoid.norms(), Style.MARKED),
            new Curve("ReLU", layerNumbers, relu.norms(), Style.MARKED)));
    Charts.logarithmicRange(chart);
    Charts.integerDomain(chart);
    return chart;
  }

  private void validate() {
    require(layers >= 2 && layers <= 100, "--layers = " + layers + ": expected 2 to 100");
    require(width >= 1 && width <= 4096, "--width = " + width + ": expected 1 to 4096");
    require(batchSize >= 1 && batchSize <= 65536, "--batch-size = " + batchSize
        + ": expected 1 to 65536");
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }
}
