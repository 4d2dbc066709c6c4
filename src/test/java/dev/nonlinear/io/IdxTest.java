package dev.nonlinear.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {

  @TempDir
  Path dir;

  /** Three 2×5 images whose pixel i is (37·i) mod 256: covers 0, 255 and values between. */
  private static byte[] pixels() {
    byte[] pixels = new byte[3 * 2 * 5];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (37 * i % 256);
    }
    pixels[7] = (byte) 255;
    return pixels;
  }

  private static byte[] idx(int magic, int[] dims, byte[] data) {
    ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    buffer.putInt(magic);
    for (int dim : dims) {
      buffer.putInt(dim);
    }
    return buffer.put(data).array();
  }

  private static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(raw);
    }
    return bytes.toByteArray();
  }

  private Path file(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  private static void assertImages(Tensor images) {
    assertArrayEquals(new int[] {3, 1, 2, 5}, images.shape());
    byte[] pixels = pixels();
    for (int i = 0; i < pixels.length; i++) {
      assertEquals((pixels[i] & 0xFF) / 255f, images.data()[i], "pixel " + i);
    }
    assertEquals(1f, images.data()[7]);
    assertEquals(0f, images.data()[0]);
  }

  @Test
  void readsRawAndGzipImagesAlike() throws IOException {
    byte[] raw = idx(2051, new int[] {3, 2, 5}, pixels());
    assertImages(Idx.readImages(file("raw-images", raw)));
    assertImages(Idx.readImages(file("images.gz", gzip(raw))));
    assertImages(Idx.readImages(file("misnamed.gz-not", gzip(raw))));
  }

  @Test
  void readsLabelsAsUnsignedBytes() throws IOException {
    byte[] raw = idx(2049, new int[] {4}, new byte[] {0, 9, (byte) 200, 3});
    int[] expected = {0, 9, 200, 3};
    assertArrayEquals(expected, Idx.readLabels(file("labels", raw)));
    assertArrayEquals(expected, Idx.readLabels(file("labels.gz", gzip(raw))));
  }

  @Test
  void readsAnEmptySet() throws IOException {
    Tensor images = Idx.readImages(file("empty", idx(2051, new int[] {0, 28, 28}, new byte[0])));
    assertArrayEquals(new int[] {0, 1, 28, 28}, images.shape());
  }

  @Test
  void rejectsTruncatedDataNamingTheFile() throws IOException {
    byte[] raw = idx(2051, new int[] {3, 2, 5}, pixels());
    Path cut = file("cut", Arrays.copyOf(raw, raw.length - 1));
    FileFormatException e = assertThrows(FileFormatException.class, () -> Idx.readImages(cut));
    assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());

    Path cutGzip = file("cut.gz", Arrays.copyOf(gzip(raw), 20));
    e = assertThrows(FileFormatException.class, () -> Idx.readImages(cutGzip));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void rejectsATruncatedHeader() throws IOException {
    Path empty = file("empty", new byte[0]);
    FileFormatException e = assertThrows(FileFormatException.class, () -> Idx.readLabels(empty));
    assertTrue(e.getMessage().contains("magic number"), e.getMessage());

    Path half = file("half", Arrays.copyOf(idx(2051, new int[] {3, 2, 5}, new byte[0]), 10));
    e = assertThrows(FileFormatException.class, () -> Idx.readImages(half));
    assertTrue(e.getMessage().contains("dimension 1"), e.getMessage());
  }

  @Test
  void rejectsABadMagic() throws IOException {
    Path labels = file("labels", idx(2049, new int[] {2}, new byte[] {1, 2}));
    FileFormatException e = assertThrows(FileFormatException.class, () -> Idx.readImages(labels));
    assertTrue(e.getMessage().contains("magic number 2049"), e.getMessage());
    assertTrue(e.getMessage().contains("expected 2051"), e.getMessage());

    Path text = file("text", "hello, world".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThrows(FileFormatException.class, () -> Idx.readLabels(text));

    Path notGzip = file("bad.gz", new byte[] {0x1f, (byte) 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    assertThrows(FileFormatException.class, () -> Idx.readLabels(notGzip));
  }

  @Test
  void rejectsAHugeClaimedDimensionWithoutAllocatingIt() throws IOException {
    // 2e9 labels would need an 8 GB int[]: the reader must notice the 3 bytes first.
    Path claims = file("claims", idx(2049, new int[] {2_000_000_000}, new byte[] {1, 2, 3}));
    FileFormatException e = assertThrows(FileFormatException.class, () -> Idx.readLabels(claims));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());

    Path tooMany = file("too-many", idx(2051, new int[] {60000, 60000, 28}, new byte[0]));
    e = assertThrows(FileFormatException.class, () -> Idx.readImages(tooMany));
    assertTrue(e.getMessage().contains("more than"), e.getMessage());

    Path negative = file("negative", idx(2051, new int[] {-1, 28, 28}, new byte[0]));
    e = assertThrows(FileFormatException.class, () -> Idx.readImages(negative));
    assertTrue(e.getMessage().contains("negative"), e.getMessage());
  }

  @Test
  void rejectsBytesAfterTheData() throws IOException {
    Path longer = file("longer", idx(2049, new int[] {2}, new byte[] {1, 2, 3}));
    FileFormatException e = assertThrows(FileFormatException.class, () -> Idx.readLabels(longer));
    assertTrue(e.getMessage().contains("bytes after"), e.getMessage());
  }
}
