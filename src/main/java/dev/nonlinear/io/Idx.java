package dev.nonlinear.io;

import dev.nonlinear.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader of IDX files, the format of MNIST and Fashion-MNIST: a big-endian magic number
 * {@code 0x0000TTDD} (T the element type, D the number of dimensions), D big-endian 32-bit sizes,
 * then the elements in row-major order. Only unsigned bytes (type {@code 0x08}) are read: images
 * have magic 2051 (three dimensions: count, rows, columns) and labels 2049 (one dimension).
 * Files may be gzip-compressed; the gzip magic decides, not the file name.
 *
 * <p>The bytes are treated as untrusted: the header is checked against what it must be, and the
 * data is read in chunks that grow only as bytes actually arrive, so a header claiming billions
 * of images makes a clear error, not an {@link OutOfMemoryError}. Trailing bytes after the data
 * are an error too: they mean the header and the file disagree.
 */
public final class Idx {

  /** The magic number of an IDX file of unsigned-byte images: three dimensions. */
  public static final int IMAGES_MAGIC = 0x0803;

  /** The magic number of an IDX file of unsigned-byte labels: one dimension. */
  public static final int LABELS_MAGIC = 0x0801;

  /** Arrays a little below {@code Integer.MAX_VALUE}: the largest the JVMs reliably allocate. */
  private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  /**
   * First size of the data buffer (it doubles as data arrives, up to the claimed size), and the
   * size of the stream buffers: gzip's default of 512 bytes makes reading three times slower.
   */
  private static final int FIRST_CHUNK = 1 << 16;

  private Idx() {}

  /**
   * The images of an IDX file as a {@code [N, 1, rows, cols]} tensor of values in [0, 1]
   * (byte / 255, as torchvision's {@code ToTensor}).
   *
   * @throws FileFormatException if the file is not a well-formed IDX image file
   * @throws IOException if it cannot be read
   */
  public static Tensor readImages(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    try (InputStream in = Files.newInputStream(file)) {
      return readImages(in, file.toString());
    }
  }

  /** As {@link #readImages(Path)}, from a stream (not closed here) named {@code source}. */
  public static Tensor readImages(InputStream in, String source) throws IOException {
    Body body = readBody(in, source, IMAGES_MAGIC, 3);
    byte[] pixels = body.data();
    int[] dims = body.dims();
    float[] values = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      values[i] = (pixels[i] & 0xFF) / 255f;
    }
    return Tensor.of(values, dims[0], 1, dims[1], dims[2]);
  }

  /**
   * The labels of an IDX file, each in [0, 255].
   *
   * @throws FileFormatException if the file is not a well-formed IDX label file
   * @throws IOException if it cannot be read
   */
  public static int[] readLabels(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    try (InputStream in = Files.newInputStream(file)) {
      return readLabels(in, file.toString());
    }
  }

  /** As {@link #readLabels(Path)}, from a stream (not closed here) named {@code source}. */
  public static int[] readLabels(InputStream in, String source) throws IOException {
    byte[] bytes = readBody(in, source, LABELS_MAGIC, 1).data();
    int[] labels = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      labels[i] = bytes[i] & 0xFF;
    }
    return labels;
  }

  /** The sizes a header announced and the element bytes that followed it. */
  private record Body(int[] dims, byte[] data) {}

  /** Checks the header, then reads exactly the elements it announces. */
  private static Body readBody(InputStream raw, String source, int magic, int rank)
      throws IOException {
    Objects.requireNonNull(raw, "in");
    Objects.requireNonNull(source, "source");
    try {
      return readHeaderAndData(decompressed(raw), source, magic, rank);
    } catch (ZipException | EOFException e) {
      // GZIPInputStream's EOFException for a gzip header or trailer cut short has no message.
      String detail = e.getMessage() != null ? e.getMessage() : "the stream ends early";
      throw new FileFormatException(source, "corrupt or truncated gzip data: " + detail);
    }
  }

  private static Body readHeaderAndData(InputStream in, String source, int magic, int rank)
      throws IOException {

    int foundMagic = readInt(in, source, "the magic number");
    if (foundMagic != magic) {
      throw new FileFormatException(source, "magic number " + foundMagic + " (0x"
          + Integer.toHexString(foundMagic) + "), expected " + magic + describe(magic));
    }
    int[] dims = new int[rank];
    long count = 1;
    for (int d = 0; d < rank; d++) {
      dims[d] = readInt(in, source, "size of dimension " + d);
      if (dims[d] < 0) {
        throw new FileFormatException(source, "dimension " + d + " has negative size "
            + Integer.toUnsignedString(dims[d]));
      }
      count *= dims[d];
      if (count > MAX_ELEMENTS) {
        throw new FileFormatException(source, "header sizes " + Arrays.toString(
            Arrays.copyOf(dims, d + 1)) + " hold more than " + MAX_ELEMENTS
            + " elements, more than a Java array can");
      }
    }

    byte[] data = readExactly(in, (int) count, source);
    if (in.read() != -1) {
      throw new FileFormatException(source, "bytes after the " + count
          + " elements the header announces " + Arrays.toString(dims));
    }
    return new Body(dims, data);
  }

  private static String describe(int magic) {
    return magic == IMAGES_MAGIC ? " (unsigned-byte images, 3 dimensions)"
        : " (unsigned-byte labels, 1 dimension)";
  }

  /** The stream itself, or its gzip decompression when it starts with the gzip magic. */
  private static InputStream decompressed(InputStream raw) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(raw, FIRST_CHUNK);
    buffered.mark(2);
    int first = buffered.read();
    int second = buffered.read();
    buffered.reset();
    if (first == 0x1f && second == 0x8b) {
      return new BufferedInputStream(new GZIPInputStream(buffered, FIRST_CHUNK), FIRST_CHUNK);
    }
    return buffered;
  }

  private static int readInt(InputStream in, String source, String what) throws IOException {
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int b = in.read();
      if (b < 0) {
        throw new FileFormatException(source, "ends inside the header, while reading " + what);
      }
      value = value << 8 | b;
    }
    return value;
  }

  /**
   * Reads {@code count} bytes into a buffer that grows (doubling) only as bytes arrive, so the
   * memory held never exceeds twice what the file really contains.
   */
  private static byte[] readExactly(InputStream in, int count, String source)
      throws IOException {
    byte[] buffer = new byte[Math.min(count, FIRST_CHUNK)];
    int filled = 0;
    while (filled < count) {
      if (filled == buffer.length) {
        buffer = Arrays.copyOf(buffer, (int) Math.min(count, 2L * buffer.length));
      }
      int read = in.read(buffer, filled, buffer.length - filled);
      if (read < 0) {
        throw new FileFormatException(source, "truncated: the header announces " + count
            + " data bytes, the file holds " + filled);
      }
      filled += read;
    }
    return buffer;
  }
}
