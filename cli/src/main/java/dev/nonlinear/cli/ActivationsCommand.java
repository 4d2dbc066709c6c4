package dev.nonlinear.cli;

import dev.nonlinear.cli.plot.Charts;
import dev.nonlinear.cli.plot.Charts.Curve;
import dev.nonlinear.cli.plot.Charts.Style;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.DoubleUnaryOperator;
import org.jfree.chart.JFreeChart;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code nonlinear activations}: every activation of the library and its derivative, computed by
 * the library's own forward and backward kernels, drawn as PNGs; plus ReLU, sigmoid and tanh side
 * by side, and a linear function beside two non-linear ones.
 */
@Command(name = "activations", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Plots every activation and its derivative, from the library's kernels (PNGs).",
        "Plots each activation of the library with its derivative, both computed by the "
            + "library's kernels (forward, and backward with an upstream gradient of 1), to "
            + "DIR/activations/<name>.png; ReLU, sigmoid and tanh side by side to "
            + "relu-sigmoid-tanh.png; 2x + 1 against sin x and x² + 3x + 1 to "
            + "linear-vs-nonlinear.png.",
        "Nothing is random here, so there is no --seed."})
final class ActivationsCommand implements Callable<Integer> {

  /** The plotted range of x: wide enough to show every kink (Hardswish's are at ±3). */
  static final float X_MIN = -5;
  static final float X_MAX = 5;

  /** Points per unit of x: a step of 0.01, with x = 0 and the kinks at ±1, ±3 on the grid. */
  static final int POINTS_PER_UNIT = 100;

  private static final int PANEL_WIDTH = 600;
  private static final int PANEL_HEIGHT = 450;

  @Mixin
  OutputOptions output;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Path folder = output.prepare("activations", spec.commandLine());
    float[] x = grid();

    for (ActivationFunction function : ActivationFunction.values()) {
      report(out, Charts.save(chart(function, x), folder.resolve(function.fileName() + ".png")));
    }
    report(out, saveReluSigmoidTanh(x, folder.resolve("relu-sigmoid-tanh.png")));
    report(out, saveLinearVersusNonLinear(folder.resolve("linear-vs-nonlinear.png")));
    return CommandLine.ExitCode.OK;
  }

  /** x from {@link #X_MIN} to {@link #X_MAX} in steps of 1/{@link #POINTS_PER_UNIT}. */
  static float[] grid() {
    int n = Math.round((X_MAX - X_MIN) * POINTS_PER_UNIT) + 1;
    float[] x = new float[n];
    int first = Math.round(X_MIN * POINTS_PER_UNIT);
    for (int i = 0; i < n; i++) {
      // An integer over 100, rounded once: 0 and the kinks come out exact.
      x[i] = (float) (first + i) / POINTS_PER_UNIT;
    }
    return x;
  }

  /**
   * The two curves drawn for {@code function}: f(x) from the forward kernel (solid) and f′(x)
   * from the backward kernel (dashed), in that order.
   */
  static List<Curve> curves(ActivationFunction function, float[] x) {
    double[] xs = Charts.toDoubles(x);
    return List.of(
        new Curve("f(x)", xs, Charts.toDoubles(function.values(x)), Style.SOLID),
        new Curve("f′(x)", xs, Charts.toDoubles(function.derivatives(x)), Style.DASHED));
  }

  /** One activation's chart: name as title, formulas as subtitle. */
  static JFreeChart chart(ActivationFunction function, float[] x) {
    return Charts.lines(function.label(), function.formulas(), "x", "f(x) and f′(x)",
        curves(function, x));
  }

  private static Path saveReluSigmoidTanh(float[] x, Path file) throws IOException {
    List<JFreeChart> panels = new ArrayList<>();
    for (ActivationFunction function : List.of(ActivationFunction.RELU,
        ActivationFunction.SIGMOID, ActivationFunction.TANH)) {
      panels.add(chart(function, x));
    }
    return Charts.saveGrid("ReLU, sigmoid and tanh: the function (solid) and its derivative "
        + "(dashed)", panels, 3, PANEL_WIDTH, PANEL_HEIGHT, file);
  }

  private static Path saveLinearVersusNonLinear(Path file) throws IOException {
    double[] x = Charts.linspace(-5, 5, 1001);
    List<JFreeChart> panels = List.of(
        single("Linear", "a straight line: the slope is 2 everywhere", "2x + 1", x,
            v -> 2 * v + 1),
        single("Non-linear", "the slope changes: cos x", "sin x", x, Math::sin),
        single("Non-linear", "the slope changes: 2x + 3", "x² + 3x + 1", x,
            v -> v * v + 3 * v + 1));
    return Charts.saveGrid("A linear function against two non-linear ones", panels, 3,
        PANEL_WIDTH, PANEL_HEIGHT, file);
  }

  private static JFreeChart single(String title, String subtitle, String name, double[] x,
      DoubleUnaryOperator f) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = f.applyAsDouble(x[i]);
    }
    return Charts.lines(title + ": " + name, subtitle, "x", "f(x)",
        List.of(new Curve("f(x) = " + name, x, y, Style.SOLID)));
  }

  private static void report(PrintWriter out, Path file) {
    out.println("wrote " + file);
  }
}
