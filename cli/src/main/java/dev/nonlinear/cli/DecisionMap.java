package dev.nonlinear.cli;

import dev.nonlinear.cli.plot.Charts;
import dev.nonlinear.cli.plot.Charts.Curve;
import dev.nonlinear.cli.plot.Charts.Style;
import dev.nonlinear.nn.Module;
import dev.nonlinear.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;

/**
 * The picture of a classifier of 2-D points that ends in a sigmoid: its probability of class 1
 * shaded over a grid, with the labelled points on top.
 */
final class DecisionMap {

  /** Grid cells per side: fine enough for a smooth boundary, 40,000 points in one batch. */
  static final int CELLS = 200;

  private DecisionMap() {}

  /**
   * The model's single output at every cell centre of the square [low, high]², as
   * {@code [row][column]} with rows along y; one forward pass over all cells.
   */
  static double[][] probabilities(Module model, double low, double high) {
    double[] axis = centres(low, high);
    float[] points = new float[CELLS * CELLS * 2];
    for (int row = 0; row < CELLS; row++) {
      for (int column = 0; column < CELLS; column++) {
        int cell = row * CELLS + column;
        points[2 * cell] = (float) axis[column];
        points[2 * cell + 1] = (float) axis[row];
      }
    }
    float[] output = model.forward(Tensor.of(points, CELLS * CELLS, 2)).data();

    double[][] probability = new double[CELLS][CELLS];
    for (int row = 0; row < CELLS; row++) {
      for (int column = 0; column < CELLS; column++) {
        probability[row][column] = output[row * CELLS + column];
      }
    }
    return probability;
  }

  /**
   * The chart: {@link #probabilities} over [low, high]², the points {@code (x[i], y[i])} of
   * each label, and {@code lines} (true boundaries) on top.
   */
  static JFreeChart chart(String title, String subtitle, Module model, double low, double high,
      float[] x, float[] y, float[] labels, List<Curve> lines) {
    double[] axis = centres(low, high);
    List<Curve> overlays = new ArrayList<>();
    overlays.add(pointsOf("class 0", x, y, labels, 0f));
    overlays.add(pointsOf("class 1", x, y, labels, 1f));
    overlays.addAll(lines);
    return Charts.probabilityMap(title, subtitle, "x₁", "x₂", axis, axis,
        probabilities(model, low, high), overlays);
  }

  /** The cell centres along one side of [low, high]. */
  static double[] centres(double low, double high) {
    double cell = (high - low) / CELLS;
    return Charts.linspace(low + cell / 2, high - cell / 2, CELLS);
  }

  private static Curve pointsOf(String name, float[] x, float[] y, float[] labels,
      float label) {
    int count = 0;
    for (float value : labels) {
      count += value == label ? 1 : 0;
    }
    double[] xs = new double[count];
    double[] ys = new double[count];
    int next = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == label) {
        xs[next] = x[i];
        ys[next++] = y[i];
      }
    }
    return new Curve(name, xs, ys, Style.POINTS);
  }
}
