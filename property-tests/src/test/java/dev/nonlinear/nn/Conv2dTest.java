package dev.nonlinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.nonlinear.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Conv2d's forward values against a direct double-precision convolution (groups included), its
 * argument checks and its PyTorch-style repr. Gradients are in {@link LayerGradientProperties}.
 *
 * <p>Tolerance: each output is a bias plus a dot product of {@code K = (C_in/groups)·kH·kW}
 * terms summed in float, so it lies within {@code (K + 1)·ε·(|b| + Σ|w||x|)} of the exact value,
 * with ε = 2⁻²⁴; the test allows twice that.
 */
class Conv2dTest {

  private static final double EPSILON = 0x1p-24;

  @Test
  void dilatedTwoByTwoOnesKernelOverOneToNine() {
    Conv2d conv = new Conv2d(1, 1, new int[] {2, 2}, new int[] {1, 1}, new int[] {0, 0},
        new int[] {1, 2}, false, new SplittableRandom(1));
    conv.weight().value().fill(1f);
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);

    Tensor y = conv.forward(x);

    assertArrayEquals(new int[] {1, 1, 2, 1}, y.shape());
    assertArrayEquals(new float[] {14, 26}, y.data());
  }

  @Test
  void groupedForwardMatchesDirectReference() {
    qt().withFixedSeed(0xC0417L).withExamples(80)
        .forAll(integers().between(1, 4), integers().between(1, 3), integers().between(1, 3),
            longs().all())
        .checkAssert((groups, inPerGroup, outPerGroup, seed) -> {
          SplittableRandom random = new SplittableRandom(seed);
          int[] kernel = {1 + random.nextInt(3), 1 + random.nextInt(4)};
          int[] stride = {1 + random.nextInt(2), 1 + random.nextInt(3)};
          int[] padding = {random.nextInt(2), random.nextInt(3)};
          int[] dilation = {1 + random.nextInt(2), 1 + random.nextInt(2)};
          if (random.nextInt(4) == 0) {
            kernel = new int[] {1, 1};
            stride = new int[] {1, 1};
            padding = new int[] {0, 0};
          }
          int batch = 1 + random.nextInt(3);
          int height = dilation[0] * (kernel[0] - 1) + 1 + random.nextInt(6);
          int width = dilation[1] * (kernel[1] - 1) + 1 + random.nextInt(7);
          int in = groups * inPerGroup;
          int out = groups * outPerGroup;
          Conv2d conv = new Conv2d(in, out, kernel, stride, padding, dilation, groups,
              random.nextBoolean(), random);
          Tensor x = Tensor.of(GradientCheck.uniform(random, batch * in * height * width), batch,
              in, height, width);

          Tensor y = conv.forward(x);

          assertMatchesReference(conv, x, y, kernel, stride, padding, dilation, groups);
        });
  }

  @Test
  void depthwiseForwardMatchesDirectReference() {
    SplittableRandom random = new SplittableRandom(7);
    int[] kernel = {3, 3};
    int[] stride = {2, 1};
    int[] padding = {1, 1};
    int[] dilation = {1, 1};
    Conv2d conv = new Conv2d(6, 12, kernel, stride, padding, dilation, 6, true, random);
    Tensor x = Tensor.of(GradientCheck.uniform(random, 2 * 6 * 9 * 11), 2, 6, 9, 11);

    assertMatchesReference(conv, x, conv.forward(x), kernel, stride, padding, dilation, 6);
  }

  @Test
  void groupsMustDivideBothChannelCounts() {
    SplittableRandom random = new SplittableRandom(1);
    int[] k = {3, 3};
    int[] one = {1, 1};
    int[] zero = {0, 0};
    IllegalArgumentException in = assertThrows(IllegalArgumentException.class,
        () -> new Conv2d(6, 8, k, one, zero, one, 4, true, random));
    assertEquals("inChannels = 6: expected a multiple of groups = 4", in.getMessage());
    IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
        () -> new Conv2d(8, 6, k, one, zero, one, 4, true, random));
    assertEquals("outChannels = 6: expected a multiple of groups = 4", out.getMessage());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> new Conv2d(8, 8, k, one, zero, one, 0, true, random));
    assertEquals("groups = 0: expected >= 1", none.getMessage());
  }

  @Test
  void weightHasPyTorchGroupedShape() {
    Conv2d conv = new Conv2d(8, 12, new int[] {3, 2}, new int[] {1, 1}, new int[] {0, 0},
        new int[] {1, 1}, 4, true, new SplittableRandom(1));
    assertArrayEquals(new int[] {12, 2, 3, 2}, conv.weight().value().shape());
    assertEquals(4, conv.groups());
    double bound = 1 / Math.sqrt(2 * 3 * 2);
    for (float w : conv.weight().value().data()) {
      assertTrue(Math.abs(w) <= bound, "weight " + w + " within ±1/sqrt(fanIn)");
    }
  }

  @Test
  void reprNamesGroupsAsPyTorchDoes() {
    Conv2d grouped = new Conv2d(8, 16, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
        new int[] {1, 1}, 4, false, new SplittableRandom(1));
    assertEquals("Conv2d(8, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), groups=4, "
        + "bias=False)", grouped.toString().lines().findFirst().orElseThrow());
    Conv2d plain = new Conv2d(1, 32, 3, 1, 1);
    assertEquals("Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))",
        plain.toString().lines().findFirst().orElseThrow());
  }

  @Test
  void inputWithWrongChannelsNamesTheExpectedShape() {
    Conv2d conv = new Conv2d(4, 4, 3, 1, 1, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> conv.forward(Tensor.zeros(1, 2, 5, 5)));
    assertEquals("Conv2d: input shape [1, 2, 5, 5], expected [N, 4, H, W]", e.getMessage());
  }

  private static void assertMatchesReference(Conv2d conv, Tensor x, Tensor y, int[] kernel,
      int[] stride, int[] padding, int[] dilation, int groups) {
    int batch = x.size(0);
    int in = x.size(1);
    int height = x.size(2);
    int width = x.size(3);
    int out = y.size(1);
    int outH = y.size(2);
    int outW = y.size(3);
    int inPerGroup = in / groups;
    int outPerGroup = out / groups;
    float[] w = conv.weight().value().data();
    float[] b = conv.bias() == null ? null : conv.bias().value().data();
    int terms = inPerGroup * kernel[0] * kernel[1];
    for (int n = 0; n < batch; n++) {
      for (int o = 0; o < out; o++) {
        int group = o / outPerGroup;
        for (int oh = 0; oh < outH; oh++) {
          for (int ow = 0; ow < outW; ow++) {
            double sum = b == null ? 0 : b[o];
            double magnitude = b == null ? 0 : Math.abs(b[o]);
            for (int c = 0; c < inPerGroup; c++) {
              int channel = group * inPerGroup + c;
              for (int i = 0; i < kernel[0]; i++) {
                int ih = oh * stride[0] - padding[0] + i * dilation[0];
                for (int j = 0; j < kernel[1]; j++) {
                  int iw = ow * stride[1] - padding[1] + j * dilation[1];
                  if (ih < 0 || ih >= height || iw < 0 || iw >= width) {
                    continue;
                  }
                  double term = (double) w[((o * inPerGroup + c) * kernel[0] + i) * kernel[1] + j]
                      * x.data()[((n * in + channel) * height + ih) * width + iw];
                  sum += term;
                  magnitude += Math.abs(term);
                }
              }
            }
            float actual = y.data()[((n * out + o) * outH + oh) * outW + ow];
            assertEquals(sum, actual, 2 * (terms + 1) * EPSILON * magnitude,
                "output [" + n + ", " + o + ", " + oh + ", " + ow + "]");
          }
        }
      }
    }
  }
}
