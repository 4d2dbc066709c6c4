package dev.nonlinear.io;

import dev.nonlinear.tensor.Tensor;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Pictures from PNG, JPEG, BMP and GIF files, and the transforms that turn one into a vision
 * model's input, as torchvision's {@code ToTensor}, {@code Resize} and {@code Normalize} do.
 *
 * <pre>
 *   RgbImage picture = Images.read(path);                       // any size, 8-bit RGB
 *   Tensor x = Images.toTensor(picture);                        // [3, H, W] in [0, 1]
 *   x = Images.resize(x, 224, 224);                             // bilinear
 *   x = Images.normalize(x, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f});
 * </pre>
 *
 * <p><b>Decoding</b> uses the JDK's {@code javax.imageio} readers (module {@code java.desktop}:
 * a module-info for this library will need {@code requires java.desktop}). Every picture becomes
 * 8-bit RGB, as PIL's {@code Image.open(f).convert("RGB")} makes it:
 * <ul>
 *   <li>grey pictures repeat their value in red, green and blue (no colour-space conversion,
 *       unlike {@code BufferedImage.getRGB}, which would brighten them);
 *   <li>palette pictures take each pixel's palette colour;
 *   <li><b>alpha is dropped, not composited</b>: a pixel keeps the colour it stores, whatever
 *       its transparency (often black where fully transparent), as PIL's {@code convert("RGB")}
 *       does; composite onto a background yourself if that matters;
 *   <li>samples of other bit depths (16-bit PNG, 1-, 2- and 4-bit grey, 5- and 6-bit BMP
 *       fields) are scaled to 0..255 with rounding, {@code round(s · 255 / (2^bits − 1))}
 *       (PIL keeps the high byte of 16-bit samples, so it can be one level lower);
 *   <li>ICC profiles and EXIF orientation are not applied (PIL does not apply them either unless
 *       asked); a GIF gives its first frame, at its own size rather than on the logical screen,
 *       and a GIF frame whose compressed data ends (properly) before its last pixel comes out
 *       with the rest in palette colour 0, as the JDK's reader and browsers show it.
 * </ul>
 * JPEG pixels may differ from PIL's by a few levels: the decoders' IDCT and chroma upsampling
 * differ. CMYK and YCCK JPEGs are refused (the JDK reader cannot decode them).
 *
 * <p><b>Untrusted files.</b> Whatever the bytes, reading ends in a picture or a
 * {@link FileFormatException} naming the source: never an {@link OutOfMemoryError}, an
 * {@link ArrayIndexOutOfBoundsException} or another runtime exception of the decoder (those are
 * wrapped; a decoder that cannot get the memory for a picture within the limit is reported the
 * same way), and never a hang. The format is recognised from the first bytes (not the file name);
 * the picture's size is read from its header and a picture of more than {@code maxPixels}
 * pixels ({@link #DEFAULT_MAX_PIXELS} unless given) is refused before its pixels are decoded;
 * the reader stops after {@value #MAX_BYTES_PER_PIXEL} bytes per allowed pixel plus
 * {@value #SLACK_BYTES} bytes, more than any honest file of that size needs. Decoder warnings
 * (a truncated JPEG, which the JDK would otherwise return grey-filled) are errors too. Memory
 * for a picture at the limit: up to 8 bytes per pixel for the decoder's raster, 3 for the
 * {@link RgbImage} and 12 for its float tensor, about 770 MB at the default limit.
 *
 * <p><b>Resizing</b> is bilinear with half-pixel centres, exactly PyTorch's
 * {@code interpolate(mode="bilinear", align_corners=False)}, which is what torchvision's
 * {@code Resize(antialias=False)} does to a tensor. It works on floats, after
 * {@link #toTensor(RgbImage)}, so nothing is rounded to 8 bits in between. It is not PIL's
 * {@code resize(BILINEAR)} (torchvision's {@code Resize} on a PIL picture, and the default
 * antialiased resize of tensors in torchvision 0.17 and later): when shrinking, PIL widens the
 * triangle filter by the scale factor, so every input pixel counts, while this one samples the
 * 2 × 2 nearest input pixels and so skips detail (aliasing) when shrinking by more than 2. When
 * enlarging the two agree up to PIL's rounding to 8 bits.
 */
public final class Images {

  /**
   * Pictures with more pixels are refused unless a larger limit is passed: 2^25, about 33.5
   * million (8192 × 4096, more than a 30-megapixel photo).
   */
  public static final long DEFAULT_MAX_PIXELS = 1L << 25;

  /**
   * The most bytes per pixel an honest file needs: a 16-bit RGBA PNG stored without
   * compression (BMP needs at most 4, GIF less than 2, JPEG less than that).
   */
  static final long MAX_BYTES_PER_PIXEL = 8;

  /** Bytes allowed beyond the pixels: headers, palettes, ICC profiles, EXIF thumbnails. */
  static final long SLACK_BYTES = 16L << 20;

  /** The formats read here, with their first bytes and ImageIO's name for them. */
  private enum Format {
    PNG("png", new int[] {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}),
    JPEG("jpeg", new int[] {0xFF, 0xD8, 0xFF}),
    GIF("gif", new int[] {'G', 'I', 'F', '8'}),
    BMP("bmp", new int[] {'B', 'M'});

    final String imageIoName;
    final int[] magic;

    Format(String imageIoName, int[] magic) {
      this.imageIoName = imageIoName;
      this.magic = magic;
    }

    boolean matches(byte[] head, int length) {
      if (length < magic.length) {
        return false;
      }
      for (int i = 0; i < magic.length; i++) {
        if ((head[i] & 0xFF) != magic[i]) {
          return false;
        }
      }
      return true;
    }
  }

  private Images() {}

  /**
   * The picture in {@code file} as 8-bit RGB, refusing more than {@link #DEFAULT_MAX_PIXELS}
   * pixels.
   *
   * @throws FileFormatException if the file is not a readable PNG, JPEG, BMP or GIF picture, or
   *     is larger than the limit
   * @throws IOException if the file cannot be read
   */
  public static RgbImage read(Path file) throws IOException {
    return read(file, DEFAULT_MAX_PIXELS);
  }

  /** As {@link #read(Path)}, refusing pictures of more than {@code maxPixels} pixels. */
  public static RgbImage read(Path file, long maxPixels) throws IOException {
    Objects.requireNonNull(file, "file");
    checkMaxPixels(maxPixels);
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString(), maxPixels);
    }
  }

  /**
   * As {@link #read(Path, long)}, from a stream (read up to the picture's end, not closed here)
   * named {@code source} in messages.
   */
  public static RgbImage read(InputStream in, String source, long maxPixels) throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(source, "source");
    checkMaxPixels(maxPixels);
    long maxBytes = maxPixels * MAX_BYTES_PER_PIXEL + SLACK_BYTES;
    InputStream limited = new LimitedInputStream(new BufferedInputStream(in), maxBytes, source);
    try (ImageInputStream stream = new MemoryCacheImageInputStream(limited)) {
      Format format = recognise(stream, source);
      ImageReader reader = readerFor(format);
      BufferedImage image;
      try {
        image = decode(reader, stream, format, source, maxPixels);
      } finally {
        reader.dispose();
      }
      try {
        return toRgb(image, source);
      } catch (OutOfMemoryError e) {
        throw outOfMemory(source, "the " + image.getWidth() + "×" + image.getHeight() + " "
            + format + " picture");
      }
    }
  }

  /**
   * The picture as a {@code [3, H, W]} tensor of values in [0, 1], each byte divided by 255, as
   * torchvision's {@code ToTensor}.
   */
  public static Tensor toTensor(RgbImage image) {
    Objects.requireNonNull(image, "image");
    int plane = image.width() * image.height();
    byte[] pixels = image.pixels();
    float[] values = new float[3 * plane];
    for (int p = 0; p < plane; p++) {
      for (int c = 0; c < 3; c++) {
        values[c * plane + p] = (pixels[3 * p + c] & 0xFF) / 255f;
      }
    }
    return Tensor.of(values, 3, image.height(), image.width());
  }

  /**
   * {@code images} ({@code [C, H, W]} or {@code [N, C, H, W]}, any C) resized to
   * {@code height × width} by bilinear interpolation with half-pixel centres, as PyTorch's
   * {@code interpolate(mode="bilinear", align_corners=False)}; a new tensor of the same rank.
   * See the class comment for how this differs from PIL's antialiased resize.
   *
   * <p>Output pixel {@code d} of an axis of {@code in} input pixels reads source coordinate
   * {@code s = max(0, (in / out)·(d + ½) − ½)} (as PyTorch: the scale in float, s in double),
   * between input pixels {@code ⌊s⌋} and {@code min(⌊s⌋ + 1, in − 1)}, and mixes them as
   * {@code a + (b − a)·λ}, {@code λ = s − ⌊s⌋}: a constant picture stays exactly constant, and
   * resizing to the same size returns the same values, bit for bit. PyTorch mixes as
   * {@code a·(1 − λ) + b·λ}, which can differ in the last bits (a few float ulp of the larger
   * value).
   *
   * @throws IllegalArgumentException if {@code images} is not of rank 3 or 4 with every size at
   *     least 1, or {@code height} or {@code width} is below 1, or the output would not fit an
   *     array
   */
  public static Tensor resize(Tensor images, int height, int width) {
    checkImages("resize", images);
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException("resize: height = " + height + ", width = " + width
          + ": expected both >= 1");
    }
    int rank = images.rank();
    int inHeight = images.size(-2);
    int inWidth = images.size(-1);
    int planes = images.numel() / (inHeight * inWidth);
    long outSize = (long) planes * height * width;
    if (outSize > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("resize: " + images.shapeString() + " to " + height
          + "×" + width + " holds " + outSize + " values, more than a Java array can ("
          + Integer.MAX_VALUE + ")");
    }

    int[] shape = images.shape();
    shape[rank - 2] = height;
    shape[rank - 1] = width;
    Tensor resized = Tensor.zeros(shape);
    Taps rows = Taps.of(inHeight, height);
    Taps columns = Taps.of(inWidth, width);
    for (int plane = 0; plane < planes; plane++) {
      resizePlane(images.data(), plane * inHeight * inWidth, inWidth, rows, columns,
          resized.data(), plane * height * width);
    }
    return resized;
  }

  /**
   * {@code (x − mean[c]) / std[c]} for each channel c of {@code images} ({@code [C, H, W]} or
   * {@code [N, C, H, W]}), as torchvision's {@code Normalize}; a new tensor.
   *
   * @throws IllegalArgumentException if {@code images} is not of rank 3 or 4 with every size at
   *     least 1, {@code mean} or {@code std} does not hold one value per channel, a mean is not
   *     finite, or a standard deviation is not finite and greater than 0
   */
  public static Tensor normalize(Tensor images, float[] mean, float[] std) {
    checkImages("normalize", images);
    Objects.requireNonNull(mean, "mean");
    Objects.requireNonNull(std, "std");
    int channels = images.size(-3);
    checkChannelValues("mean", mean, channels, images);
    checkChannelValues("std", std, channels, images);
    for (int c = 0; c < channels; c++) {
      if (!Float.isFinite(mean[c])) {
        throw new IllegalArgumentException("normalize: mean[" + c + "] = " + mean[c]
            + ": expected a finite number");
      }
      if (!(std[c] > 0) || !Float.isFinite(std[c])) {
        throw new IllegalArgumentException("normalize: std[" + c + "] = " + std[c]
            + ": expected a finite number > 0");
      }
    }

    Tensor normalized = Tensor.zeros(images.shape());
    float[] x = images.data();
    float[] y = normalized.data();
    int plane = images.size(-2) * images.size(-1);
    for (int start = 0, p = 0; start < x.length; start += plane, p++) {
      int c = p % channels;
      for (int i = start; i < start + plane; i++) {
        y[i] = (x[i] - mean[c]) / std[c];
      }
    }
    return normalized;
  }

  private static void checkMaxPixels(long maxPixels) {
    // The byte limit is maxPixels · 8 + slack; keep it far from overflowing a long.
    if (maxPixels < 1 || maxPixels > 1L << 40) {
      throw new IllegalArgumentException("maxPixels = " + maxPixels + ": expected 1 to 2^40");
    }
  }

  private static void checkImages(String operation, Tensor images) {
    Objects.requireNonNull(images, operation + " images");
    boolean empty = false;
    for (int size : images.shape()) {
      empty |= size < 1;
    }
    if ((images.rank() != 3 && images.rank() != 4) || empty) {
      throw new IllegalArgumentException(operation + ": images shape " + images.shapeString()
          + ", expected [C, H, W] or [N, C, H, W] with every size >= 1");
    }
  }

  private static void checkChannelValues(String name, float[] values, int channels,
      Tensor images) {
    if (values.length != channels) {
      throw new IllegalArgumentException("normalize: " + name + " has " + values.length
          + " values, expected " + channels + " (one per channel of images "
          + images.shapeString() + ")");
    }
  }

  /** The two source pixels and the weight of the second, for each output pixel of one axis. */
  private record Taps(int[] first, int[] second, float[] lambda) {

    /** PyTorch's {@code align_corners=False} rule for {@code in} pixels resized to {@code out}. */
    static Taps of(int in, int out) {
      int[] first = new int[out];
      int[] second = new int[out];
      float[] lambda = new float[out];
      float scale = (float) in / out;
      for (int d = 0; d < out; d++) {
        // The scale is a float, the coordinate a double and the weight a float again: what
        // PyTorch 1.13's CPU kernel computes (measured on its weights, which differ from an
        // all-float computation by up to 20 float ulps when enlarging 41 to 224 pixels).
        double source = Math.max(0, scale * (d + 0.5) - 0.5);
        int floor = (int) source;
        first[d] = floor;
        second[d] = floor < in - 1 ? floor + 1 : floor;
        lambda[d] = (float) (source - floor);
      }
      return new Taps(first, second, lambda);
    }
  }

  private static void resizePlane(float[] in, int inOff, int inWidth, Taps rows, Taps columns,
      float[] out, int outOff) {
    int width = columns.first.length;
    for (int y = 0; y < rows.first.length; y++) {
      int top = inOff + rows.first[y] * inWidth;
      int bottom = inOff + rows.second[y] * inWidth;
      float ly = rows.lambda[y];
      for (int x = 0; x < width; x++) {
        int left = columns.first[x];
        int right = columns.second[x];
        float lx = columns.lambda[x];
        float upper = mix(in[top + left], in[top + right], lx);
        float lower = mix(in[bottom + left], in[bottom + right], lx);
        out[outOff + y * width + x] = mix(upper, lower, ly);
      }
    }
  }

  /**
   * {@code a + (b − a)·λ}; exactly {@code a} when λ is 0, so a weightless neighbour (NaN or ±inf
   * included) changes nothing.
   */
  private static float mix(float a, float b, float lambda) {
    return lambda == 0 ? a : a + (b - a) * lambda;
  }

  /** The format the first bytes announce; the stream is left at its start. */
  private static Format recognise(ImageInputStream stream, String source) throws IOException {
    byte[] head = new byte[8];
    int length = 0;
    while (length < head.length) {
      int read = stream.read(head, length, head.length - length);
      if (read < 0) {
        break;
      }
      length += read;
    }
    stream.seek(0);
    for (Format format : Format.values()) {
      if (format.matches(head, length)) {
        return format;
      }
    }
    throw new FileFormatException(source, "not a PNG, JPEG, BMP or GIF picture: "
        + (length == 0 ? "empty" : "starts with bytes " + hex(head, length)));
  }

  private static String hex(byte[] bytes, int length) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append(i == 0 ? "" : " ").append(String.format("%02x", bytes[i] & 0xFF));
    }
    return text.toString();
  }

  private static ImageReader readerFor(Format format) throws IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName);
    if (!readers.hasNext()) {
      throw new IOException("this Java runtime has no ImageIO reader for " + format
          + " (module java.desktop)");
    }
    return readers.next();
  }

  /**
   * The first picture of the stream, after checking its header's size against the limit; any
   * failure of the decoder becomes a {@link FileFormatException}.
   */
  private static BufferedImage decode(ImageReader reader, ImageInputStream stream,
      Format format, String source, long maxPixels) throws IOException {
    List<String> warnings = new ArrayList<>();
    try {
      // Metadata is not read: it is not needed, and text chunks are a place to hide
      // decompression bombs.
      reader.setInput(stream, true, true);
      reader.addIIOReadWarningListener((from, warning) -> warnings.add(warning));
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      checkSize(format, width, height, maxPixels, source);
      BufferedImage image = decodePixels(reader, format, width, height, source);
      if (!warnings.isEmpty()) {
        throw new FileFormatException(source, "damaged " + format + " data: "
            + warnings.get(0));
      }
      return image;
    } catch (FileFormatException e) {
      throw e;
    } catch (IIOException | EOFException | RuntimeException e) {
      throw decoderFailure(format, source, e);
    }
  }

  /**
   * The pixels, or a {@link FileFormatException} when the decoder cannot get the memory for
   * them. Within the pixel limit that takes a small heap (the default limit needs up to 268 MB
   * for a 16-bit RGBA PNG), and the header alone decides the size, so a few hundred bytes can
   * ask for it: the error must name the file, not end the program. Catching the error is sound
   * here: what failed is one large array for the raster, so the heap is as it was before.
   */
  private static BufferedImage decodePixels(ImageReader reader, Format format, int width,
      int height, String source) throws IOException {
    try {
      return reader.read(0);
    } catch (OutOfMemoryError e) {
      throw outOfMemory(source, "the " + width + "×" + height + " " + format + " picture");
    }
  }

  private static FileFormatException outOfMemory(String source, String picture) {
    return new FileFormatException(source, picture + " needs more memory than the Java heap "
        + "has left (up to " + (MAX_BYTES_PER_PIXEL + 3) + " bytes per pixel: the decoder's "
        + "and the RGB copy): give Java more heap (-Xmx) or pass a smaller maxPixels");
  }

  private static void checkSize(Format format, int width, int height, long maxPixels,
      String source) throws FileFormatException {
    if (width < 1 || height < 1) {
      throw new FileFormatException(source, format + " header gives a size of " + width + "×"
          + height + ": expected both at least 1");
    }
    long pixels = (long) width * height;
    if (pixels > maxPixels) {
      throw new FileFormatException(source, format + " picture of " + width + "×" + height
          + " = " + pixels + " pixels, more than the limit of " + maxPixels
          + " (pass a larger maxPixels to read it)");
    }
  }

  /** Our own exception when the decoder wrapped it, else a new one describing the failure. */
  private static FileFormatException decoderFailure(Format format, String source,
      Exception failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof FileFormatException own) {
        return own;
      }
      if (cause instanceof OutOfMemoryError) {
        // The PNG reader catches any Throwable while decoding and wraps it.
        return outOfMemory(source, "the " + format + " picture");
      }
    }
    String detail = failure instanceof EOFException ? "" : failure.getMessage() == null
        ? failure.getClass().getSimpleName() : failure.getMessage();
    if (failure instanceof RuntimeException) {
      detail = failure.getClass().getSimpleName() + ": " + detail;
    }
    Throwable cause = failure.getCause();
    if (endsEarly(failure)) {
      detail = detail.isEmpty() ? "the data ends early (a truncated file?)"
          : detail + " (the data ends early: a truncated file?)";
    } else if (cause != null && cause.getMessage() != null
        && !detail.contains(cause.getMessage())) {
      detail += " (" + cause.getMessage() + ")";
    }
    FileFormatException error = new FileFormatException(source, "cannot decode the " + format
        + " data: " + detail);
    error.initCause(failure);
    return error;
  }

  private static boolean endsEarly(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof EOFException) {
        return true;
      }
    }
    return false;
  }

  /** The decoded picture as 8-bit RGB, by the rules of the class comment. */
  private static RgbImage toRgb(BufferedImage image, String source) throws FileFormatException {
    if (image.getColorModel().isAlphaPremultiplied()) {
      image.coerceData(false);
    }
    ColorModel model = image.getColorModel();
    Raster raster = image.getRaster();
    int width = raster.getWidth();
    int height = raster.getHeight();
    byte[] rgb = new byte[3 * width * height];
    if (model instanceof IndexColorModel palette) {
      fromPalette(raster, palette, rgb);
    } else if (model.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
      fromBands(raster, new int[] {0, 0, 0}, rgb);
    } else if (model.getColorSpace().getType() == ColorSpace.TYPE_RGB
        && model.getNumColorComponents() == 3) {
      fromBands(raster, new int[] {0, 1, 2}, rgb);
    } else {
      throw new FileFormatException(source, "unsupported colour model: "
          + model.getNumColorComponents() + " components in colour space type "
          + model.getColorSpace().getType());
    }
    return new RgbImage(width, height, rgb);
  }

  private static void fromPalette(Raster raster, IndexColorModel palette, byte[] rgb) {
    int width = raster.getWidth();
    int[] indices = new int[width];
    for (int y = 0; y < raster.getHeight(); y++) {
      raster.getSamples(0, y, width, 1, 0, indices);
      for (int x = 0; x < width; x++) {
        // getRGB masks the index to the palette's bit size and pads short palettes with black.
        int argb = palette.getRGB(indices[x]);
        int at = 3 * (y * width + x);
        rgb[at] = (byte) (argb >> 16);
        rgb[at + 1] = (byte) (argb >> 8);
        rgb[at + 2] = (byte) argb;
      }
    }
  }

  /** Red, green and blue from bands {@code sources} (alpha and other bands are not read). */
  private static void fromBands(Raster raster, int[] sources, byte[] rgb) {
    int width = raster.getWidth();
    int bands = raster.getNumBands();
    int[] bits = new int[3];
    for (int c = 0; c < 3; c++) {
      bits[c] = raster.getSampleModel().getSampleSize(sources[c]);
    }
    int[] row = new int[width * bands];
    for (int y = 0; y < raster.getHeight(); y++) {
      raster.getPixels(0, y, width, 1, row);
      for (int x = 0; x < width; x++) {
        int at = 3 * (y * width + x);
        for (int c = 0; c < 3; c++) {
          rgb[at + c] = (byte) toEightBits(row[x * bands + sources[c]], bits[c]);
        }
      }
    }
  }

  /** A sample of {@code bits} bits (read as unsigned) scaled to 0..255 with rounding. */
  static int toEightBits(int sample, int bits) {
    if (bits == 8) {
      return sample & 0xFF;
    }
    if (bits <= 0) {
      return 0;
    }
    long max = bits >= 32 ? 0xFFFF_FFFFL : (1L << bits) - 1;
    long value = Math.min(Integer.toUnsignedLong(sample), max);
    return (int) ((value * 510 + max) / (2 * max));
  }

  /** A stream that refuses to deliver more than a limit: a file that long is not honest. */
  private static final class LimitedInputStream extends FilterInputStream {
    private final long limit;
    private final String source;
    private long count;

    LimitedInputStream(InputStream in, long limit, String source) {
      super(in);
      this.limit = limit;
      this.source = source;
    }

    @Override
    public int read() throws IOException {
      int value = super.read();
      if (value >= 0) {
        counted(1);
      }
      return value;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int read = super.read(buffer, offset, length);
      if (read > 0) {
        counted(read);
      }
      return read;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      counted(skipped);
      return skipped;
    }

    private void counted(long bytes) throws FileFormatException {
      count += bytes;
      if (count > limit) {
        throw new FileFormatException(source, "more than " + limit + " bytes, more than a"
            + " picture within the pixel limit needs (" + MAX_BYTES_PER_PIXEL + " bytes per"
            + " pixel plus " + SLACK_BYTES + ")");
      }
    }
  }
}
