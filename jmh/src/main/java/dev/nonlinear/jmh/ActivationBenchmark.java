package dev.nonlinear.jmh;

import dev.nonlinear.kernel.Activations;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Activations over 1M floats out of place, in ns per element, beside the cost of moving the same
 * bytes ({@code copy}: System.arraycopy of the input into the output). The backend is the
 * library's: run once as is (vector) and once with {@code -jvmArgsAppend
 * -Dnonlinear.backend=scalar} for the scalar twins. {@code sigmoidLanewiseExp} and
 * {@code tanhLanewise} are the JDK's own {@code lanewise(EXP)} / {@code lanewise(TANH)} forms,
 * written here only to measure the alternative the library chose against (VectorMath).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(ActivationBenchmark.N)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class ActivationBenchmark {

  static final int N = 1 << 20;

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  private final float[] x = new float[N];
  private final float[] gradY = new float[N];
  private final float[] y = new float[N];

  @Setup
  public void fill() {
    Random random = new Random(42);
    for (int i = 0; i < N; i++) {
      x[i] = (float) (random.nextGaussian() * 4);
      gradY[i] = (float) random.nextGaussian();
    }
  }

  @Benchmark
  public float[] copy() {
    System.arraycopy(x, 0, y, 0, N);
    return y;
  }

  @Benchmark
  public float[] relu() {
    Activations.relu(x, 0, y, 0, N);
    return y;
  }

  @Benchmark
  public float[] reluBackward() {
    Activations.reluBackward(x, 0, gradY, 0, y, 0, N);
    return y;
  }

  @Benchmark
  public float[] sigmoid() {
    Activations.sigmoid(x, 0, y, 0, N);
    return y;
  }

  @Benchmark
  public float[] sigmoidBackward() {
    Activations.sigmoidBackward(x, 0, gradY, 0, y, 0, N);
    return y;
  }

  @Benchmark
  public float[] tanh() {
    Activations.tanh(x, 0, y, 0, N);
    return y;
  }

  @Benchmark
  public float[] tanhBackward() {
    Activations.tanhBackward(x, 0, gradY, 0, y, 0, N);
    return y;
  }

  @Benchmark
  public float[] gelu() {
    Activations.gelu(x, 0, y, 0, N);
    return y;
  }

  @Benchmark
  public float[] geluTanh() {
    Activations.geluTanh(x, 0, y, 0, N);
    return y;
  }

  @Benchmark
  public float[] geluBackward() {
    Activations.geluBackward(x, 0, gradY, 0, y, 0, N);
    return y;
  }

  @Benchmark
  public float[] geluTanhBackward() {
    Activations.geluTanhBackward(x, 0, gradY, 0, y, 0, N);
    return y;
  }

  @Benchmark
  public float[] silu() {
    Activations.silu(x, 0, y, 0, N);
    return y;
  }

  @Benchmark
  public float[] mish() {
    Activations.mish(x, 0, y, 0, N);
    return y;
  }

  @Benchmark
  public float[] softplus() {
    Activations.softplus(x, 0, y, 0, N, 1f, 20f);
    return y;
  }

  @Benchmark
  public float[] softplusBackward() {
    Activations.softplusBackward(x, 0, gradY, 0, y, 0, N, 1f, 20f);
    return y;
  }

  @Benchmark
  public float[] elu() {
    Activations.elu(x, 0, y, 0, N, 1f);
    return y;
  }

  @Benchmark
  public float[] hardswish() {
    Activations.hardswish(x, 0, y, 0, N);
    return y;
  }

  /** σ(x) = 1 / (1 + e^-x) with the JDK's lanewise EXP (overflow-prone form; speed only). */
  @Benchmark
  public float[] sigmoidLanewiseExp() {
    int bound = SPECIES.loopBound(N);
    for (int i = 0; i < bound; i += SPECIES.length()) {
      FloatVector v = FloatVector.fromArray(SPECIES, x, i);
      FloatVector e = v.neg().lanewise(VectorOperators.EXP).add(1f);
      e.broadcast(1f).div(e).intoArray(y, i);
    }
    return y;
  }

  @Benchmark
  public float[] tanhLanewise() {
    int bound = SPECIES.loopBound(N);
    for (int i = 0; i < bound; i += SPECIES.length()) {
      FloatVector.fromArray(SPECIES, x, i).lanewise(VectorOperators.TANH).intoArray(y, i);
    }
    return y;
  }
}
