package dev.nonlinear.io;

import dev.nonlinear.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The safetensors format, for float32 tensors: an unsigned 64-bit little-endian header length,
 * a UTF-8 JSON header mapping each name to {@code {"dtype": "F32", "shape": [...],
 * "data_offsets": [begin, end]}} (offsets relative to the data that follows the header), then
 * the raw little-endian values. Names follow PyTorch's {@code state_dict} ({@code 0.weight}), so
 * {@code safetensors.torch.load_file} reads what {@link #write} writes, and the other way round
 * for float32 tensors.
 *
 * <p>{@link #read} treats the file as untrusted: the header length is checked against the file
 * size before the header is read, every tensor's offsets against the data size and its shape,
 * and the tensors must tile the data exactly (no overlap, no gap), as the reference
 * implementation requires. Memory is only allocated for bytes the file has been shown to hold.
 */
public final class SafeTensors {

  /** The reference implementation refuses headers above 100 MB; so does this one. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final String METADATA_KEY = "__metadata__";
  private static final String F32 = "F32";
  private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  /** Floats moved per read or write: large enough to amortise the calls, small to hold. */
  private static final int CHUNK_FLOATS = 1 << 14;

  /** The header is padded with spaces to this multiple, so the data starts aligned. */
  private static final int HEADER_ALIGNMENT = 8;

  private SafeTensors() {}

  /**
   * Writes {@code tensors} to {@code file} (replacing it), in the map's iteration order.
   *
   * @throws IllegalArgumentException for an empty name or the reserved name {@code __metadata__}
   */
  public static void write(Map<String, Tensor> tensors, Path file) throws IOException {
    write(tensors, Map.of(), file);
  }

  /** As {@link #write(Map, Path)}, with string metadata in the header's {@code __metadata__}. */
  public static void write(Map<String, Tensor> tensors, Map<String, String> metadata, Path file)
      throws IOException {
    Objects.requireNonNull(tensors, "tensors");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(file, "file");
    byte[] header = headerBytes(tensors, metadata);

    // Written beside the target and moved over it, so a failed write (a full disk) leaves the
    // old file as it was. Not Files.createTempFile: its files are private (0600), where a
    // weights file should get the umask's permissions, or keep those of the file it replaces.
    Path absolute = file.toAbsolutePath();
    Path partial = absolute.resolveSibling(absolute.getFileName() + "."
        + Long.toHexString(System.nanoTime()) + ".part");
    try {
      writeTo(partial, header, tensors);
      keepPermissions(absolute, partial);
      Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /** Gives {@code replacement} the POSIX permissions of {@code original}, where both exist. */
  private static void keepPermissions(Path original, Path replacement) throws IOException {
    if (Files.exists(original) && original.getFileSystem().supportedFileAttributeViews()
        .contains("posix")) {
      Files.setPosixFilePermissions(replacement, Files.getPosixFilePermissions(original));
    }
  }

  private static void writeTo(Path file, byte[] header, Map<String, Tensor> tensors)
      throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      length.putLong(header.length).flip();
      writeFully(channel, length);
      writeFully(channel, ByteBuffer.wrap(header));
      ByteBuffer chunk = ByteBuffer.allocate(CHUNK_FLOATS * Float.BYTES)
          .order(ByteOrder.LITTLE_ENDIAN);
      for (Tensor tensor : tensors.values()) {
        float[] values = tensor.data();
        for (int from = 0; from < values.length; from += CHUNK_FLOATS) {
          int count = Math.min(CHUNK_FLOATS, values.length - from);
          chunk.clear();
          chunk.asFloatBuffer().put(values, from, count);
          chunk.limit(count * Float.BYTES);
          writeFully(channel, chunk);
        }
      }
    }
  }

  /**
   * The tensors of a safetensors file, by name, in header order. Metadata is checked (a map of
   * strings) and dropped.
   *
   * @throws FileFormatException if the file is not well-formed, or holds a dtype other than F32
   * @throws IOException if it cannot be read
   */
  public static Map<String, Tensor> read(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    String source = file.toString();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = channel.size();
      if (fileSize < 8) {
        throw new FileFormatException(source, "only " + fileSize
            + " bytes: too short for the 8-byte header length");
      }
      long headerLength = readBytes(channel, 0, 8, source).order(ByteOrder.LITTLE_ENDIAN)
          .getLong();
      if (headerLength < 2 || headerLength > fileSize - 8 || headerLength > MAX_HEADER_BYTES) {
        throw new FileFormatException(source, "header length " + Long.toUnsignedString(
            headerLength) + " does not fit: the file has " + fileSize + " bytes (and headers "
            + "are at most " + MAX_HEADER_BYTES + ")");
      }
      String json = decodeUtf8(readBytes(channel, 8, (int) headerLength, source), source);
      long dataStart = 8 + headerLength;
      List<Entry> entries = entries(json, fileSize - dataStart, source);

      Map<String, Tensor> tensors = new LinkedHashMap<>();
      for (Entry entry : entries) {
        float[] values = new float[(int) entry.numel()];
        readFloats(channel, dataStart + entry.begin(), values, source);
        tensors.put(entry.name(), Tensor.of(values, entry.shape()));
      }
      return tensors;
    }
  }

  /** One tensor as the header describes it, checked against itself and the data size. */
  private record Entry(String name, int[] shape, long numel, long begin, long end) {}

  private static byte[] headerBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
    StringBuilder json = new StringBuilder("{");
    if (!metadata.isEmpty()) {
      json.append(quote(METADATA_KEY)).append(":{");
      String separator = "";
      for (Map.Entry<String, String> item : metadata.entrySet()) {
        json.append(separator).append(quote(Objects.requireNonNull(item.getKey(), "metadata key")))
            .append(':').append(quote(Objects.requireNonNull(item.getValue(), "metadata value")));
        separator = ",";
      }
      json.append('}');
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> item : tensors.entrySet()) {
      String name = Objects.requireNonNull(item.getKey(), "tensor name");
      Tensor tensor = Objects.requireNonNull(item.getValue(), "tensor " + name);
      if (name.isEmpty() || name.equals(METADATA_KEY)) {
        throw new IllegalArgumentException("tensor name '" + name + "': expected a non-empty "
            + "name other than " + METADATA_KEY);
      }
      long end = offset + (long) tensor.numel() * Float.BYTES;
      json.append(json.length() > 1 ? "," : "").append(quote(name))
          .append(":{\"dtype\":\"F32\",\"shape\":[");
      int[] shape = tensor.shape();
      for (int d = 0; d < shape.length; d++) {
        json.append(d > 0 ? "," : "").append(shape[d]);
      }
      json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
      offset = end;
    }
    json.append('}');
    int unpadded = json.toString().getBytes(StandardCharsets.UTF_8).length;
    json.append(" ".repeat((HEADER_ALIGNMENT - unpadded % HEADER_ALIGNMENT) % HEADER_ALIGNMENT));
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Parses the header and checks every entry; returns them sorted by data offset. */
  private static List<Entry> entries(String json, long dataSize, String source)
      throws FileFormatException {
    if (!(HeaderJson.parse(json, source) instanceof Map<?, ?> header)) {
      throw new FileFormatException(source, "the header is not a JSON object");
    }
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<?, ?> item : header.entrySet()) {
      String name = (String) item.getKey();
      if (name.equals(METADATA_KEY)) {
        checkMetadata(item.getValue(), source);
      } else {
        entries.add(entry(name, item.getValue(), dataSize, source));
      }
    }

    List<Entry> byOffset = new ArrayList<>(entries);
    byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long expectedBegin = 0;
    String previous = null;
    for (Entry entry : byOffset) {
      if (entry.begin() != expectedBegin) {
        throw new FileFormatException(source, entry.begin() < expectedBegin
            ? "tensors '" + previous + "' and '" + entry.name() + "' overlap"
            : "a gap of unused bytes before tensor '" + entry.name() + "' at data offset "
                + expectedBegin);
      }
      expectedBegin = entry.end();
      previous = entry.name();
    }
    if (expectedBegin != dataSize) {
      throw new FileFormatException(source, "the tensors cover " + expectedBegin
          + " data bytes but the file holds " + dataSize + " after the header");
    }
    return entries;
  }

  private static Entry entry(String name, Object value, long dataSize, String source)
      throws FileFormatException {
    String what = "tensor '" + name + "'";
    if (!(value instanceof Map<?, ?> fields)) {
      throw new FileFormatException(source, what + " is not a JSON object");
    }
    for (Object key : fields.keySet()) {
      if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
        throw new FileFormatException(source, what + " has an unknown field '" + key + "'");
      }
    }
    Object dtype = fields.get("dtype");
    if (!F32.equals(dtype)) {
      throw new FileFormatException(source, what + " has dtype " + dtype
          + "; only F32 is supported");
    }

    List<Long> dims = longs(fields.get("shape"), what + " shape", source);
    int[] shape = new int[dims.size()];
    long numel = 1;
    for (int d = 0; d < shape.length; d++) {
      long size = dims.get(d);
      if (size < 0 || size > MAX_ELEMENTS || (numel *= size) > MAX_ELEMENTS) {
        throw new FileFormatException(source, what + " shape " + dims
            + " holds more than " + MAX_ELEMENTS + " elements or has a negative size");
      }
      shape[d] = (int) size;
    }

    List<Long> offsets = longs(fields.get("data_offsets"), what + " data_offsets", source);
    if (offsets.size() != 2) {
      throw new FileFormatException(source, what + " data_offsets " + offsets
          + ": expected [begin, end]");
    }
    long begin = offsets.get(0);
    long end = offsets.get(1);
    if (begin < 0 || end < begin || end > dataSize) {
      throw new FileFormatException(source, what + " data_offsets " + offsets
          + " out of range: the data holds " + dataSize + " bytes");
    }
    if (end - begin != numel * Float.BYTES) {
      throw new FileFormatException(source, what + " shape " + dims + " needs "
          + numel * Float.BYTES + " bytes, data_offsets " + offsets + " span " + (end - begin));
    }
    return new Entry(name, shape, numel, begin, end);
  }

  private static List<Long> longs(Object value, String what, String source)
      throws FileFormatException {
    if (value instanceof List<?> list) {
      List<Long> numbers = new ArrayList<>(list.size());
      for (Object item : list) {
        if (!(item instanceof Long number)) {
          throw new FileFormatException(source, what + " holds " + item
              + ": expected whole numbers");
        }
        numbers.add(number);
      }
      return numbers;
    }
    throw new FileFormatException(source, what + " is missing or not an array");
  }

  private static void checkMetadata(Object value, String source) throws FileFormatException {
    if (!(value instanceof Map<?, ?> metadata)) {
      throw new FileFormatException(source, METADATA_KEY + " is not a JSON object");
    }
    for (Map.Entry<?, ?> item : metadata.entrySet()) {
      if (!(item.getValue() instanceof String)) {
        throw new FileFormatException(source, METADATA_KEY + " value of '" + item.getKey()
            + "' is not a string");
      }
    }
  }

  private static String decodeUtf8(ByteBuffer bytes, String source) throws FileFormatException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes).toString();
    } catch (CharacterCodingException e) {
      throw new FileFormatException(source, "the header is not valid UTF-8");
    }
  }

  /** Reads {@code count} bytes at {@code position}; the file may have shrunk since its size. */
  private static ByteBuffer readBytes(FileChannel channel, long position, int count,
      String source) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(count);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new FileFormatException(source, "ends at byte " + (position + buffer.position())
            + " while " + count + " bytes from " + position + " were expected");
      }
    }
    return buffer.flip();
  }

  /** Fills {@code values} from little-endian floats at {@code position}, chunk by chunk. */
  private static void readFloats(FileChannel channel, long position, float[] values,
      String source) throws IOException {
    for (int from = 0; from < values.length; from += CHUNK_FLOATS) {
      int count = Math.min(CHUNK_FLOATS, values.length - from);
      ByteBuffer chunk = readBytes(channel, position + (long) from * Float.BYTES,
          count * Float.BYTES, source);
      chunk.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values, from, count);
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
