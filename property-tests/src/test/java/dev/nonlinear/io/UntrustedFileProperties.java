package dev.nonlinear.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.nonlinear.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file readers on hostile bytes: valid files (safetensors written by the library, IDX files
 * laid out as MNIST's) are mutated so that the damage reaches deep into the parsers (bits
 * flipped, cut short, extended, header numbers set to huge, negative or overlapping values,
 * JSON edited, gzip streams damaged), or replaced by random bytes. Every read must either
 * return a well-formed result or throw {@link FileFormatException} whose message starts with the
 * file's name: never another exception (OutOfMemoryError, ArrayIndexOutOfBoundsException,
 * NegativeArraySizeException, NumberFormatException, ClassCastException...), never a hang, and
 * never an allocation out of proportion with the file (a header claiming gigabytes must be
 * checked against the bytes really there).
 *
 * <p>Each example is an (operation, seed) pair, so a failure QuickTheories prints reproduces.
 */
class UntrustedFileProperties {

  private static final long SEED = 0xF11E5L;

  /** Examples per reader: about a second each on a quiet machine here. */
  private static final int EXAMPLES = 2000;

  /**
   * For all the examples of one property, which take a few seconds: far beyond that, a read is
   * a loop that does not end.
   */
  private static final Duration TIME_LIMIT = Duration.ofSeconds(60);

  /** The example being read, for the message when the time limit passes. */
  private static volatile String currentExample = "none yet";

  /**
   * Allocation allowed per read: a fixed part for streams, buffers and messages, plus a multiple
   * of the file's size. A reader holds at most the data twice over (a doubling buffer) and its
   * float copy (4 bytes per byte read), the header as bytes and as a string: 16 times the size
   * bounds them all. Gzip inflates at most 1032-fold, so a compressed file may cost that much
   * more.
   */
  private static final long FIXED_ALLOWANCE = 4 << 20;

  private static final long BYTES_PER_FILE_BYTE = 16;

  private static final long GZIP_EXPANSION = 1032;

  /** Values a header field is set to: edges of int and long, zero, one, the limits nearby. */
  private static final long[] EXTREMES = {
    0, 1, -1, 2, 3, 4, 7, 8, 255, 65536, Integer.MAX_VALUE, Integer.MAX_VALUE - 8,
    (long) Integer.MAX_VALUE + 1, Integer.MIN_VALUE, 1L << 32, (1L << 32) + 4, Long.MAX_VALUE,
    Long.MIN_VALUE, Long.MAX_VALUE - 7, 100_000_000, 100_000_001, 2_000_000_000
  };

  /** Replacements for a whole JSON value in a safetensors header. */
  private static final String[] JSON_VALUES = {
    "null", "true", "0", "-1", "\"F32\"", "\"F16\"", "\"\"", "[]", "{}", "[0]", "[-1]", "[0,0]",
    "[1,2,3]", "[[1]]", "[4294967296]", "[2147483647,2147483647]", "[0,-4]", "[8,4]",
    "[9223372036854775807]", "[9223372036854775808]", "[1.5]", "[1e3]", "[01]", "[-0]",
    "{\"dtype\":\"F32\"}", "\"\\u0000\"", "\"\\ud800\"", "[" + "[".repeat(40) + "]".repeat(40) + "]"
  };

  /** Characters a JSON edit inserts: structure, digits, escapes, a multi-byte letter, NUL. */
  private static final String JSON_CHARS = "{}[]\":,-0123456789e.\\ tnfu\u00e9\u0000\u20ac";

  private static final Pattern NUMBER = Pattern.compile("-?\\d+");

  private static final Pattern KEY = Pattern.compile("\"[^\"]*\":");

  @TempDir
  static Path dir;

  /** Valid safetensors files: small with metadata, and one whose data spans read chunks. */
  private static final List<byte[]> SAFETENSORS = new ArrayList<>();

  /** Valid IDX images (magic 2051), small and one larger than the first read buffer. */
  private static final List<byte[]> IDX_IMAGES = new ArrayList<>();

  private static byte[] idxLabels;

  @FunctionalInterface
  private interface Reader {
    void read(Path file) throws IOException;
  }

  @BeforeAll
  static void writeValidFiles() throws IOException {
    Map<String, Tensor> small = new LinkedHashMap<>();
    small.put("0.weight", Tensor.of(new float[] {1.5f, -0f, Float.NaN, 2f, -3e38f, 7f}, 2, 3));
    small.put("0.bias", Tensor.of(new float[] {0.25f, -7f}, 2));
    small.put("scalar", Tensor.of(new float[] {42f}));
    small.put("empty", Tensor.zeros(0, 3));
    SAFETENSORS.add(written(small, Map.of("format", "pt")));

    Map<String, Tensor> large = new LinkedHashMap<>();
    large.put("fc.weight", Tensor.zeros(3, (1 << 14) / 3 + 7));
    large.put("fc.bias", Tensor.of(new float[] {1f, 2f, 3f}, 3));
    SAFETENSORS.add(written(large, Map.of()));

    IDX_IMAGES.add(idx(Idx.IMAGES_MAGIC, 3, 5, 7));
    IDX_IMAGES.add(idx(Idx.IMAGES_MAGIC, 2, 200, 180));
    idxLabels = idx(Idx.LABELS_MAGIC, 11);
  }

  private static byte[] written(Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    Path file = dir.resolve("valid.safetensors");
    SafeTensors.write(tensors, metadata, file);
    byte[] bytes = Files.readAllBytes(file);
    SafeTensors.read(file);
    return bytes;
  }

  private static byte[] idx(int magic, int... dims) {
    int count = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
    ByteBuffer bytes = ByteBuffer.allocate(4 + 4 * dims.length + count);
    bytes.putInt(magic);
    for (int dim : dims) {
      bytes.putInt(dim);
    }
    for (int i = 0; i < count; i++) {
      bytes.put((byte) (i * 37));
    }
    return bytes.array();
  }

  @Test
  void safeTensorsReadsOrRejectsMutatedFiles() {
    Path file = dir.resolve("mutant.safetensors");
    withinTimeLimit(() -> qt().withFixedSeed(SEED).withExamples(EXAMPLES)
        .forAll(integers().between(0, 8), longs().all())
        .checkAssert((operation, seed) -> {
          SplittableRandom random = new SplittableRandom(seed);
          byte[] valid = SAFETENSORS.get(oftenTheSmallOne(random));
          byte[] mutant = mutateSafeTensors(operation, valid, random);
          assertReadsOrRejects("safetensors operation " + operation + ", seed " + seed,
              write(file, mutant), false, UntrustedFileProperties::readSafeTensors);
        }));
  }

  @Test
  void idxReadsOrRejectsMutatedFiles() {
    Path file = dir.resolve("mutant-idx");
    withinTimeLimit(() -> qt().withFixedSeed(SEED).withExamples(EXAMPLES)
        .forAll(integers().between(0, 7), longs().all())
        .checkAssert((operation, seed) -> {
          SplittableRandom random = new SplittableRandom(seed);
          boolean labels = random.nextInt(4) == 0;
          byte[] valid = labels ? idxLabels : IDX_IMAGES.get(oftenTheSmallOne(random));
          byte[] mutant = mutateIdx(operation, valid, random);
          // Now and then the other reader, so a wrong magic is met in both directions.
          boolean asLabels = random.nextInt(10) == 0 ? !labels : labels;
          assertReadsOrRejects("idx operation " + operation + ", seed " + seed + ", read as "
              + (asLabels ? "labels" : "images"), write(file, mutant), isGzip(mutant),
              asLabels ? UntrustedFileProperties::readLabels : UntrustedFileProperties::readImages);
        }));
  }

  /** 0 (the small file) three times in four, else 1: the large one costs more per read. */
  private static int oftenTheSmallOne(SplittableRandom random) {
    return random.nextInt(4) == 0 ? 1 : 0;
  }

  /** The valid files themselves read back: the mutations start from files the readers accept. */
  @Test
  void theUnmutatedFilesAreRead() throws IOException {
    for (byte[] valid : SAFETENSORS) {
      readSafeTensors(write(dir.resolve("valid.safetensors"), valid));
    }
    for (byte[] valid : IDX_IMAGES) {
      readImages(write(dir.resolve("valid-images"), valid));
      readImages(write(dir.resolve("valid-images.gz"), gzip(valid)));
    }
    readLabels(write(dir.resolve("valid-labels"), idxLabels));
  }

  // ---- the readers, with what a successful read must satisfy

  private static void readSafeTensors(Path file) throws IOException {
    for (Map.Entry<String, Tensor> entry : SafeTensors.read(file).entrySet()) {
      Tensor tensor = entry.getValue();
      long numel = 1;
      for (int size : tensor.shape()) {
        numel *= size;
      }
      assertEquals(numel, tensor.data().length, entry.getKey());
    }
  }

  private static void readImages(Path file) throws IOException {
    Tensor images = Idx.readImages(file);
    int[] shape = images.shape();
    assertEquals(4, shape.length);
    assertEquals(1, shape[1]);
    assertEquals((long) shape[0] * shape[2] * shape[3], images.data().length);
    for (float pixel : images.data()) {
      if (!(pixel >= 0f && pixel <= 1f)) {
        fail("pixel " + pixel);
      }
    }
  }

  private static void readLabels(Path file) throws IOException {
    for (int label : Idx.readLabels(file)) {
      if (label < 0 || label > 255) {
        fail("label " + label);
      }
    }
  }

  // ---- the check

  /**
   * Runs a whole property on a thread that is abandoned after {@link #TIME_LIMIT}; on a hang the
   * message names the example that was being read.
   */
  private static void withinTimeLimit(Runnable property) {
    assertTimeoutPreemptively(TIME_LIMIT, property::run,
        () -> "no answer within " + TIME_LIMIT + "; the read in progress: " + currentExample);
  }

  /**
   * Reads {@code file} and requires a result, or a FileFormatException naming the file, within
   * the allocation allowance.
   */
  private static void assertReadsOrRejects(String example, Path file, boolean gzip,
      Reader reader) {
    currentExample = example;
    long size = fileSize(file);
    long before = allocatedByThisThread();
    Throwable thrown = null;
    try {
      reader.read(file);
    } catch (Throwable t) {
      thrown = t;
    }
    long allocated = allocatedByThisThread() - before;

    if (thrown != null) {
      if (!(thrown instanceof FileFormatException e)) {
        throw new AssertionError(example + ": threw " + thrown, thrown);
      }
      assertTrue(e.getMessage().startsWith(file.toString()), example + ": " + e.getMessage());
      assertFalse(e.getMessage().endsWith("null"), example + ": a cause's missing message "
          + "printed as null: " + e.getMessage());
    }
    long allowance = FIXED_ALLOWANCE
        + BYTES_PER_FILE_BYTE * size * (gzip ? GZIP_EXPANSION : 1);
    if (allocated > allowance) {
      fail(example + ": allocated " + allocated + " bytes for a file of " + size + " ("
          + (thrown == null ? "read" : thrown.getMessage()) + ")");
    }
  }

  private static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  // ---- safetensors mutations

  private static byte[] mutateSafeTensors(int operation, byte[] valid, SplittableRandom random) {
    int headerLength = (int) ByteBuffer.wrap(valid, 0, 8).order(ByteOrder.LITTLE_ENDIAN)
        .getLong();
    String header = new String(valid, 8, headerLength, StandardCharsets.UTF_8);
    byte[] data = Arrays.copyOfRange(valid, 8 + headerLength, valid.length);
    return switch (operation) {
      case 0 -> flipBits(valid, 8 + headerLength, random);
      case 1 -> truncate(valid, random);
      case 2 -> extend(valid, random);
      case 3 -> withLengthField(valid, lengthFieldValue(valid.length, headerLength, random));
      case 4 -> safeTensors(replaceNumber(header, random), data);
      case 5 -> safeTensors(editCharacters(header, random), data);
      case 6 -> safeTensors(replaceValue(header, random), data);
      case 7 -> safeTensors(replaceKey(header, random), data);
      default -> randomFile(random, random.nextBoolean());
    };
  }

  /** A safetensors file with {@code header} and {@code data}, its length field consistent. */
  private static byte[] safeTensors(String header, byte[] data) {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(json.length).put(json).put(data).array();
  }

  private static byte[] withLengthField(byte[] file, long value) {
    byte[] copy = file.clone();
    ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
    return copy;
  }

  /** An extreme, or a value just around the real header length or the file's end. */
  private static long lengthFieldValue(int fileLength, int headerLength,
      SplittableRandom random) {
    return switch (random.nextInt(3)) {
      case 0 -> EXTREMES[random.nextInt(EXTREMES.length)];
      case 1 -> headerLength + random.nextInt(-9, 10);
      default -> fileLength - 8 + random.nextInt(-3, 4);
    };
  }

  /** One number of the header set to an extreme or to another number of the header. */
  private static String replaceNumber(String header, SplittableRandom random) {
    List<int[]> spans = spans(NUMBER.matcher(header));
    int[] span = spans.get(random.nextInt(spans.size()));
    String replacement;
    if (random.nextBoolean()) {
      replacement = Long.toString(EXTREMES[random.nextInt(EXTREMES.length)]);
    } else {
      int[] other = spans.get(random.nextInt(spans.size()));
      replacement = header.substring(other[0], other[1]);
    }
    return header.substring(0, span[0]) + replacement + header.substring(span[1]);
  }

  /** The value after one key replaced by another JSON value (or by a truncated one). */
  private static String replaceValue(String header, SplittableRandom random) {
    List<int[]> keys = spans(KEY.matcher(header));
    int start = keys.get(random.nextInt(keys.size()))[1];
    int end = endOfValue(header, start);
    String value = JSON_VALUES[random.nextInt(JSON_VALUES.length)];
    if (random.nextInt(8) == 0) {
      value = value.substring(0, random.nextInt(value.length() + 1));
    }
    return header.substring(0, start) + value + header.substring(end);
  }

  /** One key renamed: to the metadata key, to another key (a duplicate), or to nonsense. */
  private static String replaceKey(String header, SplittableRandom random) {
    List<int[]> keys = spans(KEY.matcher(header));
    int[] key = keys.get(random.nextInt(keys.size()));
    int[] other = keys.get(random.nextInt(keys.size()));
    String name = switch (random.nextInt(4)) {
      case 0 -> "\"__metadata__\":";
      case 1 -> header.substring(other[0], other[1]);
      case 2 -> "\"\":";
      default -> "\"stride\":";
    };
    return header.substring(0, key[0]) + name + header.substring(key[1]);
  }

  /** A few characters deleted, inserted or replaced, from a palette JSON parsers trip on. */
  private static String editCharacters(String header, SplittableRandom random) {
    StringBuilder text = new StringBuilder(header);
    int edits = 1 + random.nextInt(3);
    for (int i = 0; i < edits && text.length() > 0; i++) {
      int at = random.nextInt(text.length());
      char c = JSON_CHARS.charAt(random.nextInt(JSON_CHARS.length()));
      switch (random.nextInt(3)) {
        case 0 -> text.deleteCharAt(at);
        case 1 -> text.insert(at, c);
        default -> text.setCharAt(at, c);
      }
    }
    return text.toString();
  }

  /** Where the JSON value starting at {@code start} ends (brackets balanced, strings skipped). */
  private static int endOfValue(String json, int start) {
    int depth = 0;
    boolean inString = false;
    for (int i = start; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
          if (depth == 0) {
            return i + 1;
          }
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '[' || c == '{') {
        depth++;
      } else if (c == ']' || c == '}') {
        if (depth == 0) {
          return i;
        }
        if (--depth == 0) {
          return i + 1;
        }
      } else if (c == ',' && depth == 0) {
        return i;
      }
    }
    return json.length();
  }

  private static List<int[]> spans(Matcher matcher) {
    List<int[]> spans = new ArrayList<>();
    while (matcher.find()) {
      spans.add(new int[] {matcher.start(), matcher.end()});
    }
    return spans;
  }

  // ---- IDX mutations

  private static byte[] mutateIdx(int operation, byte[] valid, SplittableRandom random) {
    int headerLength = 4 + 4 * (valid[3] & 0xFF);
    return switch (operation) {
      case 0 -> flipBits(valid, headerLength, random);
      case 1 -> truncate(valid, random);
      case 2 -> extend(valid, random);
      case 3 -> withHeaderInt(valid, headerLength, random);
      case 4 -> gzip(mutateIdx(random.nextInt(4), valid, random));
      case 5 -> flipBits(gzip(valid), 20, random);
      case 6 -> random.nextBoolean() ? truncate(gzip(valid), random)
          : concatenate(gzip(valid), random.nextBoolean() ? gzip(valid)
              : randomFile(random, false));
      default -> randomFile(random, random.nextBoolean());
    };
  }

  /** The magic number or one size set to an extreme, a neighbour, or another type or rank. */
  private static byte[] withHeaderInt(byte[] valid, int headerLength, SplittableRandom random) {
    byte[] copy = valid.clone();
    ByteBuffer header = ByteBuffer.wrap(copy);
    int field = random.nextInt(headerLength / 4);
    int value = switch (random.nextInt(3)) {
      case 0 -> (int) EXTREMES[random.nextInt(EXTREMES.length)];
      case 1 -> header.getInt(4 * field) + random.nextInt(-2, 3);
      default -> new int[] {0x0801, 0x0802, 0x0803, 0x0804, 0x0903, 0x0D03, 0x0800}[
          random.nextInt(7)];
    };
    header.putInt(4 * field, value);
    return copy;
  }

  private static boolean isGzip(byte[] bytes) {
    return bytes.length >= 2 && (bytes[0] & 0xFF) == 0x1f && (bytes[1] & 0xFF) == 0x8b;
  }

  private static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  // ---- mutations of any file

  /** One to eight bits flipped, half of the time within the first {@code header} bytes. */
  private static byte[] flipBits(byte[] valid, int header, SplittableRandom random) {
    byte[] copy = valid.clone();
    int flips = 1 + random.nextInt(8);
    for (int i = 0; i < flips; i++) {
      int at = random.nextInt(random.nextBoolean() ? Math.min(header, copy.length) : copy.length);
      copy[at] ^= (byte) (1 << random.nextInt(8));
    }
    return copy;
  }

  private static byte[] truncate(byte[] valid, SplittableRandom random) {
    return Arrays.copyOf(valid, random.nextInt(valid.length));
  }

  /** Zeros, random bytes or a copy of the file's own start appended. */
  private static byte[] extend(byte[] valid, SplittableRandom random) {
    byte[] tail = switch (random.nextInt(3)) {
      case 0 -> new byte[1 + random.nextInt(64)];
      case 1 -> randomFile(random, false);
      default -> Arrays.copyOf(valid, 1 + random.nextInt(Math.min(valid.length, 64)));
    };
    return concatenate(valid, tail);
  }

  private static byte[] concatenate(byte[] first, byte[] second) {
    byte[] joined = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, joined, first.length, second.length);
    return joined;
  }

  /** Up to 300 random bytes, optionally behind a gzip magic. */
  private static byte[] randomFile(SplittableRandom random, boolean gzipMagic) {
    byte[] bytes = new byte[random.nextInt(300)];
    random.nextBytes(bytes);
    if (gzipMagic && bytes.length >= 2) {
      bytes[0] = 0x1f;
      bytes[1] = (byte) 0x8b;
    }
    return bytes;
  }

  private static Path write(Path file, byte[] bytes) {
    try {
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long fileSize(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
