package dev.nonlinear.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The chart code the plotting commands share: line charts of named curves, a probability map
 * with points on it, side-by-side figures, and PNG output. One look for all of them: white
 * background, light grid, legend below, 900 × 600 pixels unless said otherwise.
 */
public final class Charts {

  static {
    // Before any AWT class loads: no display is needed (servers, CI).
    System.setProperty("java.awt.headless", "true");
  }

  /** The default picture size, in pixels. */
  public static final int WIDTH = 900;
  public static final int HEIGHT = 600;

  /** Curve colours in order: blue, orange, green, red, purple. */
  private static final Color[] PALETTE = {
      new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
      new Color(0x9467bd)};

  private static final Color GRID = new Color(0xdddddd);
  private static final Color SAMPLES = new Color(0x8c8c8c);
  private static final Font HEADING = new Font(Font.SANS_SERIF, Font.BOLD, 22);
  private static final int HEADING_HEIGHT = 44;
  private static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
  private static final Font AXIS_LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
  private static final Font TICK_LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  private static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 14);

  private Charts() {}

  /** How a curve is drawn. */
  public enum Style {
    /** A solid line (a function). */
    SOLID,
    /** A dashed line (a derivative, a reference). */
    DASHED,
    /** A solid line with a marker at each point (few points, each one measured). */
    MARKED,
    /** Markers only, outlined (labelled samples on a shaded map). */
    POINTS,
    /** Small grey dots only (many samples under a curve); takes no palette colour. */
    DOTS
  }

  /** A named curve through the points {@code (x[i], y[i])}. */
  public record Curve(String name, double[] x, double[] y, Style style) {
    public Curve {
      if (x.length != y.length) {
        throw new IllegalArgumentException("curve '" + name + "': " + x.length + " x values, "
            + y.length + " y values");
      }
    }
  }

  /**
   * A line chart of {@code curves}, coloured in order (later ones drawn on top; {@link
   * Style#DOTS} grey), with a title, an optional subtitle (null for none; a formula, say), axis
   * labels, a grid and a legend.
   */
  public static JFreeChart lines(String title, String subtitle, String xLabel, String yLabel,
      List<Curve> curves) {
    XYSeriesCollection dataset = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = lineRenderer();
    int coloured = 0;
    for (int i = 0; i < curves.size(); i++) {
      Curve curve = curves.get(i);
      dataset.addSeries(series(curve));
      Color colour = curve.style() == Style.DOTS ? SAMPLES
          : PALETTE[coloured++ % PALETTE.length];
      style(renderer, i, curve.style(), colour);
    }
    XYPlot plot = new XYPlot(dataset, axis(xLabel), axis(yLabel), renderer);
    // Later curves on top: a derivative over its function, a target over the fit.
    plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
    return framed(title, subtitle, plot);
  }

  /** Switches the chart's y axis to a base-10 logarithmic scale (for values over decades). */
  public static void logarithmicRange(JFreeChart chart) {
    XYPlot plot = chart.getXYPlot();
    LogAxis log = new LogAxis(plot.getRangeAxis().getLabel());
    log.setLabelFont(AXIS_LABEL);
    log.setTickLabelFont(TICK_LABEL);
    log.setBase(10);
    log.setSmallestValue(1e-30);
    log.setTickUnit(new NumberTickUnit(1));
    log.setNumberFormatOverride(new DecimalFormat("0.#E0"));
    plot.setRangeAxis(log);
  }

  /** Ticks of the chart's x axis on whole numbers only (layer numbers, epochs). */
  public static void integerDomain(JFreeChart chart) {
    chart.getXYPlot().getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
  }

  /**
   * A map of {@code probability[row][column]} over the grid of cell centres
   * {@code (xs[column], ys[row])} (evenly spaced), shaded blue (0) through white (0.5) to red
   * (1), with the {@code overlays} drawn on top and a colour bar. Overlays in {@link Style#POINTS}
   * are the classes' samples: the first such curve is drawn blue (class 0), the second red
   * (class 1); line overlays (a true boundary, say) are drawn black.
   */
  public static JFreeChart probabilityMap(String title, String subtitle, String xLabel,
      String yLabel, double[] xs, double[] ys, double[][] probability, List<Curve> overlays) {
    XYPlot plot = new XYPlot();
    plot.setDomainAxis(axis(xLabel));
    plot.setRangeAxis(axis(yLabel));

    // The plot draws the dataset of highest index first: the shading goes last in the list.
    XYSeriesCollection lines = new XYSeriesCollection();
    XYLineAndShapeRenderer lineRenderer = lineRenderer();
    int classes = 0;
    for (int i = 0; i < overlays.size(); i++) {
      Curve curve = overlays.get(i);
      lines.addSeries(series(curve));
      boolean points = curve.style() == Style.POINTS;
      Color colour = !points ? Color.BLACK
          : classes++ == 0 ? DivergingScale.LOW : DivergingScale.HIGH;
      style(lineRenderer, i, curve.style(), colour);
    }
    plot.setDataset(0, lines);
    plot.setRenderer(0, lineRenderer);

    PaintScale scale = new DivergingScale();
    plot.setDataset(1, grid(xs, ys, probability));
    plot.setRenderer(1, blocks(xs, ys, scale));

    JFreeChart chart = framed(title, subtitle, plot);
    chart.addSubtitle(colourBar(scale));
    plot.getDomainAxis().setRange(xs[0] - (xs[1] - xs[0]) / 2,
        xs[xs.length - 1] + (xs[1] - xs[0]) / 2);
    plot.getRangeAxis().setRange(ys[0] - (ys[1] - ys[0]) / 2,
        ys[ys.length - 1] + (ys[1] - ys[0]) / 2);
    return chart;
  }

  /** Writes {@code chart} as a {@value #WIDTH} × {@value #HEIGHT} PNG, creating folders. */
  public static Path save(JFreeChart chart, Path file) throws IOException {
    return save(chart, file, WIDTH, HEIGHT);
  }

  /** Writes {@code chart} as a {@code width × height} PNG, creating folders. */
  public static Path save(JFreeChart chart, Path file, int width, int height)
      throws IOException {
    createParent(file);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
    return file;
  }

  /**
   * Writes {@code panels} side by side, each {@code panelWidth × panelHeight}, in rows of
   * {@code columns}, under {@code heading}, as one PNG.
   */
  public static Path saveGrid(String heading, List<JFreeChart> panels, int columns,
      int panelWidth, int panelHeight, Path file) throws IOException {
    int rows = (panels.size() + columns - 1) / columns;
    BufferedImage image = new BufferedImage(columns * panelWidth,
        HEADING_HEIGHT + rows * panelHeight, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      drawHeading(g, heading, image.getWidth());
      for (int i = 0; i < panels.size(); i++) {
        Rectangle2D area = new Rectangle2D.Double(i % columns * panelWidth,
            HEADING_HEIGHT + i / columns * panelHeight, panelWidth, panelHeight);
        panels.get(i).draw(g, area);
      }
    } finally {
      g.dispose();
    }
    createParent(file);
    ImageIO.write(image, "png", file.toFile());
    return file;
  }

  /** {@code n} evenly spaced values from {@code from} to {@code to}, both included. */
  public static double[] linspace(double from, double to, int n) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = n == 1 ? from : from + (to - from) * i / (n - 1);
    }
    return values;
  }

  /** The values widened to double, for plotting float results. */
  public static double[] toDoubles(float[] values) {
    double[] wide = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      wide[i] = values[i];
    }
    return wide;
  }

  private static void drawHeading(Graphics2D g, String heading, int width) {
    g.setColor(Color.BLACK);
    g.setFont(HEADING);
    int textWidth = g.getFontMetrics().stringWidth(heading);
    g.drawString(heading, (width - textWidth) / 2, HEADING_HEIGHT - 12);
  }

  private static XYSeries series(Curve curve) {
    // Not sorted, duplicates allowed: a closed curve (a circle) keeps its order.
    XYSeries series = new XYSeries(curve.name(), false, true);
    for (int i = 0; i < curve.x().length; i++) {
      series.add(curve.x()[i], curve.y()[i], false);
    }
    return series;
  }

  private static XYLineAndShapeRenderer lineRenderer() {
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
    // One path per curve, so that a dash pattern runs along it instead of restarting (and so
    // looking solid) at each of a thousand short segments.
    renderer.setDrawSeriesLineAsPath(true);
    return renderer;
  }

  private static void style(XYLineAndShapeRenderer renderer, int i, Style style, Color colour) {
    boolean markersOnly = style == Style.POINTS || style == Style.DOTS;
    renderer.setSeriesPaint(i, colour);
    renderer.setSeriesLinesVisible(i, !markersOnly);
    renderer.setSeriesShapesVisible(i, style != Style.SOLID && style != Style.DASHED);
    renderer.setSeriesStroke(i, style == Style.DASHED
        ? new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
            new float[] {9f, 6f}, 0f)
        : new BasicStroke(2.5f));
    double size = style == Style.DOTS ? 4 : 7;
    renderer.setSeriesShape(i, new Ellipse2D.Double(-size / 2, -size / 2, size, size));
    if (style == Style.POINTS) {
      renderer.setUseOutlinePaint(true);
      renderer.setSeriesOutlinePaint(i, Color.BLACK);
      renderer.setSeriesOutlineStroke(i, new BasicStroke(0.6f));
    }
  }

  private static NumberAxis axis(String label) {
    NumberAxis axis = new NumberAxis(label);
    axis.setLabelFont(AXIS_LABEL);
    axis.setTickLabelFont(TICK_LABEL);
    axis.setAutoRangeIncludesZero(false);
    // A margin at both ends even where the data stops at 0 (ReLU), so no curve runs on a border.
    axis.setAutoRangeStickyZero(false);
    return axis;
  }

  private static JFreeChart framed(String title, String subtitle, XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setDomainGridlineStroke(new BasicStroke(1f));
    plot.setRangeGridlineStroke(new BasicStroke(1f));
    plot.setOutlinePaint(Color.GRAY);
    plot.setAxisOffset(RectangleInsets.ZERO_INSETS);

    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.getLegend().setFrame(BlockBorder.NONE);
    chart.getLegend().setItemFont(LEGEND);
    if (subtitle != null) {
      chart.addSubtitle(0, new TextTitle(subtitle, SUBTITLE));
    }
    return chart;
  }

  private static DefaultXYZDataset grid(double[] xs, double[] ys, double[][] values) {
    int cells = xs.length * ys.length;
    double[][] xyz = new double[3][cells];
    for (int row = 0; row < ys.length; row++) {
      for (int column = 0; column < xs.length; column++) {
        int cell = row * xs.length + column;
        xyz[0][cell] = xs[column];
        xyz[1][cell] = ys[row];
        xyz[2][cell] = values[row][column];
      }
    }
    DefaultXYZDataset dataset = new DefaultXYZDataset();
    dataset.addSeries("probability", xyz);
    return dataset;
  }

  private static XYBlockRenderer blocks(double[] xs, double[] ys, PaintScale scale) {
    XYBlockRenderer renderer = new XYBlockRenderer();
    renderer.setBlockWidth(xs[1] - xs[0]);
    renderer.setBlockHeight(ys[1] - ys[0]);
    renderer.setPaintScale(scale);
    renderer.setDefaultSeriesVisibleInLegend(false);
    return renderer;
  }

  private static PaintScaleLegend colourBar(PaintScale scale) {
    NumberAxis axis = new NumberAxis("probability of class 1");
    axis.setRange(0, 1);
    PaintScaleLegend legend = new PaintScaleLegend(scale, axis);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setMargin(new RectangleInsets(10, 10, 10, 10));
    legend.setStripWidth(14);
    legend.setAxisOffset(4);
    return legend;
  }

  /**
   * 0 → pale blue, 0.5 → white, 1 → pale red, linear in between; values outside are clamped.
   * The ends are paler than the points' colours, so points stay visible on their own side.
   */
  private static final class DivergingScale implements PaintScale {

    /** How far the shading goes towards the points' colours at 0 and 1. */
    private static final double DEPTH = 0.55;

    static final Color LOW = new Color(0x2166ac);
    static final Color HIGH = new Color(0xb2182b);

    @Override
    public double getLowerBound() {
      return 0;
    }

    @Override
    public double getUpperBound() {
      return 1;
    }

    @Override
    public Paint getPaint(double value) {
      double p = Double.isNaN(value) ? 0.5 : Math.min(1, Math.max(0, value));
      Color end = p < 0.5 ? LOW : HIGH;
      double towardsEnd = Math.abs(p - 0.5) * 2 * DEPTH;
      return new Color(mix(255, end.getRed(), towardsEnd), mix(255, end.getGreen(), towardsEnd),
          mix(255, end.getBlue(), towardsEnd));
    }

    private static int mix(int from, int to, double fraction) {
      return (int) Math.round(from + (to - from) * fraction);
    }
  }

  private static void createParent(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
  }
}
