package dev.nonlinear.io;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Untrusted bytes into {@link Images#read(java.io.InputStream, String, long)}: valid pictures of
 * every format and colour type, then flipped bits, overwritten bytes (headers included),
 * truncations, inserted and deleted runs, and random bytes behind a valid magic number. Each
 * must end in an {@link RgbImage} within the pixel limit or a {@link FileFormatException}:
 * never another exception, an {@link OutOfMemoryError} or a hang.
 *
 * <p>The limit here is {@value #MAX_PIXELS} pixels, so a mutated header that claims a large
 * size is refused without allocating its pixels and the run stays fast. A failing example is
 * printed with its bytes in hex, and the fixed seed makes the run repeat.
 */
class ImageDecodingProperties {

  private static final long MAX_PIXELS = 1 << 16;

  private static final List<byte[]> SEEDS = seedPictures();

  /** Small valid pictures: RGB, RGBA, grey, 16-bit grey, palettes; PNG, JPEG, BMP, GIF. */
  private static List<byte[]> seedPictures() {
    SplittableRandom random = new SplittableRandom(5);
    BufferedImage rgb = new BufferedImage(9, 7, BufferedImage.TYPE_INT_RGB);
    BufferedImage argb = new BufferedImage(5, 6, BufferedImage.TYPE_INT_ARGB);
    BufferedImage grey = new BufferedImage(7, 3, BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage grey16 = new BufferedImage(4, 5, BufferedImage.TYPE_USHORT_GRAY);
    for (BufferedImage image : List.of(rgb, argb)) {
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          image.setRGB(x, y, random.nextInt());
        }
      }
    }
    for (BufferedImage image : List.of(grey, grey16)) {
      int[] samples = new int[image.getWidth() * image.getHeight()];
      int max = image == grey ? 256 : 65536;
      Arrays.setAll(samples, i -> random.nextInt(max));
      image.getRaster().setPixels(0, 0, image.getWidth(), image.getHeight(), samples);
    }
    BufferedImage palette = palettePicture(random);
    return List.of(encode(rgb, "png"), encode(argb, "png"), encode(grey, "png"),
        encode(grey16, "png"), encode(palette, "png"), encode(rgb, "jpeg"),
        encode(grey, "jpeg"), encode(rgb, "bmp"), encode(palette, "bmp"),
        encode(palette, "gif"), encode(rgb, "gif"));
  }

  private static BufferedImage palettePicture(SplittableRandom random) {
    byte[] reds = new byte[16];
    byte[] greens = new byte[16];
    byte[] blues = new byte[16];
    random.nextBytes(reds);
    random.nextBytes(greens);
    random.nextBytes(blues);
    IndexColorModel colours = new IndexColorModel(8, 16, reds, greens, blues);
    BufferedImage image = new BufferedImage(6, 5, BufferedImage.TYPE_BYTE_INDEXED, colours);
    int[] indices = new int[30];
    Arrays.setAll(indices, i -> random.nextInt(16));
    image.getRaster().setPixels(0, 0, 6, 5, indices);
    return image;
  }

  private static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      assertTrue(ImageIO.write(image, format, bytes), "the JDK writes " + format);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Test
  void theSeedPicturesThemselvesDecode() throws IOException {
    for (byte[] seed : SEEDS) {
      RgbImage image = Images.read(new ByteArrayInputStream(seed), "seed", MAX_PIXELS);
      assertTrue(image.width() >= 1 && image.height() >= 1);
    }
  }

  @Test
  void mutatedPicturesDecodeOrFailWithTheDocumentedException() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        qt().withFixedSeed(20261204L).withExamples(2000)
            .forAll(integers().between(0, SEEDS.size() - 1), longs().all())
            .checkAssert((seed, mutationSeed) ->
                assertDecodesOrRefuses(mutate(SEEDS.get(seed), mutationSeed))));
  }

  @Test
  void randomBytesBehindAMagicNumberFailCleanly() {
    byte[][] magics = {
        {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'},
        {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
        {'G', 'I', 'F', '8', '9', 'a'},
        {'B', 'M'}};
    assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
        qt().withFixedSeed(20261205L).withExamples(500)
            .forAll(integers().between(0, magics.length - 1), integers().between(0, 300),
                longs().all())
            .checkAssert((magic, length, seed) -> {
              byte[] bytes = Arrays.copyOf(magics[magic], magics[magic].length + length);
              byte[] tail = new byte[length];
              new SplittableRandom(seed).nextBytes(tail);
              System.arraycopy(tail, 0, bytes, magics[magic].length, length);
              assertDecodesOrRefuses(bytes);
            }));
  }

  /** One to four mutations of {@code original}, drawn from {@code seed}. */
  static byte[] mutate(byte[] original, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] bytes = original.clone();
    int mutations = 1 + random.nextInt(4);
    for (int m = 0; m < mutations && bytes.length > 0; m++) {
      int at = random.nextInt(bytes.length);
      switch (random.nextInt(6)) {
        case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> bytes[at] = (byte) random.nextInt(256);
        case 2 -> bytes[Math.min(at, 40) % bytes.length] = (byte) random.nextInt(256);
        case 3 -> bytes = Arrays.copyOf(bytes, at);
        case 4 -> bytes = insert(bytes, at, random);
        default -> bytes = delete(bytes, at, random);
      }
    }
    return bytes;
  }

  private static byte[] insert(byte[] bytes, int at, SplittableRandom random) {
    byte[] run = new byte[1 + random.nextInt(64)];
    random.nextBytes(run);
    byte[] longer = new byte[bytes.length + run.length];
    System.arraycopy(bytes, 0, longer, 0, at);
    System.arraycopy(run, 0, longer, at, run.length);
    System.arraycopy(bytes, at, longer, at + run.length, bytes.length - at);
    return longer;
  }

  private static byte[] delete(byte[] bytes, int at, SplittableRandom random) {
    int count = Math.min(bytes.length - at, 1 + random.nextInt(64));
    byte[] shorter = new byte[bytes.length - count];
    System.arraycopy(bytes, 0, shorter, 0, at);
    System.arraycopy(bytes, at + count, shorter, at, bytes.length - at - count);
    return shorter;
  }

  private static void assertDecodesOrRefuses(byte[] bytes) {
    try {
      RgbImage image = Images.read(new ByteArrayInputStream(bytes), "fuzz", MAX_PIXELS);
      long pixels = (long) image.width() * image.height();
      assertTrue(pixels >= 1 && pixels <= MAX_PIXELS, "decoded " + image);
    } catch (FileFormatException expected) {
      assertTrue(expected.getMessage().startsWith("fuzz: "), expected.getMessage());
    } catch (Throwable other) {
      fail("not the documented exception for bytes " + HexFormat.of().formatHex(bytes), other);
    }
  }
}
