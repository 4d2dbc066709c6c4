package dev.nonlinear.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

  @TempDir
  Path dir;

  /** Tensors named as a PyTorch state_dict, with values whose bits must survive exactly. */
  private static Map<String, Tensor> stateDict() {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    float[] weight = {1.5f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_VALUE, -3e38f};
    tensors.put("0.weight", Tensor.of(weight, 2, 3, 1, 1));
    tensors.put("0.bias", Tensor.of(new float[] {0.25f, -7f}, 2));
    tensors.put("scalar", Tensor.of(new float[] {42f}));
    tensors.put("empty", Tensor.zeros(0, 3));
    tensors.put("4.weight", Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 2, 5));
    return tensors;
  }

  @Test
  void overwritingKeepsTheFilesPermissionsAndLeavesNoPartialFile() throws IOException {
    Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path file = dir.resolve("weights.safetensors");
    SafeTensors.write(stateDict(), file);
    Set<PosixFilePermission> shared = PosixFilePermissions.fromString("rw-r-----");
    Files.setPosixFilePermissions(file, shared);

    SafeTensors.write(stateDict(), file);

    assertEquals(shared, Files.getPosixFilePermissions(file));
    try (var listing = Files.list(dir)) {
      assertEquals(List.of(file), listing.toList());
    }
  }

  @Test
  void roundTripKeepsNamesOrderShapesAndBits() throws IOException {
    Path file = dir.resolve("model.safetensors");
    Map<String, Tensor> written = stateDict();
    SafeTensors.write(written, Map.of("format", "pt"), file);

    Map<String, Tensor> read = SafeTensors.read(file);
    assertEquals(List.copyOf(written.keySet()), List.copyOf(read.keySet()));
    for (String name : written.keySet()) {
      Tensor expected = written.get(name);
      Tensor actual = read.get(name);
      assertArrayEquals(expected.shape(), actual.shape(), name);
      for (int i = 0; i < expected.numel(); i++) {
        assertEquals(Float.floatToRawIntBits(expected.data()[i]),
            Float.floatToRawIntBits(actual.data()[i]), name + "[" + i + "]");
      }
    }
  }

  @Test
  void writesTheLayoutOtherReadersExpect() throws IOException {
    Path file = dir.resolve("layout.safetensors");
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("fc.bias", Tensor.of(new float[] {1f, -2f}, 2));
    SafeTensors.write(tensors, file);

    byte[] bytes = Files.readAllBytes(file);
    long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, headerLength % 8, "header padded to 8 bytes");
    assertEquals(8 + headerLength + 8, bytes.length);
    String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
    assertEquals("{\"fc.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
        header.strip());
    ByteBuffer data = ByteBuffer.wrap(bytes, 8 + (int) headerLength, 8)
        .order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(1f, data.getFloat());
    assertEquals(-2f, data.getFloat());
  }

  /** A file with the given header text followed by {@code dataBytes} zero bytes. */
  private Path craft(String name, String header, int dataBytes) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer file = ByteBuffer.allocate(8 + json.length + dataBytes)
        .order(ByteOrder.LITTLE_ENDIAN);
    file.putLong(json.length).put(json);
    return Files.write(dir.resolve(name), file.array());
  }

  private static void assertRejected(Path file, String expectedInMessage) {
    FileFormatException e = assertThrows(FileFormatException.class,
        () -> SafeTensors.read(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
  }

  @Test
  void rejectsATruncatedFile() throws IOException {
    Path file = dir.resolve("whole.safetensors");
    SafeTensors.write(stateDict(), file);
    byte[] bytes = Files.readAllBytes(file);

    Path cutData = Files.write(dir.resolve("cut-data"), Arrays.copyOf(bytes, bytes.length - 4));
    assertRejected(cutData, "out of range");
    Path cutHeader = Files.write(dir.resolve("cut-header"), Arrays.copyOf(bytes, 40));
    assertRejected(cutHeader, "header length");
    Path tiny = Files.write(dir.resolve("tiny"), new byte[] {1, 2, 3});
    assertRejected(tiny, "too short");
  }

  @Test
  void rejectsAHugeClaimedHeaderLength() throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    bytes.putLong(1L << 62);
    Path file = Files.write(dir.resolve("huge-header"), bytes.array());
    assertRejected(file, "header length");

    bytes.clear();
    bytes.putLong(-1L);
    Path negative = Files.write(dir.resolve("negative-header"), bytes.array());
    assertRejected(negative, "header length 18446744073709551615");
  }

  @Test
  void rejectsAHugeClaimedShapeWithoutAllocatingIt() throws IOException {
    assertRejected(craft("huge-shape", "{\"w\":{\"dtype\":\"F32\",\"shape\":[65536,65536],"
        + "\"data_offsets\":[0,8]}}", 8), "more than");
    assertRejected(craft("big-claim", "{\"w\":{\"dtype\":\"F32\",\"shape\":[500000000],"
        + "\"data_offsets\":[0,2000000000]}}", 8), "out of range");
    assertRejected(craft("negative-dim", "{\"w\":{\"dtype\":\"F32\",\"shape\":[-2,-1],"
        + "\"data_offsets\":[0,8]}}", 8), "negative");
  }

  @Test
  void rejectsShapesThatDisagreeWithTheOffsets() throws IOException {
    assertRejected(craft("mismatch", "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],"
        + "\"data_offsets\":[0,8]}}", 8), "needs 12 bytes");
  }

  @Test
  void rejectsOverlapsAndGaps() throws IOException {
    assertRejected(craft("overlap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":"
        + "[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12),
        "overlap");
    assertRejected(craft("gap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":"
        + "[4,8]}}", 8), "gap");
    assertRejected(craft("spare", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":"
        + "[0,4]}}", 8), "cover 4 data bytes but the file holds 8");
  }

  @Test
  void rejectsMalformedHeaders() throws IOException {
    assertRejected(craft("dtype", "{\"w\":{\"dtype\":\"F16\",\"shape\":[2],"
        + "\"data_offsets\":[0,4]}}", 4), "only F32");
    assertRejected(craft("duplicate", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":"
        + "[0,4]},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4),
        "duplicate key");
    assertRejected(craft("fraction", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],"
        + "\"data_offsets\":[0,4]}}", 4), "fraction");
    assertRejected(craft("not-json", "{\"w\": oops}", 0), "unexpected 'o'");
    assertRejected(craft("array", "[1, 2]", 0), "not a JSON object");
    assertRejected(craft("deep", "[".repeat(100) + "]".repeat(100), 0), "nested deeper");
    assertRejected(craft("metadata", "{\"__metadata__\":{\"n\":1}}", 0), "not a string");
    assertRejected(craft("extra-field", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],"
        + "\"data_offsets\":[0,4],\"stride\":[1]}}", 4), "unknown field");

    byte[] notUtf8 = {'{', '"', (byte) 0xff, '"', ':', '1', '}', ' '};
    ByteBuffer file = ByteBuffer.allocate(8 + notUtf8.length).order(ByteOrder.LITTLE_ENDIAN);
    file.putLong(notUtf8.length).put(notUtf8);
    assertRejected(Files.write(dir.resolve("utf8"), file.array()), "UTF-8");
  }

  @Test
  void rejectsReservedOrEmptyNamesOnWrite() {
    Path file = dir.resolve("never");
    assertThrows(IllegalArgumentException.class,
        () -> SafeTensors.write(Map.of("", Tensor.zeros(1)), file));
    assertThrows(IllegalArgumentException.class,
        () -> SafeTensors.write(Map.of("__metadata__", Tensor.zeros(1)), file));
  }
}
