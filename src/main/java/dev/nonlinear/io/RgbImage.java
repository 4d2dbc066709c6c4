package dev.nonlinear.io;

import java.util.Objects;

/**
 * An 8-bit RGB picture as PIL holds one in mode {@code "RGB"}: {@code height} rows of
 * {@code width} pixels, each three bytes red, green, blue, row after row from the top (HWC
 * order, what PIL's {@code tobytes()} gives). {@link Images#read(java.nio.file.Path)} makes one
 * from a file and {@link Images#toTensor(RgbImage)} turns it into a CHW float tensor.
 */
public final class RgbImage {

  private final int width;
  private final int height;
  private final byte[] pixels;

  /**
   * A picture over {@code pixels} (not copied), {@code 3·width·height} bytes in HWC order.
   *
   * @throws IllegalArgumentException if a size is below 1 or {@code pixels} has another length
   */
  public RgbImage(int width, int height, byte[] pixels) {
    Objects.requireNonNull(pixels, "pixels");
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("width = " + width + ", height = " + height
          + ": expected both >= 1");
    }
    long expected = 3L * width * height;
    if (pixels.length != expected) {
      throw new IllegalArgumentException("pixels has " + pixels.length + " bytes: expected 3 · "
          + width + " · " + height + " = " + expected);
    }
    this.width = width;
    this.height = height;
    this.pixels = pixels;
  }

  /** Pixels per row. */
  public int width() {
    return width;
  }

  /** Rows. */
  public int height() {
    return height;
  }

  /** The bytes, shared: writes to the array change this picture. */
  public byte[] pixels() {
    return pixels;
  }

  /**
   * Channel {@code channel} (0 red, 1 green, 2 blue) of the pixel in row {@code y}, column
   * {@code x}, as 0 to 255.
   *
   * @throws IndexOutOfBoundsException if a coordinate is outside the picture
   */
  public int get(int y, int x, int channel) {
    Objects.checkIndex(y, height);
    Objects.checkIndex(x, width);
    Objects.checkIndex(channel, 3);
    return pixels[(y * width + x) * 3 + channel] & 0xFF;
  }

  @Override
  public String toString() {
    return "RgbImage[" + width + "×" + height + "]";
  }
}
