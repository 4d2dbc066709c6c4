package dev.nonlinear.jmh;

import dev.nonlinear.kernel.Parallel;
import dev.nonlinear.nn.Conv2d;
import dev.nonlinear.nn.Init;
import dev.nonlinear.nn.MaxPool2d;
import dev.nonlinear.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The layer shapes issue 5 sets targets for, beside {@code jmh/pytorch/layers.py} (PyTorch 1.13,
 * the same shapes and threads): a 3×3 convolution 64→64 on 8×64×56×56 forward (1.85 GFLOP); the
 * CNN's first convolution (1→32, 3×3, padding 1) on 64×1×28×28, forward and backward without
 * the input gradient (the input is data); MaxPool2d(2) on 8×64×56×56.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class LayerBenchmark {

  @Param({"1"})
  public int threads;

  private Conv2d conv64;
  private Tensor conv64Input;
  private Conv2d firstConv;
  private Tensor images;
  private Tensor firstConvGrad;
  private MaxPool2d pool;
  private Tensor poolInput;

  @Setup
  public void setUp() {
    Parallel.setThreads(threads);
    Init.manualSeed(3);
    SplittableRandom random = new SplittableRandom(5);
    conv64 = new Conv2d(64, 64, 3, 1, 1);
    conv64Input = uniform(random, 8, 64, 56, 56);
    firstConv = new Conv2d(1, 32, 3, 1, 1);
    firstConv.inputGradientNeeded(false);
    images = uniform(random, 64, 1, 28, 28);
    firstConvGrad = uniform(random, 64, 32, 28, 28);
    pool = new MaxPool2d(2, 2);
    poolInput = uniform(random, 8, 64, 56, 56);
  }

  @Benchmark
  public Tensor conv64Forward() {
    return conv64.forward(conv64Input);
  }

  @Benchmark
  public Tensor firstConvForwardBackward() {
    firstConv.forward(images);
    firstConv.backward(firstConvGrad);
    return firstConv.weight().grad();
  }

  @Benchmark
  public Tensor maxPoolForward() {
    return pool.forward(poolInput);
  }

  private static Tensor uniform(SplittableRandom random, int... shape) {
    Tensor tensor = Tensor.zeros(shape);
    float[] data = tensor.data();
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (2 * random.nextDouble() - 1);
    }
    return tensor;
  }
}
