package dev.nonlinear.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.tensor.Tensor;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RNN and LSTM (stacked, bidirectional, batch-first, with dropout in eval mode), the pointwise
 * losses, SGD and Adam/AdamW against PyTorch 1.13, step for step, from
 * {@code scripts/fixtures/make_sequence_fixture.py}.
 *
 * <p>Tolerance for the recurrent layers: values are of order 1 and each comes from sums of at
 * most 6 + 5 products per gate plus a few pointwise steps (σ and tanh within 4 ulp), repeated over
 * at most 6 steps and 3 layers, where a rounding difference is carried forward but damped by the
 * gates (|σ'| <= 1/4, |tanh'| <= 1, weights below 1/√H); backward through time adds about as
 * many again. That is some tens of ulp (ε = 6e-8) of the largest terms at worst; the worst
 * measured difference is 3.3e-7·(1 + |expected|) (a weight_hh gradient of the tanh RNN), and
 * {@value #RECURRENT_TOLERANCE}·(1 + |expected|) leaves a factor of six, while a wrong gate, a
 * wrong weight block or a missing time step is off by order 0.1.
 *
 * <p>Losses and the optimizers are elementwise: a few roundings each, so
 * {@value #POINTWISE_TOLERANCE} relative (plus the same absolute near zero). BCE's gradient at
 * x = 0 or 1 is of order 1e11, where the relative rule is what matters.
 */
class PyTorchSequenceFixtureTest {

  private static final double RECURRENT_TOLERANCE = 2e-6;
  private static final double POINTWISE_TOLERANCE = 2e-6;

  private static Map<String, float[]> fixture;

  @BeforeAll
  static void load() throws IOException {
    fixture = PyTorchCnnFixtureTest.readFixture("/fixtures/sequence.txt");
  }

  @Test
  void twoLayerTanhRnnMatchesPyTorch() {
    RNN rnn = new RNN(3, 4, 2, RNN.Nonlinearity.TANH, true, false, new SplittableRandom(1));
    checkRecurrent("rnn_tanh", rnn, new int[] {5, 2, 3}, 2);
  }

  @Test
  void batchFirstReluRnnWithoutBiasMatchesPyTorch() {
    RNN rnn = new RNN(2, 3, 1, RNN.Nonlinearity.RELU, false, true, new SplittableRandom(1));
    checkRecurrent("rnn_relu", rnn, new int[] {3, 4, 2}, 3);
  }

  @Test
  void twoLayerBatchFirstLstmMatchesPyTorch() {
    LSTM lstm = new LSTM(3, 5, 2, true, true, new SplittableRandom(1));
    checkRecurrent("lstm", lstm, new int[] {3, 4, 3}, 3);
  }

  @Test
  void singleLayerLstmWithoutBiasMatchesPyTorch() {
    LSTM lstm = new LSTM(4, 2, 1, false, false, new SplittableRandom(1));
    checkRecurrent("lstm_single", lstm, new int[] {6, 1, 4}, 1);
  }

  @Test
  void twoLayerBidirectionalLstmMatchesPyTorch() {
    LSTM lstm = new LSTM(3, 4, 2, true, false, 0f, true, new SplittableRandom(1));
    checkRecurrent("lstm_bi2", lstm, new int[] {5, 2, 3}, 2);
  }

  @Test
  void batchFirstBidirectionalRnnMatchesPyTorch() {
    RNN rnn = new RNN(2, 3, 1, RNN.Nonlinearity.TANH, true, true, 0f, true,
        new SplittableRandom(1));
    checkRecurrent("rnn_bi", rnn, new int[] {3, 4, 2}, 3);
  }

  @Test
  void twoLayerBidirectionalReluRnnWithoutBiasMatchesPyTorch() {
    RNN rnn = new RNN(3, 2, 2, RNN.Nonlinearity.RELU, false, false, 0f, true,
        new SplittableRandom(1));
    checkRecurrent("rnn_relu_bi2", rnn, new int[] {3, 2, 3}, 2);
  }

  /** Dropout between layers does nothing in eval mode, in PyTorch and here. */
  @Test
  void threeLayerBidirectionalLstmWithDropoutInEvalModeMatchesPyTorch() {
    LSTM lstm = new LSTM(4, 3, 3, true, true, 0.4f, true, new SplittableRandom(1));
    lstm.eval();
    checkRecurrent("lstm_bi3_dropout_eval", lstm, new int[] {2, 3, 4}, 2);
  }

  @Test
  void lossesMatchPyTorch() {
    int[] shape = {3, 5};
    Tensor z = Tensor.of(fixture.get("loss.z"), shape);
    Tensor probability = Tensor.of(fixture.get("loss.probability"), shape);
    Tensor target = Tensor.of(fixture.get("loss.target"), shape);
    for (Reduction reduction : Reduction.values()) {
      String suffix = reduction == Reduction.MEAN ? ".mean" : ".sum";
      checkLoss("loss.mse" + suffix, new MSELoss(reduction), z, target);
      checkLoss("loss.bce" + suffix, new BCELoss(reduction), probability, target);
      checkLoss("loss.bcelogits" + suffix, new BCEWithLogitsLoss(reduction), z, target);
    }
  }

  @Test
  void adamAndAdamWMatchPyTorchStepForStep() {
    checkOptimizer("adam", p -> new Adam(p, 0.01f)::step);
    checkOptimizer("adam_decay_amsgrad",
        p -> new Adam(p, 0.05f, 0.8f, 0.99f, 1e-6f, 0.1f, true)::step);
    checkOptimizer("adamw", p -> new AdamW(p, 0.02f, 0.9f, 0.999f, 1e-8f, 0.05f, false)::step);
    checkOptimizer("adamw_amsgrad",
        p -> new AdamW(p, 0.03f, 0.85f, 0.95f, 1e-7f, 0.2f, true)::step);
  }

  @Test
  void sgdAndAdamMatchPyTorchOverSixSteps() {
    checkOptimizer("optim6", "sgd", 6, p -> new SGD(p, 0.1f, 0f)::step);
    checkOptimizer("optim6", "sgd_momentum", 6, p -> new SGD(p, 0.05f, 0.9f)::step);
    checkOptimizer("optim6", "sgd_dampening_decay", 6,
        p -> new SGD(p, 0.05f, 0.8f, 0.3f, 0.01f, false)::step);
    checkOptimizer("optim6", "sgd_nesterov_decay", 6,
        p -> new SGD(p, 0.03f, 0.9f, 0f, 0.1f, true)::step);
    checkOptimizer("optim6", "sgd_decay", 6, p -> new SGD(p, 0.2f, 0f, 0f, 0.05f, false)::step);
    checkOptimizer("optim6", "adam_decay_amsgrad", 6,
        p -> new Adam(p, 0.01f, 0.9f, 0.99f, 1e-8f, 0.02f, true)::step);
    checkOptimizer("optim6", "adamw_amsgrad", 6,
        p -> new AdamW(p, 0.02f, 0.8f, 0.9f, 1e-6f, 0.1f, true)::step);
  }

  private static void checkRecurrent(String prefix, Recurrent rnn, int[] inputShape,
      int batch) {
    rnn.namedParameters().forEach((name, parameter) -> {
      float[] init = fixture.get(prefix + ".init." + name);
      assertTrue(init != null, "fixture has PyTorch's name " + name);
      System.arraycopy(init, 0, parameter.value().data(), 0, init.length);
    });
    int[] stateShape = {rnn.numLayers * rnn.directions, batch, rnn.hiddenSize};
    Tensor x = Tensor.of(fixture.get(prefix + ".input"), inputShape);
    Tensor h0 = Tensor.of(fixture.get(prefix + ".h0"), stateShape);
    Tensor r = Tensor.of(fixture.get(prefix + ".r"), rnn.forward(x).shape());
    Tensor rh = Tensor.of(fixture.get(prefix + ".rh"), stateShape);
    rnn.zeroGrad();

    Tensor gradInput;
    if (rnn instanceof LSTM lstm) {
      Tensor c0 = Tensor.of(fixture.get(prefix + ".c0"), stateShape);
      Tensor out = lstm.forward(x, h0, c0);
      assertClose(prefix + ".output", out.data(), RECURRENT_TOLERANCE);
      assertClose(prefix + ".cn", lstm.cn().data(), RECURRENT_TOLERANCE);
      gradInput = lstm.backward(r, rh, Tensor.of(fixture.get(prefix + ".rc"), stateShape));
      assertClose(prefix + ".grad.c0", lstm.gradC0().data(), RECURRENT_TOLERANCE);
    } else {
      Tensor out = ((RNN) rnn).forward(x, h0);
      assertClose(prefix + ".output", out.data(), RECURRENT_TOLERANCE);
      gradInput = ((RNN) rnn).backward(r, rh);
    }
    assertClose(prefix + ".hn", rnn.hn().data(), RECURRENT_TOLERANCE);
    assertClose(prefix + ".grad.input", gradInput.data(), RECURRENT_TOLERANCE);
    assertClose(prefix + ".grad.h0", rnn.gradH0().data(), RECURRENT_TOLERANCE);
    rnn.namedParameters().forEach((name, parameter) ->
        assertClose(prefix + ".grad." + name, parameter.grad().data(), RECURRENT_TOLERANCE));
  }

  private static void checkLoss(String name, PointwiseLoss loss, Tensor input, Tensor target) {
    float value = loss.forward(input, target);
    assertClose(name, new float[] {value}, POINTWISE_TOLERANCE);
    assertClose(name + ".grad", loss.backward().data(), POINTWISE_TOLERANCE);
  }

  private static void checkOptimizer(String name,
      java.util.function.Function<List<Parameter>, Runnable> optimizer) {
    checkOptimizer("optim", name, 3, optimizer);
  }

  private static void checkOptimizer(String series, String name, int steps,
      java.util.function.Function<List<Parameter>, Runnable> optimizer) {
    float[] start = fixture.get(series + ".start");
    Parameter p = new Parameter(Tensor.of(start.clone(), start.length));
    Runnable step = optimizer.apply(List.of(p));
    for (int i = 0; i < steps; i++) {
      float[] g = fixture.get(series + ".grad" + i);
      System.arraycopy(g, 0, p.grad().data(), 0, g.length);
      step.run();
      assertClose(series + "." + name + ".step" + (i + 1), p.value().data(),
          POINTWISE_TOLERANCE);
    }
  }

  private static void assertClose(String name, float[] actual, double tolerance) {
    float[] expected = fixture.get(name);
    assertTrue(expected != null, "fixture has " + name);
    assertEquals(expected.length, actual.length, name + " length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tolerance * (1 + Math.abs(expected[i])),
          name + "[" + i + "]");
    }
  }
}
