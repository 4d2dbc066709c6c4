package dev.nonlinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.nonlinear.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Conv1d: forward against a direct double-precision reference, gradients by finite differences,
 * PyTorch's weight shape, names and repr. Tolerance as in {@link Conv2dTest}:
 * {@code 2·(K + 1)·ε·(|b| + Σ|w||x|)} with {@code K = (C_in/groups)·k}.
 */
class Conv1dTest {

  private static final double EPSILON = 0x1p-24;

  @Test
  void forwardMatchesDirectReferenceAndGradientsFiniteDifferences() {
    qt().withFixedSeed(0xC1DL).withExamples(60)
        .forAll(integers().between(1, 3), integers().between(1, 3), integers().between(1, 3),
            longs().all())
        .checkAssert((groups, inPerGroup, outPerGroup, seed) -> {
          SplittableRandom random = new SplittableRandom(seed);
          int kernel = 1 + random.nextInt(4);
          int stride = 1 + random.nextInt(3);
          int padding = random.nextInt(3);
          int dilation = 1 + random.nextInt(3);
          int batch = 1 + random.nextInt(3);
          int length = dilation * (kernel - 1) + 1 + random.nextInt(9);
          int in = groups * inPerGroup;
          int out = groups * outPerGroup;
          Conv1d conv = new Conv1d(in, out, kernel, stride, padding, dilation, groups,
              random.nextBoolean(), random);
          Tensor x = Tensor.of(GradientCheck.uniform(random, batch * in * length), batch, in,
              length);

          Tensor y = conv.forward(x);

          int outLength = (length + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
          assertArrayEquals(new int[] {batch, out, outLength}, y.shape());
          float[] w = conv.weight().value().data();
          for (int n = 0; n < batch; n++) {
            for (int o = 0; o < out; o++) {
              for (int ol = 0; ol < outLength; ol++) {
                double sum = conv.bias() == null ? 0 : conv.bias().value().data()[o];
                double magnitude = Math.abs(sum);
                for (int c = 0; c < inPerGroup; c++) {
                  int channel = o / outPerGroup * inPerGroup + c;
                  for (int j = 0; j < kernel; j++) {
                    int il = ol * stride - padding + j * dilation;
                    if (il >= 0 && il < length) {
                      double term = (double) w[(o * inPerGroup + c) * kernel + j]
                          * x.data()[(n * in + channel) * length + il];
                      sum += term;
                      magnitude += Math.abs(term);
                    }
                  }
                }
                assertEquals(sum, y.data()[(n * out + o) * outLength + ol],
                    2 * (inPerGroup * kernel + 1) * EPSILON * magnitude, "seed " + seed);
              }
            }
          }
          GradientCheck.check(conv, x, random);
        });
  }

  @Test
  void weightAndNamesAreShapedAsPyTorch() {
    Conv1d conv = new Conv1d(4, 6, 3, 2, 1, 1, 2, true, new SplittableRandom(1));
    assertArrayEquals(new int[] {6, 2, 3}, conv.weight().value().shape());
    assertEquals(List.of("weight", "bias"), List.copyOf(conv.namedParameters().keySet()));
    assertEquals("Conv1d(4, 6, kernel_size=(3,), stride=(2,), padding=(1,), groups=2)",
        conv.toString().lines().findFirst().orElseThrow());
  }

  @Test
  void checksTheInputShapeAndSkipsTheInputGradientWhenTold() {
    Conv1d conv = new Conv1d(2, 3, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> conv.forward(Tensor.zeros(1, 2, 1, 5)));
    assertEquals("Conv1d: input shape [1, 2, 1, 5], expected [N, 2, L]", e.getMessage());
    conv.inputGradientNeeded(false);
    Tensor y = conv.forward(Tensor.zeros(2, 2, 5));
    assertNull(conv.backward(Tensor.zeros(y.shape())));
  }
}
