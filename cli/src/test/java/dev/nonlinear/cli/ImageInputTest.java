package dev.nonlinear.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The preparation of pictures for the 28×28 CNN. */
class ImageInputTest {

  /**
   * Values computed in double from sums of at most a few thousand terms, then rounded to float:
   * a few float ulp of 1 separate two routes to the same mean.
   */
  private static final float TOLERANCE = 1e-5f;

  /** A 28×28 picture, white-on-black, holding random levels in [0.2, 1] in a box, 0 outside. */
  private static float[] objectInBox(long seed, int left, int top, int width, int height) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] pixels = new float[28 * 28];
    for (int y = top; y < top + height; y++) {
      for (int x = left; x < left + width; x++) {
        pixels[y * 28 + x] = Math.round(255 * (0.2 + 0.8 * random.nextDouble())) / 255f;
      }
    }
    return pixels;
  }

  private static BufferedImage grey(float[] pixels, int zoom, boolean invert) {
    BufferedImage image = new BufferedImage(28 * zoom, 28 * zoom, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 28 * zoom; y++) {
      for (int x = 0; x < 28 * zoom; x++) {
        int level = Math.round(255 * pixels[(y / zoom) * 28 + x / zoom]);
        image.getRaster().setSample(x, y, 0, invert ? 255 - level : level);
      }
    }
    return image;
  }

  @Test
  void aCentredPictureThatFillsItsHeightPassesUnchanged() {
    // Box 20 wide and 28 tall, centred: trimming and re-centring give it back, and the resize
    // from 28 to 28 weighs each pixel by exactly 1.
    float[] pixels = objectInBox(1, 4, 0, 20, 28);

    ImageInput.Prepared prepared = ImageInput.prepare(grey(pixels, 1, false));

    assertFalse(prepared.inverted());
    assertArrayEquals(pixels, prepared.pixels(), 0f);
  }

  @Test
  void enlargingAndInvertingThePictureChangesNothing() {
    // Box 16 × 24 with an even margin to its square: the 3× enlarged, inverted picture trims
    // to a box 3× as large, and each output pixel averages the same area of the object.
    float[] pixels = objectInBox(2, 5, 3, 16, 24);

    ImageInput.Prepared small = ImageInput.prepare(grey(pixels, 1, false));
    ImageInput.Prepared large = ImageInput.prepare(grey(pixels, 3, true));

    assertTrue(large.inverted());
    assertEquals(84, large.width());
    assertArrayEquals(small.pixels(), large.pixels(), TOLERANCE);
  }

  @Test
  void greyLevelsAreReadWithoutAGammaCurve() {
    // getRGB on a TYPE_BYTE_GRAY image would turn level 128 into about 187 (linear grey to
    // sRGB); the samples must be read as stored, and an RGB grey must agree.
    BufferedImage grey = new BufferedImage(3, 3, BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage rgb = new BufferedImage(3, 3, BufferedImage.TYPE_INT_RGB);
    grey.getRaster().setSample(1, 1, 0, 128);
    rgb.setRGB(1, 1, 0x808080);

    assertEquals(128 / 255.0, ImageInput.grey(grey)[4], 1e-6);
    assertEquals(128 / 255.0, ImageInput.grey(rgb)[4], 1e-6);
  }

  @Test
  void transparentPixelsCountAsWhitePaper() {
    BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    image.setRGB(0, 0, 0x00000000);
    image.setRGB(1, 0, 0xFF000000);

    float[] grey = ImageInput.grey(image);

    assertEquals(1f, grey[0]);
    assertEquals(0f, grey[1]);
  }

  @Test
  void areaResizeAveragesWhatEachOutputPixelCovers() {
    // A 56×56 checkerboard of 0 and 1 halves to 28×28 of 0.5. Columns 1, 0, 1, 0, ... of 42
    // pixels, 1.5 per output pixel: [0, 1.5) holds 1 and half a 0, 2/3; [1.5, 3) half a 0 and
    // a 1, 2/3; [3, 4.5) a 0 and half a 1, 1/3; [4.5, 6) 1/3; then again.
    float[] checker = new float[56 * 56];
    for (int i = 0; i < checker.length; i++) {
      checker[i] = (i / 56 + i % 56) % 2;
    }
    float[] half = ImageInput.areaResize(checker, 56, 28);
    for (float v : half) {
      assertEquals(0.5f, v, TOLERANCE);
    }

    float[] stripes = new float[42 * 42];
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = (i % 42) % 2 == 0 ? 1 : 0;
    }
    float[] resized = ImageInput.areaResize(stripes, 42, 28);
    float[] expected = {2 / 3f, 2 / 3f, 1 / 3f, 1 / 3f};
    for (int i = 0; i < resized.length; i++) {
      assertEquals(expected[i % 28 % 4], resized[i], TOLERANCE, "pixel " + i);
    }
  }

  @Test
  void aBlankPictureIsKeptWhole() {
    BufferedImage white = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        white.setRGB(x, y, 0xFFFFFF);
      }
    }

    ImageInput.Prepared prepared = ImageInput.prepare(white);

    assertTrue(prepared.inverted());
    for (float v : prepared.pixels()) {
      assertEquals(0f, v);
    }
  }
}
