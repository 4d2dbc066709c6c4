package dev.nonlinear.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A confusion matrix as a PNG heat map: one row per true class, one column per predicted class,
 * each cell holding its count and shaded by the share of its row (so a class with few images is
 * as readable as one with many), with each row's recall at the right.
 */
final class ConfusionPicture {

  private static final int CELL = 58;
  private static final int LEFT = 150;
  private static final int TOP = 150;
  private static final int RIGHT = 90;
  private static final int BOTTOM = 30;
  private static final Color EMPTY = Color.WHITE;
  private static final Color FULL = new Color(0x08306b);
  private static final Color GRID = new Color(0xcccccc);

  private ConfusionPicture() {}

  /** Draws {@code counts[true][predicted]} with the class {@code names} and a title. */
  static void write(int[][] counts, List<String> names, String title, Path file)
      throws IOException {
    int classes = names.size();
    int width = LEFT + classes * CELL + RIGHT;
    int height = TOP + classes * CELL + BOTTOM;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);

      drawTitles(g, title, width, classes);
      drawClassNames(g, names);
      drawCells(g, counts);
      drawRecall(g, counts);
    } finally {
      g.dispose();
    }
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer in this Java installation");
    }
  }

  private static void drawTitles(Graphics2D g, String title, int width, int classes) {
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    centered(g, title, width / 2, 24);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    centered(g, "predicted class", LEFT + classes * CELL / 2, 48);
    centered(g, "recall", LEFT + classes * CELL + RIGHT / 2, TOP - 8);
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    centered(g, "true class", -(TOP + classes * CELL / 2), 16);
    g.setTransform(saved);
  }

  /** Row names at the left; column names above, turned 60° so long names fit a cell. */
  private static void drawClassNames(Graphics2D g, List<String> names) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    FontMetrics metrics = g.getFontMetrics();
    g.setColor(Color.BLACK);
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      int baseline = TOP + i * CELL + CELL / 2 + metrics.getAscent() / 2 - 1;
      g.drawString(name, LEFT - 8 - metrics.stringWidth(name), baseline);

      AffineTransform saved = g.getTransform();
      g.translate(LEFT + i * CELL + CELL / 2 + 4, TOP - 6);
      g.rotate(-Math.PI / 3);
      g.drawString(name, 0, 0);
      g.setTransform(saved);
    }
  }

  private static void drawCells(Graphics2D g, int[][] counts) {
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    for (int row = 0; row < counts.length; row++) {
      long rowTotal = sum(counts[row]);
      for (int col = 0; col < counts[row].length; col++) {
        double share = rowTotal == 0 ? 0 : (double) counts[row][col] / rowTotal;
        int x = LEFT + col * CELL;
        int y = TOP + row * CELL;
        g.setColor(blend(EMPTY, FULL, Math.sqrt(share)));
        g.fillRect(x, y, CELL, CELL);
        g.setColor(GRID);
        g.drawRect(x, y, CELL, CELL);
        g.setColor(Math.sqrt(share) > 0.5 ? Color.WHITE : Color.BLACK);
        centered(g, Integer.toString(counts[row][col]), x + CELL / 2,
            y + CELL / 2 + g.getFontMetrics().getAscent() / 2 - 1);
      }
    }
  }

  private static void drawRecall(Graphics2D g, int[][] counts) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    g.setColor(Color.BLACK);
    int right = LEFT + counts.length * CELL;
    for (int row = 0; row < counts.length; row++) {
      long rowTotal = sum(counts[row]);
      String recall = rowTotal == 0 ? "–"
          : String.format(Locale.ROOT, "%.1f%%", 100.0 * counts[row][row] / rowTotal);
      centered(g, recall, right + RIGHT / 2,
          TOP + row * CELL + CELL / 2 + g.getFontMetrics().getAscent() / 2 - 1);
    }
  }

  /**
   * {@code from} at 0 to {@code to} at 1. The share is passed through a square root by the
   * caller, so the small off-diagonal counts that matter stay visible next to the diagonal.
   */
  private static Color blend(Color from, Color to, double t) {
    return new Color(
        (int) Math.round(from.getRed() + t * (to.getRed() - from.getRed())),
        (int) Math.round(from.getGreen() + t * (to.getGreen() - from.getGreen())),
        (int) Math.round(from.getBlue() + t * (to.getBlue() - from.getBlue())));
  }

  private static void centered(Graphics2D g, String text, int x, int baseline) {
    g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, baseline);
  }

  private static long sum(int[] values) {
    long total = 0;
    for (int v : values) {
      total += v;
    }
    return total;
  }
}
