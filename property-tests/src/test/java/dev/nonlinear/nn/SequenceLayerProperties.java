package dev.nonlinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.nonlinear.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Embedding, RNN and LSTM: hand-computed values, finite-difference gradients (through time, over
 * several layers, both directions, through dropout masks, into h0 and c0), batch-first layout,
 * and argument checks.
 */
class SequenceLayerProperties {

  private static final long SEED = 0x5e9e9ce1L;

  /**
   * The one-unit LSTM cell of the issue, computed by hand in double:
   * gates i = σ(0.1 + 0.5 + 0.01), f = σ(0.2 + 0.6 + 0.02), g = tanh(0.3 + 0.7 + 0.03),
   * o = σ(0.4 + 0.8 + 0.04); c1 = f·0.5 + i·g, h1 = o·tanh(c1). The float result is within a few
   * ulp of those (each of σ and tanh within 4 ulp, three roundings on top), so 1e-6 holds.
   */
  @Test
  void lstmCellMatchesTheHandComputedStep() {
    LSTM lstm = new LSTM(1, 1, 1, true, false, new SplittableRandom(1));
    set(lstm.weightIh(0), 0.1f, 0.2f, 0.3f, 0.4f);
    set(lstm.weightHh(0), 0.5f, 0.6f, 0.7f, 0.8f);
    set(lstm.biasIh(0), 0.01f, 0.02f, 0.03f, 0.04f);
    set(lstm.biasHh(0), 0f, 0f, 0f, 0f);

    Tensor out = lstm.forward(Tensor.of(new float[] {1f}, 1, 1, 1),
        Tensor.of(new float[] {1f}, 1, 1, 1), Tensor.of(new float[] {0.5f}, 1, 1, 1));

    assertEquals(0.8485650, lstm.cn().data()[0], 1e-6, "c1");
    assertEquals(0.5353866, lstm.hn().data()[0], 1e-6, "h1");
    assertEquals(0.5353866, out.data()[0], 1e-6, "output");
  }

  @Test
  void lstmGradientsMatchFiniteDifferencesThroughTimeAndStates() {
    qt().withFixedSeed(SEED).withExamples(40)
        .forAll(integers().between(1, 3), integers().between(1, 5), integers().between(1, 3),
            longs().all())
        .checkAssert((layers, steps, batch, seed) -> {
          SplittableRandom random = new SplittableRandom(seed);
          int in = 1 + random.nextInt(5);
          int hidden = 1 + random.nextInt(6);
          boolean batchFirst = random.nextBoolean();
          boolean bidirectional = random.nextBoolean();
          LSTM lstm = new LSTM(in, hidden, layers, random.nextBoolean(), batchFirst, 0f,
              bidirectional, random);
          StatefulView view = new StatefulView(lstm, batchFirst, steps, batch, in);
          GradientCheck.check(view, view.randomInput(random), random);
        });
  }

  @Test
  void tanhRnnGradientsMatchFiniteDifferencesThroughTimeAndStates() {
    qt().withFixedSeed(SEED).withExamples(40)
        .forAll(integers().between(1, 3), integers().between(1, 5), integers().between(1, 3),
            longs().all())
        .checkAssert((layers, steps, batch, seed) -> {
          SplittableRandom random = new SplittableRandom(seed);
          int in = 1 + random.nextInt(5);
          int hidden = 1 + random.nextInt(6);
          boolean batchFirst = random.nextBoolean();
          boolean bidirectional = random.nextBoolean();
          RNN rnn = new RNN(in, hidden, layers, RNN.Nonlinearity.TANH, random.nextBoolean(),
              batchFirst, 0f, bidirectional, random);
          StatefulView view = new StatefulView(rnn, batchFirst, steps, batch, in);
          GradientCheck.check(view, view.randomInput(random), random);
        });
  }

  /**
   * ReLU: every pre-activation is kept at least 0.05 away from 0 (checked below, else the case is
   * redrawn), so that the ±h steps of the finite difference (at most 1e-2 per input, through
   * weights below 1/√H) stay on one side of each kink.
   */
  @Test
  void reluRnnGradientsMatchFiniteDifferencesAwayFromKinks() {
    SplittableRandom random = new SplittableRandom(SEED);
    int checked = 0;
    for (int attempt = 0; attempt < 400 && checked < 15; attempt++) {
      int layers = 1 + random.nextInt(2);
      int steps = 1 + random.nextInt(4);
      int batch = 1 + random.nextInt(2);
      int in = 1 + random.nextInt(3);
      int hidden = 1 + random.nextInt(3);
      RNN rnn = new RNN(in, hidden, layers, RNN.Nonlinearity.RELU, true, false, random);
      StatefulView view = new StatefulView(rnn, false, steps, batch, in);
      Tensor x = view.randomInput(random);
      view.forward(x);
      if (smallestPreActivation(rnn) < 0.05) {
        continue;
      }
      GradientCheck.check(view, x, random);
      checked++;
    }
    assertTrue(checked >= 15, "enough ReLU cases away from kinks: " + checked);
  }

  /**
   * Dropout between layers: the view resets the mask generator before every forward, so the
   * finite differences see the same masks as the backward pass they check.
   */
  @Test
  void gradientsFlowThroughTheDropoutMasksBetweenLayers() {
    qt().withFixedSeed(SEED).withExamples(20)
        .forAll(integers().between(2, 3), integers().between(1, 4), integers().between(1, 3),
            longs().all())
        .checkAssert((layers, steps, batch, seed) -> {
          SplittableRandom random = new SplittableRandom(seed);
          int in = 1 + random.nextInt(4);
          int hidden = 1 + random.nextInt(5);
          boolean bidirectional = random.nextBoolean();
          Recurrent rnn = random.nextBoolean()
              ? new LSTM(in, hidden, layers, true, false, 0.3f, bidirectional, random)
              : new RNN(in, hidden, layers, RNN.Nonlinearity.TANH, true, false, 0.3f,
                  bidirectional, random);
          StatefulView view = new StatefulView(rnn, false, steps, batch, in);
          view.fixDropoutMasks(random.nextLong());
          GradientCheck.check(view, view.randomInput(random), random);
        });
  }

  /**
   * In training, dropout changes what the upper layers see (and p = 1 cuts them off from the
   * input entirely); in eval mode the layer equals its twin without dropout, bit for bit.
   */
  @Test
  void dropoutActsBetweenLayersInTrainingOnly() {
    SplittableRandom random = new SplittableRandom(SEED + 7);
    Tensor x = Tensor.of(GradientCheck.uniform(random, 4 * 3 * 5), 4, 3, 5);
    Tensor other = Tensor.of(GradientCheck.uniform(random, 4 * 3 * 5), 4, 3, 5);
    LSTM plain = new LSTM(5, 6, 2, true, false, 0f, true, new SplittableRandom(11));
    LSTM dropped = new LSTM(5, 6, 2, true, false, 0.5f, true, new SplittableRandom(11));
    float[] reference = plain.forward(x).data().clone();

    float[] training = dropped.forward(x).data().clone();
    assertTrue(!Arrays.equals(reference, training), "training mode drops");
    dropped.eval();
    assertArrayEquals(reference, dropped.forward(x).data());
    assertArrayEquals(plain.hn().data(), dropped.hn().data());
    assertArrayEquals(plain.cn().data(), dropped.cn().data());

    LSTM cut = new LSTM(5, 6, 2, true, false, 1f, false, new SplittableRandom(11));
    float[] fromX = cut.forward(x).data().clone();
    assertArrayEquals(fromX, cut.forward(other).data(), "p = 1: the top layer sees zeros");
    cut.backward(Tensor.of(GradientCheck.uniform(random, 4 * 3 * 6), 4, 3, 6));
    assertArrayEquals(new float[cut.weightIh(0).numel()], cut.weightIh(0).grad().data(),
        "p = 1: no gradient reaches the first layer from the output");
  }

  /**
   * A bidirectional layer's reverse direction is the forward direction run on the reversed
   * sequence: with the weights swapped, time flipped and the halves of the output exchanged,
   * the two layers agree bit for bit.
   */
  @Test
  void theReverseDirectionReadsTheSequenceBackwards() {
    SplittableRandom random = new SplittableRandom(SEED + 9);
    int steps = 5;
    int batch = 2;
    int hidden = 3;
    LSTM lstm = new LSTM(4, hidden, 1, true, false, 0f, true, new SplittableRandom(13));
    LSTM swapped = new LSTM(4, hidden, 1, true, false, 0f, true, new SplittableRandom(14));
    for (String name : new String[] {"weight_ih_l0", "weight_hh_l0", "bias_ih_l0",
        "bias_hh_l0"}) {
      copy(lstm.namedParameters().get(name), swapped.namedParameters().get(name + "_reverse"));
      copy(lstm.namedParameters().get(name + "_reverse"), swapped.namedParameters().get(name));
    }
    float[] x = GradientCheck.uniform(random, steps * batch * 4);
    float[] y = lstm.forward(Tensor.of(x, steps, batch, 4)).data().clone();
    float[] yFlipped = swapped.forward(Tensor.of(flipTime(x, steps, batch * 4), steps, batch,
        4)).data();

    float[] expected = flipTime(y, steps, batch * 2 * hidden);
    for (int row = 0; row < steps * batch; row++) {
      for (int j = 0; j < hidden; j++) {
        assertEquals(expected[row * 2 * hidden + j], yFlipped[row * 2 * hidden + hidden + j]);
        assertEquals(expected[row * 2 * hidden + hidden + j], yFlipped[row * 2 * hidden + j]);
      }
    }
    float[] hn = lstm.hn().data();
    float[] hnSwapped = swapped.hn().data();
    int state = batch * hidden;
    assertArrayEquals(Arrays.copyOfRange(hn, 0, state), Arrays.copyOfRange(hnSwapped, state,
        2 * state));
    assertArrayEquals(Arrays.copyOfRange(hn, state, 2 * state), Arrays.copyOfRange(hnSwapped,
        0, state));
  }

  /**
   * From {@link Recurrent#PACKED_MIN_BATCH} sequences on, the steps multiply by packed hidden
   * weights: gradients through that path match finite differences, and each sequence's output
   * matches the sequence run alone (through the unpacked path) within float rounding (values of
   * order 1 from sums of a few dozen products: 1e-5).
   */
  @Test
  void largeBatchesOnThePackedPathMatchFiniteDifferencesAndSingleSequences() {
    SplittableRandom random = new SplittableRandom(SEED + 11);
    int batch = Recurrent.PACKED_MIN_BATCH + 2;
    int steps = 3;
    int in = 4;
    for (boolean lstm : new boolean[] {true, false}) {
      Recurrent rnn = lstm ? new LSTM(in, 5, 2, true, false, 0f, true, random)
          : new RNN(in, 5, 2, RNN.Nonlinearity.TANH, true, false, 0f, true, random);
      StatefulView view = new StatefulView(rnn, false, steps, batch, in);
      GradientCheck.check(view, view.randomInput(random), random);

      float[] x = GradientCheck.uniform(random, steps * batch * in);
      float[] all = rnn.forward(Tensor.of(x, steps, batch, in)).data().clone();
      int width = 2 * 5;
      for (int n = 0; n < batch; n += 7) {
        float[] one = new float[steps * in];
        for (int t = 0; t < steps; t++) {
          System.arraycopy(x, (t * batch + n) * in, one, t * in, in);
        }
        float[] alone = rnn.forward(Tensor.of(one, steps, 1, in)).data();
        for (int t = 0; t < steps; t++) {
          for (int j = 0; j < width; j++) {
            assertEquals(alone[t * width + j], all[(t * batch + n) * width + j], 1e-5,
                "sequence " + n + ", step " + t + ", unit " + j);
          }
        }
      }
    }
  }

  @Test
  void batchFirstIsTheTransposeOfTimeMajor() {
    SplittableRandom random = new SplittableRandom(SEED + 3);
    int steps = 4;
    int batch = 3;
    LSTM timeMajor = new LSTM(5, 6, 2, true, false, new SplittableRandom(7));
    LSTM batchMajor = new LSTM(5, 6, 2, true, true, new SplittableRandom(7));
    float[] x = GradientCheck.uniform(random, steps * batch * 5);
    Tensor xTimeMajor = Tensor.of(x, steps, batch, 5);
    Tensor xBatchFirst = Tensor.of(swap(x, steps, batch, 5), batch, steps, 5);

    Tensor yTimeMajor = timeMajor.forward(xTimeMajor);
    Tensor yBatchFirst = batchMajor.forward(xBatchFirst);
    assertArrayEquals(swap(yTimeMajor.data(), steps, batch, 6), yBatchFirst.data());
    assertArrayEquals(timeMajor.hn().data(), batchMajor.hn().data());
    assertArrayEquals(timeMajor.cn().data(), batchMajor.cn().data());

    float[] g = GradientCheck.uniform(random, steps * batch * 6);
    Tensor gxTimeMajor = timeMajor.backward(Tensor.of(g, steps, batch, 6));
    Tensor gxBatchFirst = batchMajor.backward(Tensor.of(swap(g, steps, batch, 6), batch, steps,
        6));
    assertArrayEquals(swap(gxTimeMajor.data(), steps, batch, 5), gxBatchFirst.data());
  }

  @Test
  void recurrentWithoutInputGradientStillAccumulatesWeightGradients() {
    SplittableRandom random = new SplittableRandom(SEED + 5);
    RNN full = new RNN(3, 4, 2, RNN.Nonlinearity.TANH, true, true, new SplittableRandom(9));
    RNN partial = new RNN(3, 4, 2, RNN.Nonlinearity.TANH, true, true, new SplittableRandom(9));
    partial.inputGradientNeeded(false);
    Tensor x = Tensor.of(GradientCheck.uniform(random, 2 * 5 * 3), 2, 5, 3);
    Tensor g = Tensor.of(GradientCheck.uniform(random, 2 * 5 * 4), 2, 5, 4);
    full.forward(x);
    partial.forward(x);
    full.backward(g);
    assertNull(partial.backward(g));
    for (String name : full.namedParameters().keySet()) {
      assertArrayEquals(full.namedParameters().get(name).grad().data(),
          partial.namedParameters().get(name).grad().data(), name);
    }
    assertArrayEquals(full.gradH0().data(), partial.gradH0().data());
  }

  @Test
  void recurrentArgumentsAreChecked() {
    LSTM lstm = new LSTM(3, 4, 2, true, false, new SplittableRandom(1));
    Tensor x = Tensor.zeros(5, 2, 3);
    message("LSTM: input shape [5, 2, 4], expected [L, N, 3]",
        () -> lstm.forward(Tensor.zeros(5, 2, 4)));
    message("LSTM: h0 shape [1, 2, 4], expected [2, 2, 4]",
        () -> lstm.forward(x, Tensor.zeros(1, 2, 4), null));
    message("LSTM: c0 shape [2, 3, 4], expected [2, 2, 4]",
        () -> lstm.forward(x, null, Tensor.zeros(2, 3, 4)));
    assertThrows(IllegalStateException.class, () -> lstm.backward(Tensor.zeros(5, 2, 4)));
    lstm.forward(x);
    message("LSTM: gradOutput shape [5, 2, 3]",
        () -> lstm.backward(Tensor.zeros(5, 2, 3)));
    message("LSTM: gradCn shape [2, 2, 3], expected [2, 2, 4]",
        () -> lstm.backward(null, null, Tensor.zeros(2, 2, 3)));
    assertThrows(IllegalArgumentException.class,
        () -> new RNN(0, 4, 1, RNN.Nonlinearity.TANH, true, false, new SplittableRandom(1)));
  }

  @Test
  void recurrentParametersHavePyTorchNamesAndShapes() {
    LSTM lstm = new LSTM(3, 4, 2, true, false, new SplittableRandom(1));
    assertEquals(Arrays.asList("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
        "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"),
        lstm.namedParameters().keySet().stream().toList());
    assertArrayEquals(new int[] {16, 3}, lstm.weightIh(0).value().shape());
    assertArrayEquals(new int[] {16, 4}, lstm.weightIh(1).value().shape());
    assertArrayEquals(new int[] {16, 4}, lstm.weightHh(1).value().shape());
    double bound = 1 / Math.sqrt(4);
    for (Parameter parameter : lstm.parameters()) {
      for (float value : parameter.value().data()) {
        assertTrue(Math.abs(value) <= bound, "init within ±1/√H: " + value);
      }
    }
    assertEquals(6, new RNN(3, 4, 2, RNN.Nonlinearity.RELU, false, true,
        new SplittableRandom(1)).parameters().size() + 2);
  }

  @Test
  void bidirectionalParametersHavePyTorchNamesAndShapes() {
    RNN rnn = new RNN(3, 4, 2, RNN.Nonlinearity.TANH, true, false, 0.2f, true,
        new SplittableRandom(1));
    assertEquals(Arrays.asList("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
        "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse",
        "bias_hh_l0_reverse", "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
        "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse",
        "bias_hh_l1_reverse"), rnn.namedParameters().keySet().stream().toList());
    assertArrayEquals(new int[] {4, 8}, rnn.weightIh(1, true).value().shape());
    assertArrayEquals(new int[] {4, 3}, rnn.weightIh(0, true).value().shape());
    assertTrue(rnn.weightHh(1, true) == rnn.namedParameters().get("weight_hh_l1_reverse"));
    assertEquals("RNN(3, 4, num_layers=2, dropout=0.2, bidirectional=True)",
        rnn.toString().lines().findFirst().orElseThrow());

    Tensor out = rnn.forward(Tensor.zeros(5, 2, 3));
    assertArrayEquals(new int[] {5, 2, 8}, out.shape());
    assertArrayEquals(new int[] {4, 2, 4}, rnn.hn().shape());
    message("RNN: h0 shape [2, 2, 4], expected [4, 2, 4]",
        () -> rnn.forward(Tensor.zeros(5, 2, 3), Tensor.zeros(2, 2, 4)));
    message("reverse weights asked of a layer that is not bidirectional",
        () -> new LSTM(2, 2).weightIh(0, true));
    message("dropout = 1.5: expected a probability in [0, 1]",
        () -> new LSTM(2, 2, 2, true, false, 1.5f, false, new SplittableRandom(1)));
  }

  @Test
  void embeddingGradientsMatchFiniteDifferences() {
    qt().withFixedSeed(SEED).withExamples(40)
        .forAll(integers().between(1, 9), integers().between(1, 7), integers().between(1, 12),
            longs().all())
        .checkAssert((rows, dim, count, seed) -> {
          SplittableRandom random = new SplittableRandom(seed);
          Integer padding = rows > 1 && random.nextBoolean() ? random.nextInt(rows) : null;
          Embedding embedding = new Embedding(rows, dim, padding, random);
          // The padding row is read but gets no gradient (as in PyTorch), so a finite
          // difference through it would disagree by design; the test below covers it.
          int[] indices = random.ints(count, 0, rows)
              .map(i -> padding != null && i == padding ? (i + 1) % rows : i).toArray();
          GradientCheck.check(new LookupView(embedding, indices), Tensor.zeros(1), random);
        });
  }

  @Test
  void embeddingPaddingRowStartsAtZeroAndGetsNoGradient() {
    Embedding embedding = new Embedding(5, 3, -2, new SplittableRandom(4));
    assertEquals(3, embedding.paddingIdx());
    float[] table = embedding.weight().value().data();
    assertArrayEquals(new float[3], Arrays.copyOfRange(table, 9, 12));

    Tensor out = embedding.forward(new int[] {3, 1, 3, 1, 0, 3}, 2, 3);
    assertArrayEquals(new int[] {2, 3, 3}, out.shape());
    assertArrayEquals(Arrays.copyOfRange(table, 3, 6), Arrays.copyOfRange(out.data(), 3, 6));
    float[] g = new float[18];
    Arrays.fill(g, 1f);
    assertNull(embedding.backward(Tensor.of(g, 2, 3, 3)));
    float[] grad = embedding.weight().grad().data();
    assertArrayEquals(new float[] {1, 1, 1, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0}, grad);
  }

  @Test
  void embeddingTakesFloatCodedIndicesOnlyWhenExact() {
    Embedding embedding = new Embedding(4, 2, null, new SplittableRandom(5));
    Tensor coded = embedding.forward(Tensor.of(new float[] {3f, 0f, 2f}, 3)).copy();
    Tensor direct = embedding.forward(new int[] {3, 0, 2}, 3);
    assertArrayEquals(direct.data(), coded.data());
    assertArrayEquals(new int[] {3, 2}, coded.shape());

    message("Embedding: input[1] = 1.5: expected an integer index in [0, 4)",
        () -> embedding.forward(Tensor.of(new float[] {0f, 1.5f}, 2)));
    message("Embedding: index 4 at position 2 is out of range: expected [0, 4)",
        () -> embedding.forward(new int[] {0, 1, 4}, 3));
    message("Embedding: index -1 at position 0 is out of range",
        () -> embedding.forward(new int[] {-1}, 1));
    message("Embedding: shape [2, 2] holds 4 indices but 3 were given",
        () -> embedding.forward(new int[] {0, 1, 2}, 2, 2));
    message("paddingIdx = 4: expected a value in [-4, 4)",
        () -> new Embedding(4, 2, 4, new SplittableRandom(1)));
  }

  private static void message(String expected, Runnable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private static void set(Parameter parameter, float... values) {
    System.arraycopy(values, 0, parameter.value().data(), 0, values.length);
  }

  private static void copy(Parameter from, Parameter to) {
    System.arraycopy(from.value().data(), 0, to.value().data(), 0, from.numel());
  }

  /** Reverses the order of {@code steps} blocks of {@code block} values. */
  private static float[] flipTime(float[] values, int steps, int block) {
    float[] out = new float[values.length];
    for (int t = 0; t < steps; t++) {
      System.arraycopy(values, t * block, out, (steps - 1 - t) * block, block);
    }
    return out;
  }

  /** {@code [a, b, w]} to {@code [b, a, w]}. */
  private static float[] swap(float[] values, int a, int b, int w) {
    float[] out = new float[values.length];
    for (int i = 0; i < a; i++) {
      for (int j = 0; j < b; j++) {
        System.arraycopy(values, (i * b + j) * w, out, (j * a + i) * w, w);
      }
    }
    return out;
  }

  private static double smallestPreActivation(RNN rnn) {
    double smallest = Double.POSITIVE_INFINITY;
    int size = rnn.steps * rnn.batch * rnn.hiddenSize;
    for (int k = 0; k < rnn.numLayers; k++) {
      for (int i = 0; i < size; i++) {
        smallest = Math.min(smallest, Math.abs(rnn.gateValues[k][i]));
      }
    }
    return smallest;
  }

  /**
   * An RNN or LSTM seen as one module from {@code [x, h0, c0]} (flattened and joined) to
   * {@code [output, h_n, c_n]}, so that {@link GradientCheck} also covers the gradients into
   * the initial states and out of the final ones.
   */
  static final class StatefulView extends Module {

    private final Recurrent rnn;
    private final int[] inputShape;
    private final int inputSize;
    private final int stateSize;
    private Long maskSeed;

    StatefulView(Recurrent rnn, boolean batchFirst, int steps, int batch, int in) {
      this.rnn = registerModule("rnn", rnn);
      this.inputShape = batchFirst ? new int[] {batch, steps, in} : new int[] {steps, batch, in};
      this.inputSize = steps * batch * in;
      this.stateSize = rnn.numLayers * rnn.directions * batch * rnn.hiddenSize;
    }

    /** Makes every forward draw the same dropout masks, from {@code seed}. */
    void fixDropoutMasks(long seed) {
      maskSeed = seed;
    }

    Tensor randomInput(SplittableRandom random) {
      int states = rnn.hasCell ? 2 : 1;
      return Tensor.of(GradientCheck.uniform(random, inputSize + states * stateSize),
          inputSize + states * stateSize);
    }

    @Override
    public Tensor forward(Tensor joined) {
      float[] all = joined.data();
      if (maskSeed != null) {
        rnn.dropoutRandom = new SplittableRandom(maskSeed);
      }
      Tensor x = Tensor.of(Arrays.copyOfRange(all, 0, inputSize), inputShape);
      Tensor h0 = state(all, 0);
      Tensor out;
      if (rnn instanceof LSTM lstm) {
        out = lstm.forward(x, h0, state(all, 1));
        return join(out, lstm.hn(), lstm.cn());
      }
      out = ((RNN) rnn).forward(x, h0);
      return join(out, rnn.hn());
    }

    @Override
    public Tensor backward(Tensor gradJoined) {
      float[] g = gradJoined.data();
      int outSize = g.length - (rnn.hasCell ? 2 : 1) * stateSize;
      int[] outShape = inputShape.clone();
      outShape[2] = rnn.directions * rnn.hiddenSize;
      Tensor gradOut = Tensor.of(Arrays.copyOfRange(g, 0, outSize), outShape);
      Tensor gradHn = Tensor.of(Arrays.copyOfRange(g, outSize, outSize + stateSize),
          runs(), stateSize / runs() / rnn.hiddenSize, rnn.hiddenSize);
      if (rnn instanceof LSTM lstm) {
        Tensor gradCn = Tensor.of(Arrays.copyOfRange(g, outSize + stateSize, g.length),
            gradHn.shape());
        Tensor gx = lstm.backward(gradOut, gradHn, gradCn);
        return join(gx, lstm.gradH0(), lstm.gradC0());
      }
      Tensor gx = ((RNN) rnn).backward(gradOut, gradHn);
      return join(gx, rnn.gradH0());
    }

    private Tensor state(float[] all, int which) {
      int from = inputSize + which * stateSize;
      return Tensor.of(Arrays.copyOfRange(all, from, from + stateSize), runs(),
          stateSize / runs() / rnn.hiddenSize, rnn.hiddenSize);
    }

    private int runs() {
      return rnn.numLayers * rnn.directions;
    }

    private static Tensor join(Tensor... parts) {
      int size = 0;
      for (Tensor part : parts) {
        size += part.numel();
      }
      float[] joined = new float[size];
      int at = 0;
      for (Tensor part : parts) {
        System.arraycopy(part.data(), 0, joined, at, part.numel());
        at += part.numel();
      }
      return Tensor.of(joined, size);
    }
  }

  /**
   * An Embedding with fixed indices, as a module of a dummy input that it ignores (so its input
   * gradient is zero), so that {@link GradientCheck} checks the table's gradient.
   */
  static final class LookupView extends Module {

    private final Embedding embedding;
    private final int[] indices;

    LookupView(Embedding embedding, int[] indices) {
      this.embedding = registerModule("embedding", embedding);
      this.indices = indices;
    }

    @Override
    public Tensor forward(Tensor ignored) {
      return embedding.forward(indices, indices.length);
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
      assertNull(embedding.backward(gradOutput));
      return Tensor.zeros(1);
    }
  }
}
