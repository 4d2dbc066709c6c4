package dev.nonlinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nonlinear.kernel.Parallel;
import dev.nonlinear.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's promise "the same bits for any thread count", for whole models rather than one
 * kernel: a small CNN (convolutions plain and grouped, pooling max and average, a linear layer,
 * cross-entropy, two Adam steps; the convolutions split the batch across threads) and an LSTM
 * (whose GEMMs split their column blocks), run with 1, 2, 3, 7 and 16 kernel threads (fewer
 * than the batch, as many, more), give bitwise the same outputs, loss, gradients and updated
 * weights. And several models trained at once on separate Java threads, which the README allows
 * (one instance per thread), each give the single-threaded bits: no kernel keeps state that two
 * callers share.
 */
class ThreadCountReproducibilityTest {

  private static final int[] THREAD_COUNTS = {1, 2, 3, 7, 16};
  private static final int BATCH = 7;
  private static final int CLASSES = 5;

  private final int threadsBefore = Parallel.threads();

  @AfterEach
  void restoreThreads() {
    Parallel.setThreads(threadsBefore);
  }

  @Test
  void cnnTrainingStepsGiveTheSameBitsOnAnyThreadCount() {
    Map<String, int[]> reference = null;
    for (int threads : THREAD_COUNTS) {
      Parallel.setThreads(threads);
      Map<String, int[]> run = trainCnn();
      if (reference == null) {
        reference = run;
      } else {
        assertSameBits(reference, run, threads + " threads");
      }
    }
  }

  @Test
  void lstmGivesTheSameBitsOnAnyThreadCount() {
    Map<String, int[]> reference = null;
    for (int threads : THREAD_COUNTS) {
      Parallel.setThreads(threads);
      Map<String, int[]> run = runLstm();
      if (reference == null) {
        reference = run;
      } else {
        assertSameBits(reference, run, threads + " threads");
      }
    }
  }

  @Test
  void modelsTrainedAtOnceOnSeparateThreadsGiveTheSingleThreadedBits() throws Exception {
    Parallel.setThreads(1);
    Map<String, int[]> reference = trainCnn();

    Parallel.setThreads(2);
    int callers = 4;
    ExecutorService executor = Executors.newFixedThreadPool(callers);
    try {
      List<Future<Map<String, int[]>>> runs = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        runs.add(executor.submit(ThreadCountReproducibilityTest::trainCnn));
      }
      for (int i = 0; i < callers; i++) {
        assertSameBits(reference, runs.get(i).get(60, TimeUnit.SECONDS), "caller " + i);
      }
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void countsOutsideOneTo1024AreRefusedAndChangeNothing() {
    Parallel.setThreads(3);
    for (int bad : new int[] {0, -1, 1025, Integer.MIN_VALUE}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Parallel.setThreads(bad));
      assertEquals("threads = " + bad + ": expected 1 to 1024", e.getMessage());
      assertEquals(3, Parallel.threads());
    }
  }

  /** Two Adam steps of a small CNN on a fixed batch; every float that came out, as bits. */
  private static Map<String, int[]> trainCnn() {
    Sequential model = new Sequential(
        new Conv2d(3, 8, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
            new int[] {1, 1}, true, new SplittableRandom(1)),
        new ReLU(),
        new MaxPool2d(2),
        new Conv2d(8, 6, new int[] {3, 2}, new int[] {1, 1}, new int[] {1, 0},
            new int[] {1, 2}, 2, true, new SplittableRandom(2)),
        new AvgPool2d(new int[] {2, 1}, null, new int[] {0, 0}, false, true, 0),
        new Flatten(),
        new Linear(6 * 3 * 1, CLASSES, true, new SplittableRandom(3)));
    CrossEntropyLoss loss = new CrossEntropyLoss();
    Adam adam = new Adam(model.parameters(), 0.01f);
    Tensor x = uniform(new SplittableRandom(4), BATCH, 3, 12, 7);
    int[] targets = {0, 4, 2, 1, 3, 3, 0};

    Map<String, int[]> bits = new LinkedHashMap<>();
    for (int step = 0; step < 2; step++) {
      adam.zeroGrad();
      Tensor logits = model.forward(x);
      bits.put("logits " + step, bits(logits));
      bits.put("loss " + step, new int[] {Float.floatToRawIntBits(loss.forward(logits,
          targets))});
      bits.put("input gradient " + step, bits(model.backward(loss.backward())));
      for (Map.Entry<String, Parameter> p : model.namedParameters().entrySet()) {
        bits.put(p.getKey() + ".grad " + step, bits(p.getValue().grad()));
      }
      adam.step();
    }
    for (Map.Entry<String, Parameter> p : model.namedParameters().entrySet()) {
      bits.put(p.getKey(), bits(p.getValue().value()));
    }
    return bits;
  }

  /**
   * A two-layer LSTM over 6 steps of a batch of 7: output, input gradient, weight gradients.
   * Wide enough that its input GEMMs (42 × 160 × 48) pass the size the GEMM driver splits
   * across threads.
   */
  private static Map<String, int[]> runLstm() {
    LSTM lstm = new LSTM(48, 40, 2, true, false, new SplittableRandom(5));
    Tensor x = uniform(new SplittableRandom(6), 6, BATCH, 48);
    Tensor y = lstm.forward(x);
    Map<String, int[]> bits = new LinkedHashMap<>();
    bits.put("output", bits(y));
    bits.put("input gradient", bits(lstm.backward(uniform(new SplittableRandom(7), y.shape()))));
    for (Map.Entry<String, Parameter> p : lstm.namedParameters().entrySet()) {
      bits.put(p.getKey() + ".grad", bits(p.getValue().grad()));
    }
    return bits;
  }

  private static Tensor uniform(SplittableRandom random, int... shape) {
    Tensor t = Tensor.zeros(shape);
    float[] data = t.data();
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return t;
  }

  private static int[] bits(Tensor t) {
    float[] data = t.data();
    int[] bits = new int[data.length];
    for (int i = 0; i < data.length; i++) {
      bits[i] = Float.floatToRawIntBits(data[i]);
    }
    return bits;
  }

  private static void assertSameBits(Map<String, int[]> expected, Map<String, int[]> actual,
      String run) {
    assertEquals(expected.keySet(), actual.keySet(), run);
    for (String name : expected.keySet()) {
      assertArrayEquals(expected.get(name), actual.get(name), run + ": " + name
          + " differs from the first run");
    }
  }
}
