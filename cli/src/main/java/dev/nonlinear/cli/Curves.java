package dev.nonlinear.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayDeque;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Training curves as PNG line charts (JFreeChart, drawn headless). */
final class Curves {

  /** Size of a written chart, in pixels. */
  static final int WIDTH = 900;
  static final int HEIGHT = 600;

  /** Most batches in the running mean of the loss; fewer when an epoch has few batches. */
  static final int MAX_SMOOTHING_WINDOW = 50;

  private static final Color STEP_COLOR = new Color(0xc6dbef);
  private static final Color SMOOTH_COLOR = new Color(0x4292c6);
  private static final Color EPOCH_COLOR = new Color(0x08519c);
  private static final Color TEST_COLOR = new Color(0xd94801);
  private static final Color GRID_COLOR = new Color(0xdddddd);
  private static final double POINT_RADIUS = 4;

  private Curves() {}

  /**
   * The classifier's curves, one panel above the other over a shared epoch axis: the loss of
   * every batch (light), its running mean (so the trend shows through the noise of single
   * batches) and each epoch's mean loss (dark, at the epoch's end); then the test accuracy
   * after each epoch.
   */
  static void writeClassifierCurves(List<Trainer.EpochResult> epochs,
      double[] testAccuracyPercent, Path file) throws IOException {
    int window = Math.clamp(epochs.getFirst().stepLosses().length / 10, 1, MAX_SMOOTHING_WINDOW);
    XYSeries stepLoss = new XYSeries("batch loss");
    XYSeries smoothLoss = new XYSeries("running mean of " + window + " batches");
    XYSeries epochLoss = new XYSeries("mean loss of the epoch");
    XYSeries accuracy = new XYSeries("test accuracy");
    double windowSum = 0;
    ArrayDeque<Float> inWindow = new ArrayDeque<>();
    for (int e = 0; e < epochs.size(); e++) {
      float[] losses = epochs.get(e).stepLosses();
      for (int i = 0; i < losses.length; i++) {
        double x = e + (i + 1.0) / losses.length;
        stepLoss.add(x, losses[i]);
        inWindow.addLast(losses[i]);
        windowSum += losses[i];
        if (inWindow.size() > window) {
          windowSum -= inWindow.removeFirst();
        }
        if (inWindow.size() == window) {
          smoothLoss.add(x, windowSum / window);
        }
      }
      epochLoss.add(e + 1, epochs.get(e).meanLoss());
      accuracy.add(e + 1, testAccuracyPercent[e]);
    }

    XYPlot lossPlot = plot(new NumberAxis("cross-entropy loss"), stepLoss, smoothLoss,
        epochLoss);
    XYLineAndShapeRenderer lossRenderer = (XYLineAndShapeRenderer) lossPlot.getRenderer();
    lossRenderer.setSeriesPaint(0, STEP_COLOR);
    lossRenderer.setSeriesShapesVisible(0, false);
    lossRenderer.setSeriesStroke(0, new BasicStroke(1f));
    lossRenderer.setSeriesPaint(1, SMOOTH_COLOR);
    lossRenderer.setSeriesShapesVisible(1, false);
    lossRenderer.setSeriesStroke(1, new BasicStroke(1.5f));
    lossRenderer.setSeriesPaint(2, EPOCH_COLOR);
    ((NumberAxis) lossPlot.getRangeAxis()).setAutoRangeIncludesZero(true);
    XYPlot accuracyPlot = plot(new NumberAxis("test accuracy (%)"), accuracy);
    accuracyPlot.getRenderer().setSeriesPaint(0, TEST_COLOR);
    NumberAxis accuracyAxis = (NumberAxis) accuracyPlot.getRangeAxis();
    accuracyAxis.setAutoRangeIncludesZero(false);
    // One epoch gives one point: without a least span the axis collapses onto it and every
    // tick reads the same value in scientific notation.
    accuracyAxis.setAutoRangeMinimumSize(2.0);
    accuracyAxis.setNumberFormatOverride(new DecimalFormat("0.#"));

    CombinedDomainXYPlot combined = new CombinedDomainXYPlot(epochAxis(epochs.size()));
    combined.setGap(12);
    combined.add(lossPlot, 3);
    combined.add(accuracyPlot, 2);
    save(chart("Training the 28×28 CNN on Fashion-MNIST", combined), file);
  }

  /**
   * Loss per epoch: {@code trainLoss[e]} is the mean over epoch e + 1, {@code testLoss[e]} the
   * test loss after e epochs (so {@code testLoss[0]} is the untrained network's), with a dashed
   * horizontal line at {@code baseline} (what a trivial predictor scores) named
   * {@code baselineLabel}.
   */
  static void writeLossPerEpoch(String title, String lossName, double[] trainLoss,
      double[] testLoss, double baseline, String baselineLabel, Path file) throws IOException {
    XYSeries train = new XYSeries("training loss (mean over the epoch)");
    XYSeries test = new XYSeries("test loss (after the epoch; at 0 untrained)");
    for (int e = 0; e < trainLoss.length; e++) {
      train.add(e + 1, trainLoss[e]);
    }
    for (int e = 0; e < testLoss.length; e++) {
      test.add(e, testLoss[e]);
    }
    XYPlot plot = plot(new NumberAxis(lossName), train, test);
    plot.setDomainAxis(epochAxis(trainLoss.length));
    plot.getRenderer().setSeriesPaint(0, EPOCH_COLOR);
    plot.getRenderer().setSeriesPaint(1, TEST_COLOR);
    ValueMarker marker = new ValueMarker(baseline, Color.GRAY, new BasicStroke(1.5f,
        BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    marker.setLabel(baselineLabel);
    marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    marker.setLabelBackgroundColor(new Color(255, 255, 255, 0));
    marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
    marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
    plot.addRangeMarker(marker);
    // The marker is not a series: make sure the axis reaches it.
    NumberAxis range = (NumberAxis) plot.getRangeAxis();
    range.setAutoRangeIncludesZero(true);
    double top = Math.max(baseline, Math.max(max(trainLoss), max(testLoss))) * 1.08;
    range.setRange(0, top);
    save(chart(title, plot), file);
  }

  /** A panel of lines with round points, white background and light grid. */
  private static XYPlot plot(NumberAxis rangeAxis, XYSeries... series) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (XYSeries s : series) {
      data.addSeries(s);
    }
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    Ellipse2D point = new Ellipse2D.Double(-POINT_RADIUS, -POINT_RADIUS, 2 * POINT_RADIUS,
        2 * POINT_RADIUS);
    for (int i = 0; i < series.length; i++) {
      renderer.setSeriesShape(i, point);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    rangeAxis.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(data, null, rangeAxis, renderer);
    // Later series on top: the summaries over the raw batch losses.
    plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(GRID_COLOR);
    plot.setRangeGridlinePaint(GRID_COLOR);
    return plot;
  }

  /**
   * Epochs from 0 to {@code epochs}, whole numbers only, with room at both ends for the round
   * points drawn there.
   */
  private static NumberAxis epochAxis(int epochs) {
    NumberAxis axis = new NumberAxis("epoch");
    axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    double margin = Math.max(1, epochs) * 0.02;
    axis.setRange(-margin, Math.max(1, epochs) + margin);
    return axis;
  }

  private static JFreeChart chart(String title, XYPlot plot) {
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot,
        true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  private static void save(JFreeChart chart, Path file) throws IOException {
    ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
  }

  private static double max(double[] values) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      max = Math.max(max, v);
    }
    return max;
  }
}
