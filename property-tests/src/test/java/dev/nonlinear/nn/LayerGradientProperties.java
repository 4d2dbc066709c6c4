package dev.nonlinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.nonlinear.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every layer's backward pass against directional finite differences, on random shapes. */
class LayerGradientProperties {

  private static final long SEED = 0x6e6f6e6c696e6561L;

  @Test
  void linearGradientsMatchFiniteDifferences() {
    qt().withFixedSeed(SEED).withExamples(60)
        .forAll(integers().between(1, 7), integers().between(1, 37), integers().between(1, 19),
            longs().all())
        .checkAssert((batch, in, out, seed) -> {
          SplittableRandom random = new SplittableRandom(seed);
          Linear linear = new Linear(in, out, random.nextBoolean(), random);
          Tensor x = Tensor.of(GradientCheck.uniform(random, batch * in), batch, in);
          GradientCheck.check(linear, x, random);
        });
  }

  @Test
  void conv2dGradientsMatchFiniteDifferences() {
    qt().withFixedSeed(SEED).withExamples(60)
        .forAll(integers().between(1, 3), integers().between(1, 4), integers().between(1, 5),
            longs().all())
        .checkAssert((batch, inChannels, outChannels, seed) -> {
          SplittableRandom random = new SplittableRandom(seed);
          int[] kernel = {1 + random.nextInt(3), 1 + random.nextInt(4)};
          int[] stride = {1 + random.nextInt(2), 1 + random.nextInt(3)};
          int[] padding = {random.nextInt(2), random.nextInt(3)};
          int[] dilation = {1 + random.nextInt(2), 1 + random.nextInt(2)};
          int height = dilation[0] * (kernel[0] - 1) + 1 + random.nextInt(6);
          int width = dilation[1] * (kernel[1] - 1) + 1 + random.nextInt(7);
          Conv2d conv = new Conv2d(inChannels, outChannels, kernel, stride, padding, dilation,
              random.nextBoolean(), random);
          Tensor x = Tensor.of(GradientCheck.uniform(random, batch * inChannels * height * width),
              batch, inChannels, height, width);
          GradientCheck.check(conv, x, random);
        });
  }

  @Test
  void groupedConv2dGradientsMatchFiniteDifferences() {
    qt().withFixedSeed(SEED).withExamples(40)
        .forAll(integers().between(1, 4), integers().between(1, 3), integers().between(1, 3),
            longs().all())
        .checkAssert((groups, inPerGroup, outPerGroup, seed) -> {
          SplittableRandom random = new SplittableRandom(seed);
          boolean pointwise = random.nextInt(4) == 0;
          int[] kernel = pointwise ? new int[] {1, 1}
              : new int[] {1 + random.nextInt(3), 1 + random.nextInt(4)};
          int[] stride = pointwise ? new int[] {1, 1}
              : new int[] {1 + random.nextInt(2), 1 + random.nextInt(3)};
          int[] padding = pointwise ? new int[] {0, 0}
              : new int[] {random.nextInt(2), random.nextInt(3)};
          int[] dilation = {1 + random.nextInt(2), 1 + random.nextInt(2)};
          int batch = 1 + random.nextInt(3);
          int height = dilation[0] * (kernel[0] - 1) + 1 + random.nextInt(5);
          int width = dilation[1] * (kernel[1] - 1) + 1 + random.nextInt(6);
          int in = groups * inPerGroup;
          Conv2d conv = new Conv2d(in, groups * outPerGroup, kernel, stride, padding, dilation,
              groups, random.nextBoolean(), random);
          Tensor x = Tensor.of(GradientCheck.uniform(random, batch * in * height * width),
              batch, in, height, width);
          GradientCheck.check(conv, x, random);
        });
  }

  @Test
  void depthwiseConv2dWithMoreImagesThanASlab() {
    SplittableRandom random = new SplittableRandom(SEED + 4);
    int batch = Conv2d.SLAB + 5;
    Conv2d conv = new Conv2d(3, 6, new int[] {3, 3}, new int[] {2, 1}, new int[] {1, 1},
        new int[] {1, 1}, 3, true, random);
    Tensor x = Tensor.of(GradientCheck.uniform(random, batch * 3 * 7 * 6), batch, 3, 7, 6);
    GradientCheck.check(conv, x, random);
  }

  @Test
  void conv2dWithMoreImagesThanASlab() {
    SplittableRandom random = new SplittableRandom(SEED);
    int batch = Conv2d.SLAB * 2 + 3;
    Conv2d conv = new Conv2d(2, 3, new int[] {3, 2}, new int[] {1, 2}, new int[] {1, 0},
        new int[] {1, 1}, true, random);
    Tensor x = Tensor.of(GradientCheck.uniform(random, batch * 2 * 5 * 6), batch, 2, 5, 6);
    GradientCheck.check(conv, x, random);
  }

  @Test
  void pointwiseConv2dGradientsMatchFiniteDifferences() {
    SplittableRandom random = new SplittableRandom(SEED + 1);
    Conv2d conv = new Conv2d(5, 3, new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0},
        new int[] {1, 1}, true, random);
    Tensor x = Tensor.of(GradientCheck.uniform(random, 2 * 5 * 3 * 7), 2, 5, 3, 7);
    GradientCheck.check(conv, x, random);
  }

  @Test
  void reluGradientsMatchFiniteDifferencesAwayFromZero() {
    qt().withFixedSeed(SEED).withExamples(40)
        .forAll(integers().between(1, 100), longs().all())
        .checkAssert((size, seed) -> {
          SplittableRandom random = new SplittableRandom(seed);
          Tensor x = Tensor.of(awayFromZero(random, size), size);
          GradientCheck.check(new ReLU(), x, random);
        });
  }

  @Test
  void maxPoolGradientsMatchFiniteDifferencesOnDistinctValues() {
    qt().withFixedSeed(SEED).withExamples(40)
        .forAll(integers().between(1, 3), integers().between(1, 3), longs().all())
        .checkAssert((batch, channels, seed) -> {
          SplittableRandom random = new SplittableRandom(seed);
          int kernel = 1 + random.nextInt(3);
          int stride = 1 + random.nextInt(3);
          int padding = random.nextInt(kernel / 2 + 1);
          int height = kernel + random.nextInt(6);
          int width = kernel + random.nextInt(7);
          MaxPool2d pool = new MaxPool2d(new int[] {kernel, kernel}, new int[] {stride, stride},
              new int[] {padding, padding}, new int[] {1, 1}, random.nextBoolean());
          int size = batch * channels * height * width;
          Tensor x = Tensor.of(distinctValues(random, size), batch, channels, height, width);
          GradientCheck.check(pool, x, random);
        });
  }

  @Test
  void avgPoolGradientsMatchFiniteDifferences() {
    qt().withFixedSeed(SEED).withExamples(40)
        .forAll(integers().between(1, 3), integers().between(1, 3), longs().all())
        .checkAssert((batch, channels, seed) -> {
          SplittableRandom random = new SplittableRandom(seed);
          int[] kernel = {1 + random.nextInt(3), 1 + random.nextInt(4)};
          int[] stride = {1 + random.nextInt(3), 1 + random.nextInt(2)};
          int[] padding = {random.nextInt(kernel[0] / 2 + 1), random.nextInt(kernel[1] / 2 + 1)};
          int height = kernel[0] + random.nextInt(6);
          int width = kernel[1] + random.nextInt(7);
          AvgPool2d pool = new AvgPool2d(kernel, stride, padding, random.nextBoolean(),
              random.nextBoolean(), random.nextInt(3) == 0 ? 1 + random.nextInt(5) : 0);
          Tensor x = Tensor.of(GradientCheck.uniform(random, batch * channels * height * width),
              batch, channels, height, width);
          GradientCheck.check(pool, x, random);
        });
  }

  @Test
  void adaptiveAvgPoolGradientsMatchFiniteDifferences() {
    qt().withFixedSeed(SEED).withExamples(40)
        .forAll(integers().between(1, 3), integers().between(1, 3), longs().all())
        .checkAssert((batch, channels, seed) -> {
          SplittableRandom random = new SplittableRandom(seed);
          int height = 1 + random.nextInt(9);
          int width = 1 + random.nextInt(9);
          AdaptiveAvgPool2d pool = random.nextInt(3) == 0 ? new AdaptiveAvgPool2d(1)
              : new AdaptiveAvgPool2d(1 + random.nextInt(6), 1 + random.nextInt(6));
          Tensor x = Tensor.of(GradientCheck.uniform(random, batch * channels * height * width),
              batch, channels, height, width);
          GradientCheck.check(pool, x, random);
        });
  }

  /**
   * The chain rule through Sequential, on layers without kinks: a difference quotient across a
   * ReLU or max-pool kink measures neither side. The mission's CNN, kinks included, is compared
   * with PyTorch's exact gradients in {@link PyTorchCnnFixtureTest}.
   */
  @Test
  void sequentialChainsGradientsThroughConvFlattenLinear() {
    SplittableRandom random = new SplittableRandom(SEED + 2);
    Sequential chain = new Sequential(
        new Conv2d(1, 4, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1},
            true, random),
        new Flatten(),
        new Linear(4 * 8 * 10, 3, true, random));
    Tensor x = Tensor.of(GradientCheck.uniform(random, 2 * 8 * 10), 2, 1, 8, 10);
    GradientCheck.check(chain, x, random);
  }

  @Test
  void firstLayerSkipsTheInputGradientWhenToldTo() {
    SplittableRandom random = new SplittableRandom(SEED + 3);
    Sequential model = new Sequential(new Conv2d(1, 2, 3), new ReLU(), new Flatten(),
        new Linear(2 * 2 * 2, 2, true, random));
    model.inputGradientNeeded(false);
    Tensor x = Tensor.of(GradientCheck.uniform(random, 16), 1, 1, 4, 4);
    Tensor out = model.forward(x);
    model.zeroGrad();
    assertNull(model.backward(Tensor.of(new float[] {1, -1}, out.shape())));
    float[] weightGrad = model.namedParameters().get("0.weight").grad().data();
    float[] expected = weightGrad.clone();
    model.inputGradientNeeded(true);
    model.zeroGrad();
    model.forward(x);
    model.backward(Tensor.of(new float[] {1, -1}, out.shape()));
    assertArrayEquals(expected, model.namedParameters().get("0.weight").grad().data());
  }

  /** Values in ±[0.1, 1]: a step of 1e-2 never crosses zero. */
  private static float[] awayFromZero(SplittableRandom random, int size) {
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      float magnitude = (float) (0.1 + 0.9 * random.nextDouble());
      values[i] = random.nextBoolean() ? magnitude : -magnitude;
    }
    return values;
  }

  /**
   * A shuffled ladder of values 0.05 apart: a step of 1e-2 along a direction in [-1, 1) moves
   * each by less than half the gap, so no window changes its maximum.
   */
  private static float[] distinctValues(SplittableRandom random, int size) {
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = 0.05f * (i - size / 2);
    }
    for (int i = size - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      float swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
    return values;
  }
}
