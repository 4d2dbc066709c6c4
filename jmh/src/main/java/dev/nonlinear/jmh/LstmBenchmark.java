package dev.nonlinear.jmh;

import dev.nonlinear.kernel.Parallel;
import dev.nonlinear.nn.LSTM;
import dev.nonlinear.nn.Parameter;
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
 * One LSTM layer, input 100 → hidden 256, over 20 steps of a batch of 32 (time-major), beside
 * {@code jmh/pytorch/lstm.py} (PyTorch 1.13, the same shapes and threads). Forward alone (about
 * 0.47 GFLOP: per step a 32×1024×100 input product and a 32×1024×256 hidden one), and forward
 * then backward from a fixed output gradient, with the parameter gradients but without the
 * input gradient, as for a first layer fed with data (PyTorch's input has no
 * {@code requires_grad} either).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class LstmBenchmark {

  static final int STEPS = 20;
  static final int BATCH = 32;
  static final int INPUT = 100;
  static final int HIDDEN = 256;

  @Param({"1"})
  public int threads;

  private LSTM lstm;
  private Tensor input;
  private Tensor gradOutput;

  @Setup
  public void setUp() {
    Parallel.setThreads(threads);
    SplittableRandom random = new SplittableRandom(7);
    lstm = new LSTM(INPUT, HIDDEN, 1, true, false, new SplittableRandom(3));
    lstm.inputGradientNeeded(false);
    input = uniform(random, STEPS, BATCH, INPUT);
    gradOutput = uniform(random, STEPS, BATCH, HIDDEN);
  }

  @Benchmark
  public Tensor forward() {
    return lstm.forward(input);
  }

  @Benchmark
  public Parameter forwardBackward() {
    lstm.zeroGrad();
    lstm.forward(input);
    lstm.backward(gradOutput);
    return lstm.weightHh(0);
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
