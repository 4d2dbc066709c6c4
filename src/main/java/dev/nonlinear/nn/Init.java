package dev.nonlinear.nn;

import dev.nonlinear.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Weight initialisers with PyTorch's defaults, and the library's default random generator.
 *
 * <p>Layers built without an explicit generator draw from {@link #defaultGenerator()}; seed it
 * with {@link #manualSeed(long)} (as {@code torch.manual_seed}) to get the same weights on every
 * run. The values are not PyTorch's own for the same seed: the generators differ.
 */
public final class Init {

  private static RandomGenerator defaultGenerator = new SplittableRandom(0x5eed);

  private Init() {}

  /** Reseeds the default generator. */
  public static synchronized void manualSeed(long seed) {
    defaultGenerator = new SplittableRandom(seed);
  }

  /** The generator layers use when none is given. */
  public static synchronized RandomGenerator defaultGenerator() {
    return defaultGenerator;
  }

  /** Fills {@code tensor} with values uniform in [-bound, bound). */
  public static void uniform(Tensor tensor, double bound, RandomGenerator random) {
    float[] data = tensor.data();
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (bound * (2 * random.nextDouble() - 1));
    }
  }

  /**
   * Fills {@code tensor} with normal values of the given mean and standard deviation (Embedding's
   * default is N(0, 1)), drawn with {@link RandomGenerator#nextGaussian()}.
   */
  public static void normal(Tensor tensor, double mean, double std, RandomGenerator random) {
    float[] data = tensor.data();
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (mean + std * random.nextGaussian());
    }
  }

  /**
   * PyTorch's default for Linear and Conv2d weights and biases: uniform in ±1/√fanIn. (For the
   * weight this is {@code kaiming_uniform_(a=√5)}, whose bound gain·√(3/fanIn) with
   * gain = √(2/(1+5)) comes to 1/√fanIn.)
   */
  public static void pytorchDefault(Tensor tensor, int fanIn, RandomGenerator random) {
    uniform(tensor, fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0, random);
  }
}
