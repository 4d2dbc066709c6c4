package dev.nonlinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Layers refuse hyper-parameters PyTorch refuses (a zero stride, kernel or dilation, negative
 * padding, pooling padding above half the kernel, sizes below one), inputs whose output would
 * be empty, and class labels or embedding indices out of range, each with a message naming the
 * parameter (or the layer) and the value. Groups, pair lengths and the smallest inputs of
 * Conv2d and MaxPool2d are in Conv2dTest and ModuleContractTest.
 */
class LayerHyperParameterTest {

  private static final int[] ONE_ONE = {1, 1};
  private static final int[] ZERO_ZERO = {0, 0};

  @Test
  void convolutionsRefuseZeroStridesKernelsDilationsAndNegativePadding() {
    refused("kernel[1] = 0", () -> conv2d(new int[] {3, 0}, ONE_ONE, ZERO_ZERO, ONE_ONE));
    refused("stride[0] = 0", () -> conv2d(new int[] {3, 3}, new int[] {0, 1}, ZERO_ZERO,
        ONE_ONE));
    refused("stride[1] = 0", () -> conv2d(new int[] {3, 3}, new int[] {1, 0}, ZERO_ZERO,
        ONE_ONE));
    refused("padding[1] = -1", () -> conv2d(new int[] {3, 3}, ONE_ONE, new int[] {0, -1},
        ONE_ONE));
    refused("dilation[0] = 0", () -> conv2d(new int[] {3, 3}, ONE_ONE, ZERO_ZERO,
        new int[] {0, 1}));
    refused("inChannels = 0", () -> new Conv2d(0, 4, 3));
    refused("outChannels = -1", () -> new Conv2d(2, -1, 3));

    refused("kernelSize = 0", () -> conv1d(0, 1, 0, 1));
    refused("stride = 0", () -> conv1d(3, 0, 0, 1));
    refused("padding = -2", () -> conv1d(3, 1, -2, 1));
    refused("dilation = 0", () -> conv1d(3, 1, 0, 0));
  }

  @Test
  void poolingRefusesZeroStridesAndPaddingAboveHalfTheKernel() {
    refused("padding = (2, 0): expected at most half the kernel size (3, 3)",
        () -> new MaxPool2d(new int[] {3, 3}, null, new int[] {2, 0}, ONE_ONE, false));
    refused("padding = (0, 2): expected at most half the kernel size (2, 3)",
        () -> new MaxPool2d(new int[] {2, 3}, null, new int[] {0, 2}, ONE_ONE, false));
    refused("stride[1] = 0",
        () -> new MaxPool2d(new int[] {2, 2}, new int[] {2, 0}, ZERO_ZERO, ONE_ONE, false));
    refused("dilation[1] = 0",
        () -> new MaxPool2d(new int[] {2, 2}, null, ZERO_ZERO, new int[] {1, 0}, false));
    refused("kernel[0] = 0", () -> new MaxPool2d(0));
    refused("padding[0] = -1",
        () -> new MaxPool2d(new int[] {2, 2}, null, new int[] {-1, 0}, ONE_ONE, false));

    refused("padding = (2, 1): expected at most half the kernel size (3, 3)",
        () -> new AvgPool2d(new int[] {3, 3}, null, new int[] {2, 1}, false, true, 0));
    refused("stride[0] = 0", () -> new AvgPool2d(2, 0));
    refused("divisorOverride = -1",
        () -> new AvgPool2d(new int[] {2, 2}, null, ZERO_ZERO, false, true, -1));
    refused("outputHeight = 0", () -> new AdaptiveAvgPool2d(0, 3));
    refused("outputWidth = -3", () -> new AdaptiveAvgPool2d(2, -3));
  }

  @Test
  void inputsGivingAnEmptyOutputAreRefusedNamingTheLayer() {
    // Dilation 3 spreads a 3-tap kernel over 7 pixels; the input has 6 columns.
    Conv2d dilated = conv2d(new int[] {3, 3}, ONE_ONE, ZERO_ZERO, new int[] {1, 3});
    refused("Conv2d: input shape [1, 2, 9, 6] does not fit: outputWidth = 0",
        () -> dilated.forward(Tensor.zeros(1, 2, 9, 6)));
    Conv1d conv1d = conv1d(5, 2, 1, 1);
    refused("Conv1d: input shape [1, 2, 2] does not fit: outputLength = 0",
        () -> conv1d.forward(Tensor.zeros(1, 2, 2)));
    AvgPool2d pool = new AvgPool2d(4);
    refused("AvgPool2d: input shape [2, 1, 3, 8] does not fit: outputHeight = 0",
        () -> pool.forward(Tensor.zeros(2, 1, 3, 8)));
    MaxPool2d maxPool = new MaxPool2d(new int[] {2, 2}, null, ZERO_ZERO, new int[] {4, 1},
        false);
    refused("MaxPool2d: input shape [1, 1, 4, 4] does not fit: outputHeight = 0",
        () -> maxPool.forward(Tensor.zeros(1, 1, 4, 4)));
  }

  @Test
  void denseLayersRefuseEmptyOrOversizedShapes() {
    refused("inFeatures = 0", () -> new Linear(0, 3));
    refused("outFeatures = -2", () -> new Linear(3, -2));
    refused("outFeatures * inFeatures = 65536 * 65536", () -> new Linear(65536, 65536));
    refused("numEmbeddings = 0", () -> new Embedding(0, 4));
    refused("embeddingDim = 0", () -> new Embedding(4, 0));
    refused("paddingIdx = 4: expected a value in [-4, 4)",
        () -> new Embedding(4, 2, 4, new SplittableRandom(1)));
    refused("paddingIdx = -5", () -> new Embedding(4, 2, -5, new SplittableRandom(1)));
  }

  @Test
  void labelsAndIndicesOutOfRangeAreRefusedWithRowAndValue() {
    CrossEntropyLoss loss = new CrossEntropyLoss();
    Tensor logits = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    refused("targets[1] (row 1) = 3: expected a class index in [0, 3)",
        () -> loss.forward(logits, new int[] {0, 3}));
    refused("targets[0] (row 0) = -1", () -> loss.forward(logits, new int[] {-1, 0}));
    refused("CrossEntropyLoss: 3 targets for 2 rows", () -> loss.forward(logits,
        new int[] {0, 1, 2}));
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, logits.data(), "logits changed");

    Embedding embedding = new Embedding(5, 2);
    refused("Embedding: index 5 at position 2 is out of range: expected [0, 5)",
        () -> embedding.forward(Tensor.of(new float[] {0, 4, 5}, 3)));
    refused("Embedding: index -1 at position 0",
        () -> embedding.forward(Tensor.of(new float[] {-1}, 1)));
    refused("Embedding: input[1] = 1.5: expected an integer index in [0, 5)",
        () -> embedding.forward(Tensor.of(new float[] {1, 1.5f}, 2)));
    refused("Embedding: input[0] = NaN", () -> embedding.forward(Tensor.of(
        new float[] {Float.NaN}, 1)));
  }

  private static Conv2d conv2d(int[] kernel, int[] stride, int[] padding, int[] dilation) {
    return new Conv2d(2, 4, kernel, stride, padding, dilation, true, new SplittableRandom(1));
  }

  private static Conv1d conv1d(int kernel, int stride, int padding, int dilation) {
    return new Conv1d(2, 3, kernel, stride, padding, dilation, 1, true, new SplittableRandom(1));
  }

  /** An IllegalArgumentException whose message starts with {@code expected}. */
  private static void refused(String expected, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, expected);
    assertTrue(e.getMessage().startsWith(expected), () -> "expected a message starting '"
        + expected + "', got: " + e.getMessage());
  }
}
