package dev.nonlinear.jmh;

import dev.nonlinear.kernel.Backend;
import dev.nonlinear.kernel.ConvGeometry;
import dev.nonlinear.kernel.Convolution;
import dev.nonlinear.kernel.PoolGeometry;
import dev.nonlinear.kernel.Pooling;
import dev.nonlinear.kernel.Softmax;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * im2col, col2im, max pooling and softmax, each on the vector backend and, in a fork forced to
 * {@code -Dnonlinear.backend=scalar}, on the scalar twins, with the same inputs (fixed seed).
 * Methods ending in {@code Scalar} run in the scalar fork; the others on the default backend.
 * Everything runs on one thread: these kernels work on one image and do not split work.
 *
 * <p>Shapes: im2col/col2im for the 28×28 CNN's first convolution (1×28×28, 3×3, padding 1) and a
 * ResNet-like layer (64×56×56, 3×3, padding 1); max pooling 2×2 stride 2 over a batch of
 * 8×64×56×56; softmax over 64 rows of 10 and of 1000 classes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dnonlinear.threads=1"})
public class ConvPoolBenchmark {

  private static final String SCALAR = "-Dnonlinear.backend=scalar";

  /** Inputs for im2col and col2im. */
  @State(Scope.Thread)
  public static class ConvState {
    /** channels x height x width; always a 3×3 kernel, stride 1, padding 1. */
    @Param({"1x28x28", "64x56x56"})
    public String image;

    ConvGeometry geometry;
    float[] pixels;
    float[] col;

    @Setup(Level.Trial)
    public void setUp() {
      String[] dims = image.split("x");
      geometry = new ConvGeometry(Integer.parseInt(dims[0]), Integer.parseInt(dims[1]),
          Integer.parseInt(dims[2]), 3, 3, 1, 1, 1, 1, 1, 1);
      pixels = random(geometry.imageSize(), 1);
      col = random(geometry.colSize(), 2);
      System.err.println("backend: " + Backend.current());
    }
  }

  /** Inputs for max pooling: 8 images of 64×56×56, 2×2 windows, stride 2. */
  @State(Scope.Thread)
  public static class PoolState {
    static final int BATCH = 8;

    PoolGeometry geometry = new PoolGeometry(64, 56, 56, 2, 2, 2, 2, 0, 0, 1, 1, false);
    float[] images;
    float[] out;
    int[] argmax;
    float[] gradImages;

    @Setup(Level.Trial)
    public void setUp() {
      images = random(BATCH * geometry.imageSize(), 3);
      out = new float[BATCH * geometry.outputSize()];
      argmax = new int[BATCH * geometry.outputSize()];
      gradImages = new float[BATCH * geometry.imageSize()];
    }
  }

  /** Logits for softmax: 64 rows. */
  @State(Scope.Thread)
  public static class SoftmaxState {
    static final int ROWS = 64;

    @Param({"10", "1000"})
    public int classes;

    float[] logits;
    float[] probabilities;

    @Setup(Level.Trial)
    public void setUp() {
      logits = random(ROWS * classes, 4);
      probabilities = new float[ROWS * classes];
    }
  }

  @Benchmark
  public float[] im2col(ConvState s) {
    Convolution.im2col(s.geometry, s.pixels, 0, s.col, 0);
    return s.col;
  }

  @Benchmark
  @Fork(jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dnonlinear.threads=1", SCALAR})
  public float[] im2colScalar(ConvState s) {
    return im2col(s);
  }

  @Benchmark
  public float[] col2im(ConvState s) {
    Convolution.col2im(s.geometry, s.col, 0, s.pixels, 0);
    return s.pixels;
  }

  @Benchmark
  @Fork(jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dnonlinear.threads=1", SCALAR})
  public float[] col2imScalar(ConvState s) {
    return col2im(s);
  }

  @Benchmark
  public float[] maxPool2d(PoolState s) {
    PoolGeometry g = s.geometry;
    for (int n = 0; n < PoolState.BATCH; n++) {
      Pooling.maxPool2d(g, s.images, n * g.imageSize(), s.out, n * g.outputSize(), s.argmax,
          n * g.outputSize());
    }
    return s.out;
  }

  @Benchmark
  @Fork(jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dnonlinear.threads=1", SCALAR})
  public float[] maxPool2dScalar(PoolState s) {
    return maxPool2d(s);
  }

  @Benchmark
  public float[] maxPool2dBackward(PoolState s) {
    PoolGeometry g = s.geometry;
    for (int n = 0; n < PoolState.BATCH; n++) {
      Pooling.maxPool2dBackward(g, s.out, n * g.outputSize(), s.argmax, n * g.outputSize(),
          s.gradImages, n * g.imageSize());
    }
    return s.gradImages;
  }

  @Benchmark
  public float[] softmax(SoftmaxState s) {
    Softmax.softmax(s.logits, 0, s.probabilities, 0, SoftmaxState.ROWS, s.classes);
    return s.probabilities;
  }

  @Benchmark
  @Fork(jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dnonlinear.threads=1", SCALAR})
  public float[] softmaxScalar(SoftmaxState s) {
    return softmax(s);
  }

  private static float[] random(int n, long seed) {
    Random random = new Random(seed);
    float[] a = new float[n];
    for (int k = 0; k < n; k++) {
      a[k] = random.nextFloat() * 8f - 4f;
    }
    return a;
  }
}
