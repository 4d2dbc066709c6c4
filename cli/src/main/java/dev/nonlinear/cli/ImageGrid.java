package dev.nonlinear.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * 28×28 grey images laid out in a grid and written as a PNG: each image enlarged
 * {@value #ZOOM} times (each pixel a square block, so what the network saw is what is shown),
 * white on black as Fashion-MNIST stores them, with a caption of up to two lines under each and
 * an optional label at the left of each row.
 */
final class ImageGrid {

  /** Screen pixels per image pixel. */
  static final int ZOOM = 4;

  private static final int SIDE = ImageInput.SIZE;
  private static final int CELL = SIDE * ZOOM;
  private static final int GAP = 14;
  private static final int CAPTION_LINES = 2;
  private static final int LINE_HEIGHT = 15;
  private static final int TITLE_HEIGHT = 40;
  private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
  private static final Font TEXT_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

  private ImageGrid() {}

  /**
   * Writes {@code images} (28·28 values in [0, 1] each, row order) {@code columns} to a row.
   *
   * @param captions one per image, lines split by {@code \n} (two shown); null for none
   * @param rowLabels one per row of the grid; null for none
   */
  static void write(List<float[]> images, int columns, List<String> captions,
      List<String> rowLabels, String title, Path file) throws IOException {
    int rows = (images.size() + columns - 1) / columns;
    int labelWidth = rowLabels == null ? 0 : widestLabel(rowLabels) + GAP;
    int captionHeight = captions == null ? 0 : CAPTION_LINES * LINE_HEIGHT + 4;
    int cellHeight = CELL + captionHeight + GAP;
    // As wide as the title at least: with one or two pictures the grid alone would cut it.
    int width = Math.max(GAP + labelWidth + columns * (CELL + GAP),
        textWidth(title, TITLE_FONT) + 2 * GAP);
    int height = TITLE_HEIGHT + rows * cellHeight + GAP / 2;
    BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = picture.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(Color.BLACK);
      g.setFont(TITLE_FONT);
      g.drawString(title, (width - g.getFontMetrics().stringWidth(title)) / 2, 26);

      g.setFont(TEXT_FONT);
      for (int i = 0; i < images.size(); i++) {
        int x = GAP + labelWidth + (i % columns) * (CELL + GAP);
        int y = TITLE_HEIGHT + (i / columns) * cellHeight;
        drawImage(picture, images.get(i), x, y);
        if (captions != null) {
          drawCaption(g, captions.get(i), x, y + CELL);
        }
      }
      if (rowLabels != null) {
        for (int row = 0; row < rows; row++) {
          int baseline = TITLE_HEIGHT + row * cellHeight + CELL / 2 + 5;
          g.drawString(rowLabels.get(row), GAP, baseline);
        }
      }
    } finally {
      g.dispose();
    }
    if (!ImageIO.write(picture, "png", file.toFile())) {
      throw new IOException("no PNG writer in this Java installation");
    }
  }

  /** Each value v becomes a ZOOM×ZOOM block of grey level round(255·v). */
  private static void drawImage(BufferedImage picture, float[] pixels, int left, int top) {
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        float v = Math.min(1f, Math.max(0f, pixels[y * SIDE + x]));
        int level = Math.round(255 * v);
        int rgb = level << 16 | level << 8 | level;
        for (int dy = 0; dy < ZOOM; dy++) {
          for (int dx = 0; dx < ZOOM; dx++) {
            picture.setRGB(left + x * ZOOM + dx, top + y * ZOOM + dy, rgb);
          }
        }
      }
    }
  }

  private static int textWidth(String text, Font font) {
    Graphics2D scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
    try {
      return scratch.getFontMetrics(font).stringWidth(text);
    } finally {
      scratch.dispose();
    }
  }

  /** Up to two centred lines under an image, each cut to the image's width. */
  private static void drawCaption(Graphics2D g, String caption, int left, int top) {
    String[] lines = caption.split("\n", -1);
    FontMetrics metrics = g.getFontMetrics();
    for (int i = 0; i < Math.min(CAPTION_LINES, lines.length); i++) {
      String line = fit(lines[i], metrics, CELL + GAP - 2);
      g.drawString(line, left + (CELL - metrics.stringWidth(line)) / 2,
          top + (i + 1) * LINE_HEIGHT);
    }
  }

  /** {@code text}, shortened with an ellipsis until it is at most {@code width} pixels wide. */
  private static String fit(String text, FontMetrics metrics, int width) {
    if (metrics.stringWidth(text) <= width) {
      return text;
    }
    String cut = text;
    while (!cut.isEmpty() && metrics.stringWidth(cut + "…") > width) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut + "…";
  }

  private static int widestLabel(List<String> labels) {
    BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = scratch.createGraphics();
    try {
      FontMetrics metrics = g.getFontMetrics(TEXT_FONT);
      return labels.stream().mapToInt(metrics::stringWidth).max().orElse(0);
    } finally {
      g.dispose();
    }
  }
}
