package dev.nonlinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nonlinear.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** MaxPool2d passes ceil mode and dilation through to the kernel. */
class MaxPool2dTest {

  /**
   * H = 1, W = 7, kernel (1, 2), stride (1, 2), dilation (1, 3), ceil mode: windows start at
   * 0, 2, 4 (ceil mode adds the one at 4, floor mode stops at 2) and take columns {0, 3},
   * {2, 5}, {4} (7 is past the row).
   */
  @Test
  void ceilModeAndDilationReachTheKernel() {
    Tensor x = Tensor.of(new float[] {5, 1, 2, 4, 9, 3, 0}, 1, 1, 1, 7);
    MaxPool2d ceil = new MaxPool2d(new int[] {1, 2}, new int[] {1, 2}, new int[] {0, 0},
        new int[] {1, 3}, true);
    assertArrayEquals(new float[] {5, 3, 9}, ceil.forward(x).data());
    MaxPool2d floor = new MaxPool2d(new int[] {1, 2}, new int[] {1, 2}, new int[] {0, 0},
        new int[] {1, 3}, false);
    assertArrayEquals(new float[] {5, 3}, floor.forward(x).data());

    Tensor gradInput = ceil.backward(Tensor.of(new float[] {1, 2, 3}, 1, 1, 1, 3));
    assertArrayEquals(new float[] {1, 0, 0, 0, 3, 2, 0}, gradInput.data());
    assertEquals("MaxPool2d(kernel_size=(1, 2), stride=(1, 2), padding=(0, 0), dilation=(1, 3),"
        + " ceil_mode=True)", ceil.toString().lines().findFirst().orElseThrow());
  }
}
