package dev.nonlinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.kernel.Activations;
import dev.nonlinear.kernel.Blas;
import dev.nonlinear.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Module#inferenceCopy()}: every layer has one, it shares the parameters and nothing
 * else, and threads running eval-mode inference through their own copies, while other threads
 * call the kernels directly, get bit for bit what one thread gets.
 */
class InferenceCopyTest {

  /** Threads of the stress test: three times the cores of CI, so that they interleave. */
  private static final int THREADS = 6;
  /** Rounds per thread; with the deadline below this keeps the test to a few seconds. */
  private static final int ROUNDS = 25;
  private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(4);
  private static final int BATCHES = 5;

  @Test
  void everyLayerCopiesOverTheSameParametersAndComputesTheSame() {
    SplittableRandom random = new SplittableRandom(21);
    List<Module> layers = List.of(
        new Linear(7, 5, true, random), new Conv2d(2, 3, new int[] {3, 2}, new int[] {2, 1},
            new int[] {1, 0}, new int[] {1, 2}, 1, true, random),
        new Conv1d(2, 4, 3, 1, 1, 1, 2, false, random), new MaxPool2d(2, 1),
        new AvgPool2d(2), new AdaptiveAvgPool2d(2, 3), new Flatten(), new Dropout(0.5f, random),
        new ReLU(), new LeakyReLU(0.2f), new ELU(0.7f), new CELU(1.3f), new SELU(), new GELU(),
        new GELU("tanh"), new SiLU(), new Mish(), new Softplus(2f, 10f), new Sigmoid(),
        new Tanh(), new Hardtanh(-0.5f, 2f), new Hardsigmoid(), new Hardswish(), new Softsign(),
        new Softmax(), new LogSoftmax(-1));
    for (Module layer : layers) {
      layer.eval();
      Tensor x = input(layer, random);
      float[] expected = layer.forward(x).data().clone();
      Module copy = layer.inferenceCopy();

      assertSame(layer.getClass(), copy.getClass());
      assertFalse(copy.isTraining(), "a copy is in eval mode");
      assertEquals(layer.toString(), copy.toString());
      assertSameParameters(layer, copy);
      assertArrayEquals(expected, copy.forward(x).data(), layer.getClass().getSimpleName());
    }
  }

  @Test
  void recurrentAndEmbeddingCopiesKeepTheirTypeAndShareTheirParameters() {
    LSTM lstm = new LSTM(3, 4, 2, true, true, 0.3f, true, new SplittableRandom(2));
    RNN rnn = new RNN(3, 2, 1, RNN.Nonlinearity.RELU, false, false, 0f, true,
        new SplittableRandom(3));
    Embedding embedding = new Embedding(6, 3, 0, new SplittableRandom(4));
    lstm.eval();
    Tensor x = Tensor.of(GradientCheck.uniform(new SplittableRandom(5), 2 * 5 * 3), 2, 5, 3);

    LSTM lstmCopy = lstm.inferenceCopy();
    assertSameParameters(lstm, lstmCopy);
    float[] expected = lstm.forward(x).data().clone();
    assertArrayEquals(expected, lstmCopy.forward(x).data());
    assertArrayEquals(lstm.hn().data(), lstmCopy.hn().data());
    assertArrayEquals(lstm.cn().data(), lstmCopy.cn().data());
    assertEquals(lstm.toString(), lstmCopy.toString());

    RNN rnnCopy = rnn.inferenceCopy();
    assertSameParameters(rnn, rnnCopy);
    Tensor xt = Tensor.of(GradientCheck.uniform(new SplittableRandom(6), 5 * 2 * 3), 5, 2, 3);
    assertArrayEquals(rnn.forward(xt).data().clone(), rnnCopy.forward(xt).data());

    Embedding embeddingCopy = embedding.inferenceCopy();
    assertSameParameters(embedding, embeddingCopy);
    assertEquals(0, embeddingCopy.paddingIdx());
    assertArrayEquals(embedding.forward(new int[] {1, 5, 0}, 3).data().clone(),
        embeddingCopy.forward(new int[] {1, 5, 0}, 3).data());
  }

  @Test
  void aCopySeesWeightUpdatesAndLeavesTheOriginalAsItWas() {
    Sequential model = missionCnn();
    assertTrue(model.isTraining());
    Sequential copy = model.inferenceCopy();
    assertTrue(model.isTraining(), "the original keeps its mode");
    assertFalse(copy.get(0).isTraining(), "children of a copy are in eval mode");
    assertEquals(5, copy.size());

    Tensor x = images(new SplittableRandom(8), 2);
    float[] before = copy.forward(x).data().clone();
    Parameter bias = model.namedParameters().get("4.bias");
    bias.value().data()[3] += 1f;
    float[] after = copy.forward(x).data();
    for (int i = 0; i < before.length; i++) {
      assertEquals(i % 10 == 3 ? before[i] + 1f : before[i], after[i], 1e-6, "logit " + i);
    }
  }

  @Test
  void aModuleWithoutCopiesSaysSo() {
    var view = new SequenceLayerProperties.StatefulView(new LSTM(2, 2), false, 1, 1, 2);
    var error = assertThrows(UnsupportedOperationException.class, view::inferenceCopy);
    assertTrue(error.getMessage().contains("does not provide inferenceCopy()"),
        error.getMessage());
  }

  /**
   * Threads each run the mission CNN and a bidirectional two-layer LSTM through their own
   * copies, over batches in an order of their own (15 to 19 sequences, so the LSTM takes both
   * its unpacked and its packed-weights path), while SGEMM (small and packed shapes) and
   * activation kernels run on the same threads in between; every result must equal, bit for
   * bit, what one thread computed before. The kernels' internal parallel loops run too (the
   * default thread count), so the pool is shared by all callers at once.
   */
  @Test
  void concurrentInferenceThroughCopiesGivesTheSingleThreadedBits() throws Exception {
    SplittableRandom random = new SplittableRandom(31);
    Sequential cnn = missionCnn();
    LSTM lstm = new LSTM(12, 16, 2, true, true, 0.2f, true, new SplittableRandom(32));
    cnn.eval();
    lstm.eval();

    Tensor[] images = new Tensor[BATCHES];
    Tensor[] sequences = new Tensor[BATCHES];
    float[][] logits = new float[BATCHES][];
    float[][] lstmOut = new float[BATCHES][];
    float[][] lstmHn = new float[BATCHES][];
    for (int b = 0; b < BATCHES; b++) {
      images[b] = images(random, 3 + b);
      sequences[b] = Tensor.of(GradientCheck.uniform(random, (15 + b) * 7 * 12), 15 + b, 7, 12);
      logits[b] = cnn.forward(images[b]).data().clone();
      lstmOut[b] = lstm.forward(sequences[b]).data().clone();
      lstmHn[b] = lstm.hn().data().clone();
    }
    KernelCase[] kernels = {new KernelCase(random, 7, 13, 5), new KernelCase(random, 150, 70,
        300)};

    List<Module[]> copies = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      copies.add(new Module[] {cnn.inferenceCopy(), lstm.inferenceCopy()});
    }
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        int id = i;
        done.add(pool.submit(() -> {
          Sequential myCnn = (Sequential) copies.get(id)[0];
          LSTM myLstm = (LSTM) copies.get(id)[1];
          start.await();
          int round = 0;
          for (; round < ROUNDS && System.nanoTime() < deadline; round++) {
            int b = (round * (id + 1) + id) % BATCHES;
            check(failures, "cnn", id, b, logits[b], myCnn.forward(images[b]).data());
            check(failures, "lstm", id, b, lstmOut[b], myLstm.forward(sequences[b]).data());
            check(failures, "lstm hn", id, b, lstmHn[b], myLstm.hn().data());
            KernelCase kernel = kernels[(round + id) % kernels.length];
            check(failures, "sgemm " + kernel.m, id, round, kernel.product, kernel.sgemm());
            check(failures, "tanh", id, round, kernel.tanh, kernel.tanh());
            check(failures, "sigmoid", id, round, kernel.sigmoid, kernel.sigmoid());
          }
          return round;
        }));
      }
      start.countDown();
      int rounds = 0;
      for (Future<Integer> future : done) {
        rounds += future.get(30, TimeUnit.SECONDS);
      }
      assertTrue(failures.isEmpty(), failures.size() + " differences, first: "
          + failures.peek());
      assertTrue(rounds >= THREADS, "every thread ran at least one round: " + rounds);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void check(ConcurrentLinkedQueue<String> failures, String what, int thread,
      int item, float[] expected, float[] actual) {
    int n = expected.length;
    if (actual.length < n) {
      failures.add(what + " on thread " + thread + ": " + actual.length + " values");
      return;
    }
    for (int i = 0; i < n; i++) {
      if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
        failures.add(what + " on thread " + thread + ", item " + item + ", index " + i + ": "
            + expected[i] + " expected, got " + actual[i]);
        return;
      }
    }
  }

  /** Fixed kernel inputs, their single-threaded results, and per-caller output arrays. */
  private static final class KernelCase {
    final int m;
    final int n;
    final int k;
    final float[] a;
    final float[] b;
    final float[] product;
    final float[] tanh;
    final float[] sigmoid;
    private final ThreadLocal<float[][]> outputs;

    KernelCase(SplittableRandom random, int m, int n, int k) {
      this.m = m;
      this.n = n;
      this.k = k;
      a = GradientCheck.uniform(random, m * k);
      b = GradientCheck.uniform(random, k * n);
      outputs = ThreadLocal.withInitial(() -> new float[][] {new float[m * n],
          new float[m * n], new float[m * n]});
      product = sgemm().clone();
      tanh = tanh().clone();
      sigmoid = sigmoid().clone();
    }

    float[] sgemm() {
      float[] c = outputs.get()[0];
      Blas.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
      return c;
    }

    float[] tanh() {
      float[] y = outputs.get()[1];
      Activations.tanh(b, 0, y, 0, Math.min(b.length, m * n));
      return y;
    }

    float[] sigmoid() {
      float[] y = outputs.get()[2];
      Activations.sigmoid(a, 0, y, 0, Math.min(a.length, m * n));
      return y;
    }
  }

  private static Sequential missionCnn() {
    return new Sequential(
        new Conv2d(1, 32, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
            new int[] {1, 1}, true, new SplittableRandom(41)),
        new ReLU(), new MaxPool2d(2, 2), new Flatten(),
        new Linear(32 * 14 * 14, 10, true, new SplittableRandom(42)));
  }

  private static Tensor images(SplittableRandom random, int count) {
    return Tensor.of(GradientCheck.uniform(random, count * 28 * 28), count, 1, 28, 28);
  }

  private static void assertSameParameters(Module original, Module copy) {
    Map<String, Parameter> mine = original.namedParameters();
    Map<String, Parameter> theirs = copy.namedParameters();
    assertEquals(mine.keySet(), theirs.keySet());
    mine.forEach((name, parameter) -> assertSame(parameter, theirs.get(name), name));
  }

  /** An input each test layer accepts: rank 3 for Conv1d, rank 4 for the 2-D layers. */
  private static Tensor input(Module layer, SplittableRandom random) {
    int[] shape;
    if (layer instanceof Linear) {
      shape = new int[] {3, 7};
    } else if (layer instanceof Conv1d) {
      shape = new int[] {2, 2, 9};
    } else if (layer instanceof Conv2d || layer instanceof MaxPool2d
        || layer instanceof AvgPool2d || layer instanceof AdaptiveAvgPool2d) {
      shape = new int[] {2, 2, 7, 6};
    } else {
      shape = new int[] {2, 3, 5};
    }
    int size = 1;
    for (int d : shape) {
      size *= d;
    }
    float[] values = GradientCheck.uniform(random, size);
    for (int i = 0; i < size; i++) {
      values[i] *= 4;
    }
    return Tensor.of(values, shape);
  }
}
