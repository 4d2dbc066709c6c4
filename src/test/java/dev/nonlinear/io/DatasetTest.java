package dev.nonlinear.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetTest {

  /** Four 1×2×2 images; image i holds the values 10·i + 0..3. */
  private static Dataset fourImages() {
    float[] pixels = new float[16];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = 10 * (i / 4) + i % 4;
    }
    return new Dataset(Tensor.of(pixels, 4, 1, 2, 2), new int[] {0, 1, 2, 1},
        List.of("a", "b", "c"));
  }

  @Test
  void gathersImagesAndLabelsInTheGivenOrder() {
    Dataset data = fourImages();
    float[] batch = new float[8];
    int[] labels = new int[2];
    data.gather(new int[] {3, 0, 2, 1}, 1, 2, batch, labels);

    assertArrayEquals(new float[] {0, 1, 2, 3, 20, 21, 22, 23}, batch);
    assertArrayEquals(new int[] {0, 2}, labels);
  }

  @Test
  void firstCopiesAPrefix() {
    Dataset prefix = fourImages().first(3);
    assertEquals(3, prefix.size());
    assertArrayEquals(new int[] {3, 1, 2, 2}, prefix.images().shape());
    assertEquals(23f, prefix.images().data()[11]);
  }

  @Test
  void rejectsLabelsOutsideTheClassesAndCountMismatches() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Dataset(Tensor.zeros(2, 1, 1, 1), new int[] {0, 3}, List.of("a", "b")));
    assertTrue(e.getMessage().contains("label 1 is 3"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new Dataset(Tensor.zeros(2, 1, 1, 1), new int[] {0}, List.of("a")));
  }

  @Test
  void fashionMnistHasTenNamedClasses() {
    assertEquals(10, FashionMnist.CLASSES.size());
    assertEquals("T-shirt/top", FashionMnist.CLASSES.get(0));
    assertEquals("Ankle boot", FashionMnist.CLASSES.get(9));
  }
}
