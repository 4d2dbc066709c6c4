package dev.nonlinear.jmh;

import dev.nonlinear.kernel.Parallel;
import dev.nonlinear.nn.Conv2d;
import dev.nonlinear.nn.CrossEntropyLoss;
import dev.nonlinear.nn.Flatten;
import dev.nonlinear.nn.Init;
import dev.nonlinear.nn.Linear;
import dev.nonlinear.nn.MaxPool2d;
import dev.nonlinear.nn.ReLU;
import dev.nonlinear.nn.SGD;
import dev.nonlinear.nn.Sequential;
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
 * One SGD training step (forward, loss, backward, update) of the mission's 28×28 CNN on a batch
 * of 64 images: Conv2d(1→32, 3×3, padding 1), ReLU, MaxPool2d(2), Flatten, Linear(6272→10).
 * Images per second = 64 / time per step. The scalar fork runs the same code on the scalar
 * backend. PyTorch's number for the same step comes from {@code scripts/pytorch_cnn_reference.py}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CnnTrainingBenchmark {

  private static final int BATCH = 64;

  @Param({"1", "2"})
  public int threads;

  private Sequential model;
  private CrossEntropyLoss loss;
  private SGD optimizer;
  private Tensor images;
  private int[] labels;

  @Setup
  public void setUp() {
    Parallel.setThreads(threads);
    Init.manualSeed(7);
    model = new Sequential(new Conv2d(1, 32, 3, 1, 1), new ReLU(), new MaxPool2d(2, 2),
        new Flatten(), new Linear(32 * 14 * 14, 10));
    model.inputGradientNeeded(false);
    loss = new CrossEntropyLoss();
    optimizer = new SGD(model.parameters(), 0.01f, 0.9f);

    SplittableRandom random = new SplittableRandom(11);
    float[] pixels = new float[BATCH * 28 * 28];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextDouble();
    }
    images = Tensor.of(pixels, BATCH, 1, 28, 28);
    labels = random.ints(BATCH, 0, 10).toArray();
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
  public float trainStep() {
    return step();
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector",
      "-Dnonlinear.backend=scalar"})
  public float trainStepScalar() {
    return step();
  }

  private float step() {
    optimizer.zeroGrad();
    float value = loss.forward(model.forward(images), labels);
    model.backward(loss.backward());
    optimizer.step();
    return value;
  }
}
