package dev.nonlinear.jmh;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.nonlinear.kernel.Blas;
import dev.nonlinear.kernel.Parallel;
import java.util.Random;
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
 * {@link Blas#sgemm} on square and layer-shaped products, vector backend beside scalar backend
 * (the same facade, in a fork with {@code -Dnonlinear.backend=scalar}), on one and two threads.
 * Time per call; GFLOP/s = 2 m n k / time.
 *
 * <p>The anchor, {@link #openblas()}, runs the same product through netlib's
 * {@code BLAS.getInstance()}, i.e. the system's native BLAS (OpenBLAS on Debian) when it loads,
 * else netlib's Java implementation (its log line says which). OpenBLAS picks its thread count
 * from the environment, not from the {@code threads} parameter: run JMH under
 * {@code OPENBLAS_NUM_THREADS=1} (or 2) and read the rows of the matching parameter.
 *
 * <p>The second anchor, {@link #vectorblas()}, is netlib's pure-Java {@code VectorBLAS}: what
 * {@code JavaBLAS.getInstance()} returns on JDK 16 and newer when {@code jdk.incubator.vector}
 * is readable (every fork here adds it). It is one thread whatever the {@code threads} parameter.
 *
 * <p>Shapes: {@code 64, 127, 256, 1024} square, no transpose; and the products of a 28 x 28 CNN
 * at batch 64: {@code linear} x[64 x 6272] W[10 x 6272]^T, {@code linearInputGrad} dY[64 x 10]
 * W[10 x 6272], {@code linearWeightGrad} dY^T[10 x 64] x[64 x 6272]; {@code conv} W[32 x 9]
 * col[9 x 784], {@code convWeightGrad} dY[32 x 784] col^T[784 x 9], {@code convInputGrad}
 * W^T[9 x 32] dY[32 x 784]; {@link GemmShape} holds them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmBenchmark {

  private static final BLAS NATIVE = BLAS.getInstance();
  private static final BLAS JAVA = JavaBLAS.getInstance();

  @Param({"64", "127", "256", "1024", "linear", "linearInputGrad", "linearWeightGrad", "conv",
      "convWeightGrad", "convInputGrad"})
  public String shape;

  @Param({"1", "2"})
  public int threads;

  private boolean transA;
  private boolean transB;
  private int m;
  private int n;
  private int k;
  private float[] a;
  private float[] b;
  private float[] c;

  @Setup
  public void setUp() {
    Parallel.setThreads(threads);
    GemmShape product = GemmShape.of(shape);
    transA = product.transA();
    transB = product.transB();
    m = product.m();
    n = product.n();
    k = product.k();

    Random random = new Random(42);
    a = randomArray(m * k, random);
    b = randomArray(k * n, random);
    c = new float[m * n];
  }

  /** The vector backend (the JVM's preferred width). */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
  public float[] vector() {
    return multiply();
  }

  /** The scalar twin, through the same facade. */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector",
      "-Dnonlinear.backend=scalar"})
  public float[] scalar() {
    return multiply();
  }

  /** The native BLAS anchor; see the class comment for its thread count. */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
  public float[] openblas() {
    return columnMajor(NATIVE);
  }

  private float[] columnMajor(BLAS blas) {
    // Netlib is column-major: a row-major m x n C is a column-major n x m C^T = op(B)^T op(A)^T,
    // and the row-major arrays of A and B read column-major are already A^T and B^T.
    blas.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, 1f, b, 0, transB ? k : n, a, 0,
        transA ? m : k, 0f, c, 0, n);
    return c;
  }

  /** netlib's pure-Java Vector API BLAS; see the class comment. */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
  public float[] vectorblas() {
    return columnMajor(JAVA);
  }

  private float[] multiply() {
    Blas.sgemm(transA, transB, m, n, k, 1f, a, 0, transA ? m : k, b, 0, transB ? k : n, 0f, c,
        0, n);
    return c;
  }

  private static float[] randomArray(int length, Random random) {
    float[] array = new float[length];
    for (int i = 0; i < length; i++) {
      array[i] = random.nextFloat() * 2 - 1;
    }
    return array;
  }
}
