package dev.nonlinear.jmh.report;

import dev.nonlinear.jmh.report.Report.FamilyReport;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.Comparator;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * One PNG per family: a horizontal bar per row and comparison, the speed-up of ours on a log axis
 * with bars growing from 1× (to the right: ours faster; to the left: slower). A log axis because
 * the ratios run from a fifth to tens, and 0.5× should look as far from 1× as 2×.
 */
final class RatioCharts {

  private static final int WIDTH = 1000;
  private static final int BAR_HEIGHT = 14;
  private static final int MARGINS = 150;

  /** Colours by comparison, in the tables' column order; easy to tell apart in print too. */
  private static final Color[] SERIES_COLOURS = {new Color(0x4C72B0), new Color(0xDD8452),
      new Color(0x55A868), new Color(0xC44E52), new Color(0x8172B3), new Color(0x937860)};

  private RatioCharts() {
  }

  /** Writes {@code folder/<family>.png}; returns it, or null when the family has no ratio. */
  static Path write(FamilyReport family, Path folder) throws IOException {
    DefaultCategoryDataset ratios = ratios(family);
    if (ratios.getRowCount() == 0) {
      return null;
    }
    Files.createDirectories(folder);
    Path file = folder.resolve(family.family().name() + ".png");
    int height = MARGINS + ratios.getColumnCount() * Math.max(22, ratios.getRowCount()
        * BAR_HEIGHT);
    ChartUtils.saveChartAsPNG(file.toFile(), chart(family, ratios), WIDTH, height);
    return file;
  }

  /**
   * Series: "vs scalar twin", "vs OpenBLAS"... in the tables' column order; categories: the rows
   * that have a ratio, with the thread count when the family has several.
   */
  static DefaultCategoryDataset ratios(FamilyReport family) {
    List<Column> comparisons = family.tables().stream()
        .flatMap(t -> t.comparisons().stream()).distinct()
        .sorted(Comparator.comparing(Column::kind)).toList();
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    boolean severalThreadCounts = family.tables().size() > 1;
    for (FamilyTable table : family.tables()) {
      for (Row row : table.rows()) {
        if (comparisons.stream().allMatch(c -> Double.isNaN(table.speedUp(row, c)))) {
          continue;
        }
        String category = family.family().rowLabel().apply(row)
            + (severalThreadCounts ? " · " + table.threads() + "t" : "");
        for (Column other : comparisons) {
          // Every series gets every category (null where absent) so that the order is fixed.
          double speedUp = table.speedUp(row, other);
          dataset.addValue(Double.isNaN(speedUp) ? null : speedUp, "vs " + other.label(),
              category);
        }
      }
    }
    return dataset;
  }

  private static JFreeChart chart(FamilyReport family, DefaultCategoryDataset ratios) {
    LogAxis speedUp = new LogAxis("speed-up of nonlinear (× ; > 1: nonlinear faster)");
    // Base 2 with one tick per power: 0.25×, 0.5×, 1×, 2×, 4×... (base 10 ticks fall on 1.58×).
    speedUp.setBase(2);
    speedUp.setTickUnit(new NumberTickUnit(1));
    speedUp.setNumberFormatOverride(new DecimalFormat("0.###×"));
    speedUp.setRange(lowerBound(ratios), upperBound(ratios));

    BarRenderer bars = new BarRenderer();
    bars.setBase(1);
    bars.setBarPainter(new StandardBarPainter());
    bars.setShadowVisible(false);
    bars.setItemMargin(0.05);
    bars.setDefaultItemLabelGenerator(
        new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat("0.00×")));
    bars.setDefaultItemLabelsVisible(true);
    // At the bar's far end, so that a label never sits over the next series' bar.
    bars.setDefaultPositiveItemLabelPosition(
        new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
    bars.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    for (int series = 0; series < ratios.getRowCount(); series++) {
      bars.setSeriesPaint(series, SERIES_COLOURS[series % SERIES_COLOURS.length]);
    }

    CategoryAxis rows = new CategoryAxis();
    rows.setMaximumCategoryLabelWidthRatio(0.35f);
    CategoryPlot plot = new CategoryPlot(ratios, rows, speedUp, bars);
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.addRangeMarker(new ValueMarker(1, Color.BLACK, new BasicStroke(1.5f)));

    JFreeChart chart = new JFreeChart(family.family().name() + ": speed-up of nonlinear over each",
        JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  /** Room below the smallest ratio and 1×, for the bars' labels. */
  private static double lowerBound(DefaultCategoryDataset ratios) {
    return Math.min(1, extreme(ratios, false)) / 1.6;
  }

  private static double upperBound(DefaultCategoryDataset ratios) {
    return Math.max(1, extreme(ratios, true)) * 1.6;
  }

  private static double extreme(DefaultCategoryDataset ratios, boolean largest) {
    double extreme = largest ? 0 : Double.POSITIVE_INFINITY;
    for (int r = 0; r < ratios.getRowCount(); r++) {
      for (int c = 0; c < ratios.getColumnCount(); c++) {
        Number value = ratios.getValue(r, c);
        if (value != null) {
          double v = value.doubleValue();
          extreme = largest ? Math.max(extreme, v) : Math.min(extreme, v);
        }
      }
    }
    return extreme;
  }
}
