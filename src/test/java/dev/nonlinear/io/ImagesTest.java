package dev.nonlinear.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {

  @TempDir
  Path dir;

  // ---- Files written byte by byte, and by the JDK's writers ----

  /**
   * A 3×2 24-bit BMP written by hand: rows bottom-up, pixels blue-green-red, rows padded to 4
   * bytes. Top row: red, green, blue; bottom row: black, grey 128, white.
   */
  static byte[] handMadeBmp() {
    int rowBytes = 12;
    ByteBuffer file = ByteBuffer.allocate(54 + 2 * rowBytes).order(ByteOrder.LITTLE_ENDIAN);
    file.put((byte) 'B').put((byte) 'M').putInt(54 + 2 * rowBytes).putInt(0).putInt(54);
    file.putInt(40).putInt(3).putInt(2).putShort((short) 1).putShort((short) 24).putInt(0)
        .putInt(2 * rowBytes).putInt(2835).putInt(2835).putInt(0).putInt(0);
    byte[] bottom = {0, 0, 0, (byte) 128, (byte) 128, (byte) 128, -1, -1, -1, 0, 0, 0};
    byte[] top = {0, 0, -1, 0, -1, 0, -1, 0, 0, 0, 0, 0};
    return file.put(bottom).put(top).array();
  }

  /**
   * A 4×1 8-bit palette BMP written by hand: four palette entries (blue, green, red, 0) of the
   * colours of {@link #palettePicture}, then indices 0, 1, 2, 3.
   */
  static byte[] handMadePaletteBmp() {
    int offset = 54 + 4 * 4;
    ByteBuffer file = ByteBuffer.allocate(offset + 4).order(ByteOrder.LITTLE_ENDIAN);
    file.put((byte) 'B').put((byte) 'M').putInt(offset + 4).putInt(0).putInt(offset);
    file.putInt(40).putInt(4).putInt(1).putShort((short) 1).putShort((short) 8).putInt(0)
        .putInt(4).putInt(2835).putInt(2835).putInt(4).putInt(0);
    file.put(new byte[] {50, 100, (byte) 200, 0, 0, 0, 0, 0, 30, 20, 10, 0, 0, -1, -1, 0});
    return file.put(new byte[] {0, 1, 2, 3}).array();
  }

  static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, format, bytes), "the JDK writes " + format);
    return bytes.toByteArray();
  }

  private static RgbImage decode(byte[] bytes) throws IOException {
    return Images.read(new ByteArrayInputStream(bytes), "test", Images.DEFAULT_MAX_PIXELS);
  }

  private static void assertPixel(RgbImage image, int y, int x, int r, int g, int b) {
    assertArrayEquals(new int[] {r, g, b}, new int[] {image.get(y, x, 0), image.get(y, x, 1),
        image.get(y, x, 2)}, "pixel (" + y + ", " + x + ")");
  }

  @Test
  void readsAHandMadeBmpExactly() throws IOException {
    Path file = Files.write(dir.resolve("tiny.bmp"), handMadeBmp());
    RgbImage image = Images.read(file);

    assertEquals(3, image.width());
    assertEquals(2, image.height());
    assertArrayEquals(new byte[] {-1, 0, 0, 0, -1, 0, 0, 0, -1, 0, 0, 0, (byte) 128,
        (byte) 128, (byte) 128, -1, -1, -1}, image.pixels());
  }

  @Test
  void toTensorIsChannelsFirstBytesOver255() throws IOException {
    Tensor x = Images.toTensor(decode(handMadeBmp()));

    assertArrayEquals(new int[] {3, 2, 3}, x.shape());
    float grey = 128 / 255f;
    assertArrayEquals(new float[] {
        1, 0, 0, 0, grey, 1,      // red plane: top row, then bottom row
        0, 1, 0, 0, grey, 1,      // green
        0, 0, 1, 0, grey, 1}, x.data());
  }

  @Test
  void pngWithAlphaKeepsTheStoredColourEvenWhereTransparent() throws IOException {
    BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    image.setRGB(0, 0, 0x000A141E);                 // alpha 0, colour (10, 20, 30)
    image.setRGB(1, 0, 0x80FF8040);                 // alpha 128
    RgbImage rgb = decode(encode(image, "png"));

    assertPixel(rgb, 0, 0, 10, 20, 30);
    assertPixel(rgb, 0, 1, 255, 128, 64);
  }

  @Test
  void greyPngRepeatsItsValueWithoutColourConversion() throws IOException {
    BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setPixels(0, 0, 3, 1, new int[] {0, 128, 255});
    RgbImage rgb = decode(encode(image, "png"));

    // BufferedImage.getRGB would give 128 → 187 here (linear grey to sRGB); PIL keeps 128.
    assertPixel(rgb, 0, 0, 0, 0, 0);
    assertPixel(rgb, 0, 1, 128, 128, 128);
    assertPixel(rgb, 0, 2, 255, 255, 255);
  }

  @Test
  void sixteenBitGreyIsRoundedToEightBits() throws IOException {
    BufferedImage image = new BufferedImage(4, 1, BufferedImage.TYPE_USHORT_GRAY);
    image.getRaster().setPixels(0, 0, 4, 1, new int[] {0, 1000, 128 * 257, 65535});
    RgbImage rgb = decode(encode(image, "png"));

    // round(1000 · 255 / 65535) = round(3.89) = 4; 128 · 257 is exactly 128 in 8 bits.
    assertPixel(rgb, 0, 0, 0, 0, 0);
    assertPixel(rgb, 0, 1, 4, 4, 4);
    assertPixel(rgb, 0, 2, 128, 128, 128);
    assertPixel(rgb, 0, 3, 255, 255, 255);
  }

  /** A 4×1 picture with a palette of four colours in {@code bits}-bit indices, i at column i. */
  private static BufferedImage palettePicture(int bits) {
    byte[] reds = {(byte) 200, 0, 10, (byte) 255};
    byte[] greens = {100, 0, 20, (byte) 255};
    byte[] blues = {50, 0, 30, 0};
    IndexColorModel palette = new IndexColorModel(bits, 4, reds, greens, blues);
    BufferedImage image = new BufferedImage(4, 1, bits == 8 ? BufferedImage.TYPE_BYTE_INDEXED
        : BufferedImage.TYPE_BYTE_BINARY, palette);
    WritableRaster raster = image.getRaster();
    raster.setPixels(0, 0, 4, 1, new int[] {0, 1, 2, 3});
    return image;
  }

  @Test
  void paletteImagesTakeThePaletteColours() throws IOException {
    // The JDK's BMP writer fails on 2- and 4-bit palettes and garbles a short 8-bit one, so
    // the BMP is made by hand.
    byte[][] files = {encode(palettePicture(2), "png"), encode(palettePicture(2), "gif"),
        encode(palettePicture(8), "png"), handMadePaletteBmp()};
    for (byte[] file : files) {
      RgbImage rgb = decode(file);

      assertPixel(rgb, 0, 0, 200, 100, 50);
      assertPixel(rgb, 0, 1, 0, 0, 0);
      assertPixel(rgb, 0, 2, 10, 20, 30);
      assertPixel(rgb, 0, 3, 255, 255, 0);
    }
  }

  @Test
  void jpegOfOneColourComesBackNearlyThatColour() throws IOException {
    BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        image.setRGB(x, y, 0xC86432);              // (200, 100, 50)
      }
    }
    RgbImage rgb = decode(encode(image, "jpeg"));

    // JPEG is lossy: chroma quantisation moves a flat colour by a few levels.
    for (int c = 0; c < 3; c++) {
      int expected = new int[] {200, 100, 50}[c];
      assertTrue(Math.abs(rgb.get(7, 9, c) - expected) <= 4, "channel " + c + ": "
          + rgb.get(7, 9, c));
    }
  }

  // ---- Untrusted bytes ----

  private static FileFormatException refused(byte[] bytes) {
    return assertThrows(FileFormatException.class, () -> decode(bytes));
  }

  @Test
  void refusesWhatIsNotAPicture() {
    assertTrue(refused(new byte[0]).getMessage().contains("test: not a PNG, JPEG, BMP or GIF"
        + " picture: empty"));
    FileFormatException text = refused("hello, world".getBytes(StandardCharsets.US_ASCII));
    assertTrue(text.getMessage().contains("starts with bytes 68 65 6c 6c"), text.getMessage());
  }

  @Test
  void wrapsTheDecodersRuntimeExceptions() {
    // A GIF with a header and a trailer but no frame: the JDK's reader throws
    // IndexOutOfBoundsException from getWidth(0).
    byte[] noFrame = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0, 0x3B};
    FileFormatException error = refused(noFrame);

    assertTrue(error.getMessage().startsWith("test: cannot decode the GIF data: "
        + "IndexOutOfBoundsException"), error.getMessage());
    assertTrue(error.getCause() instanceof IndexOutOfBoundsException, error.toString());
  }

  @Test
  void refusesTruncatedFilesOfEveryFormat() throws IOException {
    BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
    SplittableRandom random = new SplittableRandom(7);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        image.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    for (String format : new String[] {"png", "jpeg", "bmp", "gif"}) {
      byte[] whole = encode(image, format);
      FileFormatException error = refused(Arrays.copyOf(whole, whole.length / 2));
      assertTrue(error.getMessage().startsWith("test: "), error.getMessage());
    }
  }

  @Test
  void refusesAPictureOverTheLimitBeforeDecodingIt() throws IOException {
    byte[] png = encode(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png");

    FileFormatException error = assertThrows(FileFormatException.class,
        () -> Images.read(new ByteArrayInputStream(png), "small.png", 15));
    assertTrue(error.getMessage().contains("4×4 = 16 pixels, more than the limit of 15"),
        error.getMessage());
    assertEquals(4, Images.read(new ByteArrayInputStream(png), "small.png", 16).width());
  }

  /** A PNG chunk: length, type, data, CRC of type and data. */
  private static byte[] pngChunk(String type, byte[] data) {
    ByteBuffer chunk = ByteBuffer.allocate(12 + data.length);
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    return chunk.putInt(data.length).put(typeBytes).put(data).putInt((int) crc.getValue())
        .array();
  }

  private static byte[] pngHeader(int width, int height) {
    byte[] ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
        .put(new byte[] {8, 2, 0, 0, 0}).array();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    png.writeBytes(pngChunk("IHDR", ihdr));
    return png.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      all.writeBytes(part);
    }
    return all.toByteArray();
  }

  @Test
  void refusesHeadersClaimingHugeSizesQuickly() throws IOException {
    byte[] png = concat(pngHeader(100_000, 100_000), pngChunk("IDAT", new byte[10]));
    byte[] gif = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN)
        .put("GIF89a".getBytes(StandardCharsets.US_ASCII)).putShort((short) -1)
        .putShort((short) -1).put(new byte[] {0, 0, 0})
        .put((byte) 0x2C).putShort((short) 0).putShort((short) 0).putShort((short) -1)
        .putShort((short) -1).put((byte) 0).put((byte) 8).array();
    byte[] bmp = handMadeBmp();
    // The JDK checks the pixel bytes against the file size the header gives: claim 2 GiB.
    ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN).putInt(2, Integer.MAX_VALUE)
        .putInt(18, 8192).putInt(22, 8192);
    byte[] jpeg = encode(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "jpeg");
    int frame = startOfFrame(jpeg);
    ByteBuffer.wrap(jpeg).putShort(frame + 5, (short) 0xFFDC).putShort(frame + 7,
        (short) 0xFFDC);

    for (byte[] bytes : new byte[][] {png, gif, bmp, jpeg}) {
      FileFormatException error = assertTimeoutPreemptively(Duration.ofSeconds(5),
          () -> refused(bytes));
      assertTrue(error.getMessage().contains("pixels, more than the limit of "
          + Images.DEFAULT_MAX_PIXELS), error.getMessage());
    }
  }

  /** Where the baseline start-of-frame marker (FF C0) of a JPEG begins. */
  private static int startOfFrame(byte[] jpeg) {
    for (int i = 0; i + 1 < jpeg.length; i++) {
      if (jpeg[i] == (byte) 0xFF && jpeg[i + 1] == (byte) 0xC0) {
        return i;
      }
    }
    throw new AssertionError("no baseline frame in the JDK's JPEG");
  }

  @Test
  void stopsReadingAnEndlessStream() {
    // A chunk claiming 1 GiB: the PNG reader skips it, which reads through the stream.
    byte[] head = concat(pngHeader(1, 1), ByteBuffer.allocate(8).putInt(1 << 30)
        .put("abCd".getBytes(StandardCharsets.US_ASCII)).array());
    InputStream endless = new InputStream() {
      private long position;

      @Override
      public int read() {
        return position < head.length ? head[(int) position++] & 0xFF : 0;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) {
        int fromHead = (int) Math.max(0, Math.min(length, head.length - position));
        System.arraycopy(head, (int) Math.min(position, head.length), buffer, offset, fromHead);
        Arrays.fill(buffer, offset + fromHead, offset + length, (byte) 0);
        position += length;
        return length;
      }
    };

    FileFormatException error = assertThrows(FileFormatException.class,
        () -> Images.read(endless, "endless", 1));
    assertTrue(error.getMessage().contains("endless: more than " + (8 + Images.SLACK_BYTES)
        + " bytes"), error.getMessage());
  }

  /**
   * A GIF of 8 × 8 pixels of data whose header says 8192 × 4096 (within the default limit)
   * decodes to a mostly empty picture of 33.5 million pixels: about 130 MB, more than a 48 MB
   * JVM has. The reader must say so, not die of an OutOfMemoryError.
   */
  @Test
  void aPictureLargerThanTheHeapIsAFormatErrorNotAnOutOfMemoryError() throws Exception {
    byte[] gif = encode(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_INDEXED), "gif");
    ByteBuffer header = ByteBuffer.wrap(gif).order(ByteOrder.LITTLE_ENDIAN);
    header.putShort(6, (short) 8192).putShort(8, (short) 4096);
    int descriptor = 13;
    while (gif[descriptor] != 0x2C) {
      descriptor++;
    }
    header.putShort(descriptor + 5, (short) 8192).putShort(descriptor + 7, (short) 4096);
    Path file = Files.write(dir.resolve("large.gif"), gif);

    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin",
        "java").toString(), "-Xmx48m", "-Dstdout.encoding=UTF-8", "-cp", childClassPath(),
        SmallHeapReader.class.getName(), file.toString()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(),
        StandardCharsets.UTF_8);

    assertEquals(0, process.waitFor(), output);
    assertTrue(output.startsWith("FileFormatException: " + file + ": the 8192×4096 GIF picture"
        + " needs more memory than the Java heap has left"), output);
  }

  /**
   * The library and these tests as one class path for a child JVM: surefire runs them on the
   * module path (the library is a named module), so the class path alone lacks the library.
   */
  private static String childClassPath() {
    String modulePath = System.getProperty("jdk.module.path", "");
    String classPath = System.getProperty("java.class.path", "");
    return modulePath.isEmpty() ? classPath : classPath + java.io.File.pathSeparator + modulePath;
  }

  @Test
  void aMissingFileIsAnIoErrorNotAFormatError() {
    IOException error = assertThrows(IOException.class,
        () -> Images.read(dir.resolve("absent.png")));
    assertTrue(error instanceof NoSuchFileException, error.toString());
  }

  @Test
  void checksItsArguments() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> Images.read(new ByteArrayInputStream(handMadeBmp()), "x", 0));
    assertEquals("maxPixels = 0: expected 1 to 2^40", error.getMessage());
    assertThrows(NullPointerException.class, () -> Images.read(null));
    assertThrows(NullPointerException.class, () -> Images.toTensor(null));
  }

  // ---- Resize ----

  @Test
  void enlargesATinyPictureToHandComputedValues() {
    Tensor x = Tensor.of(new float[] {0, 4, 8, 16}, 1, 2, 2);
    Tensor y = Images.resize(x, 4, 4);

    // Taps for 2 → 4: source 0 (clamped from -0.25), 0.25, 0.75, 1.25 (second tap clamped).
    assertArrayEquals(new int[] {1, 4, 4}, y.shape());
    assertArrayEquals(new float[] {
        0, 1, 3, 4,
        2, 3.25f, 5.75f, 7,
        6, 7.75f, 11.25f, 13,
        8, 10, 14, 16}, y.data());
  }

  @Test
  void shrinkingByTwoAveragesPairs() {
    float[] values = new float[16];
    for (int i = 0; i < 16; i++) {
      values[i] = i;
    }
    Tensor y = Images.resize(Tensor.of(values, 1, 4, 4), 2, 2);

    // Source coordinates 0.5 and 2.5: the mean of each 2×2 block.
    assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, y.data());
  }

  @Test
  void aSinglePixelFillsTheOutput() {
    Tensor y = Images.resize(Tensor.of(new float[] {-0.75f}, 1, 1, 1), 3, 5);

    float[] expected = new float[15];
    Arrays.fill(expected, -0.75f);
    assertArrayEquals(expected, y.data());
  }

  @Test
  void aConstantPictureStaysExactlyConstant() {
    SplittableRandom random = new SplittableRandom(11);
    for (int trial = 0; trial < 50; trial++) {
      int inH = 1 + random.nextInt(40);
      int inW = 1 + random.nextInt(40);
      int outH = 1 + random.nextInt(60);
      int outW = 1 + random.nextInt(60);
      float value = (float) random.nextDouble(-3, 3);
      float[] values = new float[2 * inH * inW];
      Arrays.fill(values, value);
      Tensor y = Images.resize(Tensor.of(values, 2, inH, inW), outH, outW);

      for (float v : y.data()) {
        assertEquals(value, v, inH + "×" + inW + " → " + outH + "×" + outW);
      }
    }
  }

  @Test
  void theSameSizeGivesTheSameBits() {
    SplittableRandom random = new SplittableRandom(12);
    float[] values = new float[3 * 7 * 5];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    values[3] = -0f;
    values[8] = Float.NaN;
    values[9] = Float.POSITIVE_INFINITY;
    Tensor y = Images.resize(Tensor.of(values, 3, 7, 5), 7, 5);

    for (int i = 0; i < values.length; i++) {
      assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(y.data()[i]),
          "element " + i);
    }
  }

  @Test
  void aBatchResizesEachPlaneAlone() {
    SplittableRandom random = new SplittableRandom(13);
    float[] values = new float[2 * 3 * 5 * 6];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextDouble(-1, 1);
    }
    Tensor batch = Images.resize(Tensor.of(values, 2, 3, 5, 6), 4, 9);

    assertArrayEquals(new int[] {2, 3, 4, 9}, batch.shape());
    for (int n = 0; n < 2; n++) {
      float[] one = Arrays.copyOfRange(values, n * 90, (n + 1) * 90);
      float[] alone = Images.resize(Tensor.of(one, 3, 5, 6), 4, 9).data();
      assertArrayEquals(alone, Arrays.copyOfRange(batch.data(), n * 108, (n + 1) * 108));
    }
  }

  @Test
  void resizeChecksItsArguments() {
    Tensor x = Tensor.zeros(3, 4, 4);
    assertEquals("resize: height = 0, width = 4: expected both >= 1",
        assertThrows(IllegalArgumentException.class, () -> Images.resize(x, 0, 4)).getMessage());
    assertEquals("resize: height = 4, width = -1: expected both >= 1",
        assertThrows(IllegalArgumentException.class, () -> Images.resize(x, 4, -1))
            .getMessage());
    assertEquals("resize: images shape [4, 4], expected [C, H, W] or [N, C, H, W] with every "
        + "size >= 1", assertThrows(IllegalArgumentException.class,
            () -> Images.resize(Tensor.zeros(4, 4), 2, 2)).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Images.resize(Tensor.zeros(3, 0, 4), 2, 2));
    IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
        () -> Images.resize(x, 65536, 65536));
    assertTrue(huge.getMessage().contains("more than a Java array can"), huge.getMessage());
    assertThrows(NullPointerException.class, () -> Images.resize(null, 2, 2));
  }

  // ---- Normalize ----

  @Test
  void normalizeSubtractsTheMeanAndDividesByTheStdPerChannel() {
    float[] values = {0, 1, 0.5f, 0.25f, 1, 0, 0.75f, 0.5f};
    Tensor x = Tensor.of(values.clone(), 2, 2, 1, 2);
    float[] mean = {0.5f, 0.25f};
    float[] std = {0.5f, 0.125f};
    Tensor y = Images.normalize(x, mean, std);

    float[] expected = new float[8];
    for (int i = 0; i < 8; i++) {
      int channel = i / 2 % 2;
      expected[i] = (values[i] - mean[channel]) / std[channel];
    }
    assertArrayEquals(new float[] {-1, 1, 2, 0, 1, -1, 4, 2}, expected);
    assertArrayEquals(expected, y.data());
    assertArrayEquals(values, x.data(), "the input is left as it was");
  }

  @Test
  void normalizeChecksItsArguments() {
    Tensor x = Tensor.zeros(3, 2, 2);
    float[] three = {0.5f, 0.5f, 0.5f};
    assertEquals("normalize: mean has 2 values, expected 3 (one per channel of images [3, 2, "
        + "2])", assertThrows(IllegalArgumentException.class,
            () -> Images.normalize(x, new float[2], three)).getMessage());
    assertEquals("normalize: std has 4 values, expected 3 (one per channel of images [3, 2, "
        + "2])", assertThrows(IllegalArgumentException.class,
            () -> Images.normalize(x, three, new float[4])).getMessage());
    for (float bad : new float[] {0, -1, Float.NaN, Float.POSITIVE_INFINITY}) {
      IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
          () -> Images.normalize(x, three, new float[] {1, bad, 1}));
      assertEquals("normalize: std[1] = " + bad + ": expected a finite number > 0",
          error.getMessage());
    }
    assertEquals("normalize: mean[2] = NaN: expected a finite number",
        assertThrows(IllegalArgumentException.class,
            () -> Images.normalize(x, new float[] {0, 0, Float.NaN}, three)).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Images.normalize(Tensor.zeros(2, 2), three, three));
    assertThrows(NullPointerException.class, () -> Images.normalize(x, null, three));
  }

  @Test
  void rgbImageChecksItsSizes() {
    assertEquals("pixels has 5 bytes: expected 3 · 2 · 1 = 6", assertThrows(
        IllegalArgumentException.class, () -> new RgbImage(2, 1, new byte[5])).getMessage());
    assertEquals("width = 0, height = 1: expected both >= 1", assertThrows(
        IllegalArgumentException.class, () -> new RgbImage(0, 1, new byte[0])).getMessage());
  }
}
