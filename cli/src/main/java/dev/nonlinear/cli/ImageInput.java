package dev.nonlinear.cli;

import dev.nonlinear.io.Images;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * A picture file made into what the 28×28 CNN was trained on, following the steps Fashion-MNIST
 * itself was made with (Xiao et al., 2017: trim, resize the longest edge to 28, centre):
 * <ol>
 *   <li>grey levels in [0, 1] (luma of sRGB; a transparent pixel counts as white);
 *   <li>inverted when the background, the mean of the border pixels, is light: Fashion-MNIST
 *       shows light clothes on black;
 *   <li>trimmed to the box of the pixels that stand out from the background by more than
 *       {@value #OBJECT_THRESHOLD}, then padded with the background to a centred square;
 *   <li>resized to 28×28 by area averaging (each output pixel is the mean of the input area it
 *       covers), so large photos do not alias.
 * </ol>
 * The values then lie in [0, 1] as {@code byte / 255} of the training data do. Enlarging a
 * picture smaller than 28 pixels repeats pixels (the area average of a box filter) rather than
 * interpolating; the sharpening step of the original pipeline is left out.
 */
final class ImageInput {

  /** Side of the network's input. */
  static final int SIZE = 28;

  /** How far (on [0, 1]) a pixel must stand out from the background to belong to the object. */
  static final double OBJECT_THRESHOLD = 0.1;

  /**
   * A prepared picture: {@code pixels} holds 28·28 values in row order; {@code width} and
   * {@code height} are the file's size and {@code inverted} says whether its background was light.
   */
  record Prepared(float[] pixels, int width, int height, boolean inverted) {}

  private ImageInput() {}

  /**
   * Reads a PNG, JPEG, GIF or BMP and prepares it.
   *
   * @throws IOException if the file cannot be read, is not such a picture, is damaged or has
   *     more pixels than {@link Images#DEFAULT_MAX_PIXELS}
   */
  static Prepared read(Path file) throws IOException {
    // The library's reader first: it refuses what is not a PNG, JPEG, GIF or BMP, pictures over
    // its pixel limit before decoding them, and truncated files, where a bare ImageIO.read
    // would try to allocate whatever a header claims. ImageIO then decodes it again for the
    // grey levels and the transparency this command reads and the library's RGB drops.
    Images.read(file);
    BufferedImage image;
    try {
      image = ImageIO.read(file.toFile());
    } catch (IOException e) {
      throw new IOException(file + ": cannot be decoded as a picture (" + e.getMessage() + ")",
          e);
    }
    if (image == null) {
      throw new IOException(file + ": not a picture format this Java can read (PNG, JPEG, "
          + "GIF, BMP)");
    }
    return prepare(image);
  }

  /** The steps of the class comment on an image already in memory. */
  static Prepared prepare(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    float[] grey = grey(image);
    double background = borderMean(grey, width, height);
    boolean inverted = background > 0.5;
    if (inverted) {
      for (int i = 0; i < grey.length; i++) {
        grey[i] = 1 - grey[i];
      }
      background = 1 - background;
    }
    int[] box = objectBox(grey, width, height, background);
    float[] square = centredSquare(grey, width, box, background);
    int side = Math.max(box[2], box[3]);
    float[] pixels = areaResize(square, side, SIZE);
    return new Prepared(pixels, width, height, inverted);
  }

  /**
   * Grey levels in [0, 1], row by row. Grey images are read from their samples: converting them
   * through sRGB ({@code getRGB}) would apply a gamma curve to what is stored as plain levels.
   */
  static float[] grey(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    float[] grey = new float[width * height];
    boolean plainGrey = image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    if (plainGrey) {
      Raster raster = image.getRaster();
      boolean alpha = image.getColorModel().hasAlpha();
      double max = (1L << image.getColorModel().getComponentSize(0)) - 1;
      double alphaMax = alpha ? (1L << image.getColorModel().getComponentSize(1)) - 1 : 1;
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          double level = raster.getSample(x, y, 0) / max;
          double opacity = alpha ? raster.getSample(x, y, 1) / alphaMax : 1;
          grey[y * width + x] = (float) overWhite(level, opacity);
        }
      }
      return grey;
    }
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int argb = image.getRGB(x, y);
        double luma = (0.299 * (argb >> 16 & 0xFF) + 0.587 * (argb >> 8 & 0xFF)
            + 0.114 * (argb & 0xFF)) / 255;
        grey[y * width + x] = (float) overWhite(luma, (argb >>> 24) / 255.0);
      }
    }
    return grey;
  }

  /** A level seen through {@code opacity} over a white page. */
  private static double overWhite(double level, double opacity) {
    return opacity * level + (1 - opacity);
  }

  /** The mean of the outermost ring of pixels, where the background shows. */
  static double borderMean(float[] grey, int width, int height) {
    double sum = 0;
    long count = 0;
    for (int y = 0; y < height; y++) {
      boolean edgeRow = y == 0 || y == height - 1;
      for (int x = 0; x < width; x += edgeRow || x == width - 1 ? 1 : width - 1) {
        sum += grey[y * width + x];
        count++;
      }
    }
    return sum / count;
  }

  /**
   * {@code {x, y, width, height}} of the smallest box holding every pixel that stands out from
   * {@code background}; the whole picture when none does (a blank picture).
   */
  static int[] objectBox(float[] grey, int width, int height, double background) {
    int left = width;
    int top = height;
    int right = -1;
    int bottom = -1;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        if (Math.abs(grey[y * width + x] - background) > OBJECT_THRESHOLD) {
          left = Math.min(left, x);
          right = Math.max(right, x);
          top = Math.min(top, y);
          bottom = Math.max(bottom, y);
        }
      }
    }
    if (right < 0) {
      return new int[] {0, 0, width, height};
    }
    return new int[] {left, top, right - left + 1, bottom - top + 1};
  }

  /** The box of {@code grey} centred in a square of its longer side, padded with background. */
  private static float[] centredSquare(float[] grey, int width, int[] box, double background) {
    int side = Math.max(box[2], box[3]);
    float[] square = new float[side * side];
    Arrays.fill(square, (float) background);
    int offsetX = (side - box[2]) / 2;
    int offsetY = (side - box[3]) / 2;
    for (int y = 0; y < box[3]; y++) {
      for (int x = 0; x < box[2]; x++) {
        square[(offsetY + y) * side + offsetX + x] = grey[(box[1] + y) * width + box[0] + x];
      }
    }
    return square;
  }

  /**
   * A {@code from × from} square resized to {@code to × to}: output pixel (X, Y) is the mean of
   * the input area [X·s, (X+1)·s) × [Y·s, (Y+1)·s) with s = from / to, pixels cut by the
   * area's edge weighted by the part inside. Done as two one-dimensional passes (rows, then columns),
   * which gives the same weights because the box is separable.
   */
  static float[] areaResize(float[] square, int from, int to) {
    Footprint[] footprints = footprints(from, to);
    double[] rowsDone = new double[from * to];
    for (int y = 0; y < from; y++) {
      for (int x = 0; x < to; x++) {
        Footprint f = footprints[x];
        double sum = 0;
        for (int k = 0; k < f.weights.length; k++) {
          sum += f.weights[k] * square[y * from + f.first + k];
        }
        rowsDone[y * to + x] = sum;
      }
    }
    float[] out = new float[to * to];
    for (int y = 0; y < to; y++) {
      Footprint f = footprints[y];
      for (int x = 0; x < to; x++) {
        double sum = 0;
        for (int k = 0; k < f.weights.length; k++) {
          sum += f.weights[k] * rowsDone[(f.first + k) * to + x];
        }
        out[y * to + x] = (float) Math.min(1, Math.max(0, sum));
      }
    }
    return out;
  }

  /** The input pixels {@code first, first + 1, ...} one output pixel covers, with weights. */
  private record Footprint(int first, double[] weights) {}

  /**
   * For each output pixel X, the share of each input pixel k in it: the overlap of [k, k+1)
   * with [X·s, (X+1)·s), divided by s. The weights of a footprint sum to 1.
   */
  private static Footprint[] footprints(int from, int to) {
    double scale = (double) from / to;
    Footprint[] footprints = new Footprint[to];
    for (int x = 0; x < to; x++) {
      double start = x * scale;
      double end = (x + 1) * scale;
      int first = (int) Math.floor(start);
      int last = Math.min(from, (int) Math.ceil(end)) - 1;
      double[] weights = new double[last - first + 1];
      for (int k = first; k <= last; k++) {
        double overlap = Math.min(end, k + 1) - Math.max(start, k);
        weights[k - first] = Math.max(0, overlap) / scale;
      }
      footprints[x] = new Footprint(first, weights);
    }
    return footprints;
  }
}
