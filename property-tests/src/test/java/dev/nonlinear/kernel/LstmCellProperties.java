package dev.nonlinear.kernel;

import static dev.nonlinear.kernel.ConvolutionProperties.assertMessage;
import static dev.nonlinear.kernel.ConvolutionProperties.assumeVector;
import static dev.nonlinear.kernel.ConvolutionProperties.randomArray;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The LSTM step kernels: each twin and the facade against a double reference, the twins bit for
 * bit against each other and against {@link Activations}' σ and tanh, saturated gates, aliasing
 * of c_{t-1} and c_t, and argument checks.
 *
 * <p>Tolerances, with u = 2⁻²⁴ and S the sum of the magnitudes of a pre-activation's four terms:
 * the pre-activation carries 3 roundings (3uS); σ and tanh are within 4 ulp and have slopes of
 * at most 1, so a gate is off by at most {@code 4u + 3uS} (absolute, gates being at most 1);
 * c = f·c' + i·g adds the gates' errors times |c'|, |g| and |i| and 3 roundings; tanh(c) adds 4u;
 * h = o·tanh(c) adds the errors of o and tanh(c) and one rounding. The test allows twice that.
 * Backward is float arithmetic on exact inputs: a product of at most five factors (a few u of
 * it), one sum, and the factors {@code 1 − y·y}, whose rounding of y·y costs u·y² absolutely,
 * which counts where y is near ±1 (the bounds are spelled out where they are checked; twice
 * them is allowed).
 * A wrong gate, term or offset moves a value by the size of a gate, far beyond these.
 */
class LstmCellProperties {

  private static final double U = 0x1p-24;
  private static final long SEED = 0x157A7EL;
  private static final int PAD = 3;

  @FunctionalInterface
  interface Forward {
    void run(int rows, int hidden, float[] gates, int gOff, float[] step, int sOff,
        float[] biasIh, int bihOff, float[] biasHh, int bhhOff, float[] cPrev, int cpOff,
        float[] c, int cOff, float[] cTanh, int ctOff, float[] h, int hOff);
  }

  @FunctionalInterface
  interface Backward {
    void run(int rows, int hidden, float[] gates, int gOff, float[] cPrev, int cpOff,
        float[] cTanh, int ctOff, float[] gradH, int ghOff, float[] gradC, int gcOff,
        float[] gradGates, int ggOff);
  }

  /** One random step: inputs at offset PAD, with PAD guard values after each array. */
  record Step(int rows, int hidden, float[] gates, float[] step, float[] biasIh, float[] biasHh,
      float[] cPrev, float[] c, float[] cTanh, float[] h) {

    static Step random(Random random, int rows, int hidden, float scale) {
      int gateSize = rows * 4 * hidden;
      int stateSize = rows * hidden;
      return new Step(rows, hidden, scaled(random, gateSize, scale),
          scaled(random, gateSize, scale), scaled(random, 4 * hidden, scale),
          scaled(random, 4 * hidden, scale), scaled(random, stateSize, 1f),
          randomArray(random, PAD + stateSize + PAD), randomArray(random, PAD + stateSize + PAD),
          randomArray(random, PAD + stateSize + PAD));
    }

    Step copy() {
      return new Step(rows, hidden, gates.clone(), step.clone(), biasIh.clone(), biasHh.clone(),
          cPrev.clone(), c.clone(), cTanh.clone(), h.clone());
    }

    void forward(Forward kernel) {
      kernel.run(rows, hidden, gates, PAD, step, PAD, biasIh, PAD, biasHh, PAD, cPrev, PAD, c,
          PAD, cTanh, PAD, h, PAD);
    }
  }

  @Test
  void scalarForwardMatchesReference() {
    forwardMatchesReference(ScalarLstmCell::forward);
  }

  @Test
  void vectorForwardMatchesReference() {
    assumeVector();
    forwardMatchesReference(VectorLstmCell::forward);
  }

  @Test
  void facadeForwardMatchesReference() {
    forwardMatchesReference(LstmCell::forward);
  }

  @Test
  void scalarBackwardMatchesReference() {
    backwardMatchesReference(ScalarLstmCell::backward);
  }

  @Test
  void vectorBackwardMatchesReference() {
    assumeVector();
    backwardMatchesReference(VectorLstmCell::backward);
  }

  @Test
  void facadeBackwardMatchesReference() {
    backwardMatchesReference(LstmCell::backward);
  }

  /**
   * The twins agree bit for bit, forward and backward, and the gates are exactly
   * {@link Activations}' σ and tanh of the float pre-activations.
   */
  @Test
  void twinsAgreeBitForBitAndUseTheActivationKernels() {
    assumeVector();
    qt().withFixedSeed(SEED).withExamples(100).forAll(longs().all()).checkAssert(seed -> {
      Random random = new Random(seed);
      Step vector = Step.random(random, size(random) % 5, size(random), 2f);
      Step scalar = vector.copy();
      float[] preActivations = new float[vector.gates.length];
      for (int at = PAD; at < PAD + vector.rows * 4 * vector.hidden; at++) {
        int j = (at - PAD) % (4 * vector.hidden);
        preActivations[at] = (vector.gates[at] + vector.biasIh[PAD + j])
            + (vector.step[at] + vector.biasHh[PAD + j]);
      }
      vector.forward(VectorLstmCell::forward);
      scalar.forward(ScalarLstmCell::forward);
      assertArrayEquals(vector.gates, scalar.gates, "gates, seed " + seed);
      assertArrayEquals(vector.c, scalar.c, "c, seed " + seed);
      assertArrayEquals(vector.cTanh, scalar.cTanh, "tanh c, seed " + seed);
      assertArrayEquals(vector.h, scalar.h, "h, seed " + seed);

      int width = 4 * vector.hidden;
      float[] expected = preActivations.clone();
      for (int r = 0; r < vector.rows; r++) {
        int row = PAD + r * width;
        Activations.sigmoid(expected, row, expected, row, 2 * vector.hidden);
        Activations.tanh(expected, row + 2 * vector.hidden, expected, row + 2 * vector.hidden,
            vector.hidden);
        Activations.sigmoid(expected, row + 3 * vector.hidden, expected,
            row + 3 * vector.hidden, vector.hidden);
      }
      for (int at = PAD; at < PAD + vector.rows * width; at++) {
        if (Float.floatToRawIntBits(expected[at]) != Float.floatToRawIntBits(vector.gates[at])) {
          fail("gate " + at + " is not Activations' value, seed " + seed);
        }
      }

      float[] gradH = randomArray(random, PAD + vector.rows * vector.hidden);
      float[] gradC = randomArray(random, PAD + vector.rows * vector.hidden);
      float[] gradCScalar = gradC.clone();
      float[] gradGates = new float[PAD + vector.rows * width];
      float[] gradGatesScalar = new float[gradGates.length];
      VectorLstmCell.backward(vector.rows, vector.hidden, vector.gates, PAD, vector.cPrev, PAD,
          vector.cTanh, PAD, gradH, PAD, gradC, PAD, gradGates, PAD);
      ScalarLstmCell.backward(vector.rows, vector.hidden, vector.gates, PAD, vector.cPrev, PAD,
          vector.cTanh, PAD, gradH, PAD, gradCScalar, PAD, gradGatesScalar, PAD);
      assertArrayEquals(gradGatesScalar, gradGates, "gate gradients, seed " + seed);
      assertArrayEquals(gradCScalar, gradC, "c gradient, seed " + seed);
    });
  }

  /** Pre-activations of ±100 saturate the gates without NaN, forward and backward. */
  @Test
  void saturatedGatesStayFinite() {
    int hidden = 2 * Backend.current().floatLanes() + 3;
    Random random = new Random(7);
    Step step = Step.random(random, 2, hidden, 1f);
    for (int at = PAD; at < PAD + 2 * 4 * hidden; at++) {
      step.gates[at] = random.nextBoolean() ? 100f : -100f;
    }
    step.forward(LstmCell::forward);
    float[] gradC = randomArray(random, PAD + 2 * hidden);
    float[] gradGates = new float[PAD + 8 * hidden];
    LstmCell.backward(2, hidden, step.gates, PAD, step.cPrev, PAD, step.cTanh, PAD,
        randomArray(random, PAD + 2 * hidden), PAD, gradC, PAD, gradGates, PAD);
    for (float[] values : new float[][] {step.gates, step.c, step.h, gradC, gradGates}) {
      for (float value : values) {
        assertTrue(Float.isFinite(value), "finite: " + value);
      }
    }
  }

  /** c_{t-1} and c_t may be the same range: each element is read before it is written. */
  @Test
  void cellStateMayBeUpdatedInPlace() {
    Random random = new Random(8);
    int hidden = Backend.current().floatLanes() + 1;
    Step apart = Step.random(random, 3, hidden, 2f);
    Step inPlace = apart.copy();
    apart.forward(LstmCell::forward);
    float[] cell = inPlace.cPrev;
    LstmCell.forward(3, hidden, inPlace.gates, PAD, inPlace.step, PAD, inPlace.biasIh, PAD,
        inPlace.biasHh, PAD, cell, PAD, cell, PAD, inPlace.cTanh, PAD, inPlace.h, PAD);
    assertArrayEquals(java.util.Arrays.copyOfRange(apart.c, PAD, PAD + 3 * hidden),
        java.util.Arrays.copyOfRange(cell, PAD, PAD + 3 * hidden));
    assertArrayEquals(apart.h, inPlace.h);
  }

  @Test
  void badArgumentsThrowAndWriteNothing() {
    Random random = new Random(9);
    Step step = Step.random(random, 2, 3, 1f);
    Step untouched = step.copy();
    assertMessage("rows = -1", () -> LstmCell.forward(-1, 3, step.gates, PAD, step.step, PAD,
        step.biasIh, PAD, step.biasHh, PAD, step.cPrev, PAD, step.c, PAD, step.cTanh, PAD,
        step.h, PAD));
    assertMessage("hidden = -3", () -> LstmCell.forward(2, -3, step.gates, PAD, step.step, PAD,
        step.biasIh, PAD, step.biasHh, PAD, step.cPrev, PAD, step.c, PAD, step.cTanh, PAD,
        step.h, PAD));
    assertMessage("step: offset 7", () -> LstmCell.forward(2, 3, step.gates, PAD, step.step,
        PAD + 4, step.biasIh, PAD, step.biasHh, PAD, step.cPrev, PAD, step.c, PAD, step.cTanh,
        PAD, step.h, PAD));
    assertMessage("biasHh: offset 7", () -> LstmCell.forward(2, 3, step.gates, PAD, step.step,
        PAD, step.biasIh, PAD, step.biasHh, PAD + 4, step.cPrev, PAD, step.c, PAD, step.cTanh,
        PAD, step.h, PAD));
    assertMessage("h: offset 7", () -> LstmCell.forward(2, 3, step.gates, PAD, step.step, PAD,
        step.biasIh, PAD, step.biasHh, PAD, step.cPrev, PAD, step.c, PAD, step.cTanh, PAD,
        step.h, 7));
    assertThrows(NullPointerException.class, () -> LstmCell.forward(2, 3, null, PAD, step.step,
        PAD, step.biasIh, PAD, step.biasHh, PAD, step.cPrev, PAD, step.c, PAD, step.cTanh, PAD,
        step.h, PAD));
    assertMessage("gradGates: offset 5", () -> LstmCell.backward(2, 3, step.gates, PAD,
        step.cPrev, PAD, step.cTanh, PAD, step.h, PAD, step.c, PAD, new float[24], 5));
    assertArrayEquals(untouched.gates, step.gates);
    assertArrayEquals(untouched.c, step.c);
    assertArrayEquals(untouched.h, step.h);
    assertArrayEquals(untouched.cTanh, step.cTanh);
  }

  private static void forwardMatchesReference(Forward kernel) {
    qt().withFixedSeed(SEED).withExamples(150).forAll(longs().all()).checkAssert(seed -> {
      Random random = new Random(seed);
      Step step = Step.random(random, size(random) % 6, size(random), 2f);
      Step before = step.copy();
      step.forward(kernel);

      int hidden = step.hidden;
      for (int r = 0; r < step.rows; r++) {
        for (int j = 0; j < hidden; j++) {
          double[] gate = new double[4];
          double[] gateError = new double[4];
          for (int q = 0; q < 4; q++) {
            int at = PAD + r * 4 * hidden + q * hidden + j;
            int b = PAD + q * hidden + j;
            double a = (double) before.gates[at] + before.biasIh[b] + before.step[at]
                + before.biasHh[b];
            double magnitude = Math.abs(before.gates[at]) + Math.abs(before.biasIh[b])
                + Math.abs(before.step[at]) + Math.abs(before.biasHh[b]);
            gate[q] = q == 2 ? Math.tanh(a) : 1 / (1 + Math.exp(-a));
            gateError[q] = 4 * U + 3 * U * magnitude;
            check("gate " + q, step.gates[at], gate[q], gateError[q], seed);
          }
          int s = PAD + r * hidden + j;
          double cPrev = before.cPrev[s];
          double c = gate[1] * cPrev + gate[0] * gate[2];
          double cError = gateError[1] * Math.abs(cPrev) + gateError[0] * Math.abs(gate[2])
              + gateError[2] * Math.abs(gate[0]) + 3 * U * (Math.abs(gate[1] * cPrev)
              + Math.abs(gate[0] * gate[2]));
          double tanhC = Math.tanh(c);
          double tanhError = 4 * U + cError;
          double h = gate[3] * tanhC;
          double hError = gateError[3] * Math.abs(tanhC) + gate[3] * tanhError
              + U * Math.abs(h);
          check("c", step.c[s], c, cError, seed);
          check("tanh c", step.cTanh[s], tanhC, tanhError, seed);
          check("h", step.h[s], h, hError, seed);
        }
      }
      assertGuardsKept(before, step, seed);
    });
  }

  private static void backwardMatchesReference(Backward kernel) {
    qt().withFixedSeed(SEED + 1).withExamples(150).forAll(longs().all()).checkAssert(seed -> {
      Random random = new Random(seed);
      Step step = Step.random(random, size(random) % 6, size(random), 2f);
      step.forward(LstmCell::forward);
      int rows = step.rows;
      int hidden = step.hidden;
      float[] gradH = randomArray(random, PAD + rows * hidden + PAD);
      float[] gradC = randomArray(random, PAD + rows * hidden + PAD);
      float[] gradCBefore = gradC.clone();
      float[] gradGates = randomArray(random, PAD + rows * 4 * hidden + PAD);
      float[] gradGatesBefore = gradGates.clone();
      kernel.run(rows, hidden, step.gates, PAD, step.cPrev, PAD, step.cTanh, PAD, gradH, PAD,
          gradC, PAD, gradGates, PAD);

      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < hidden; j++) {
          int g0 = PAD + r * 4 * hidden + j;
          double i = step.gates[g0];
          double f = step.gates[g0 + hidden];
          double g = step.gates[g0 + 2 * hidden];
          double o = step.gates[g0 + 3 * hidden];
          int s = PAD + r * hidden + j;
          double tanhC = step.cTanh[s];
          double cPrev = step.cPrev[s];
          double dh = gradH[s];
          double carried = dh * o * (1 - tanhC * tanhC);
          double dc = gradCBefore[s] + carried;
          // 1 − y·y loses u·y² absolutely to the rounding of y·y: it counts in full where y
          // is near ±1 and 1 − y² is small.
          double dcError = 4 * U * (Math.abs(gradCBefore[s]) + Math.abs(carried))
              + U * Math.abs(dh * o) * (tanhC * tanhC + 1);
          check("da_i", gradGates[g0], dc * g * i * (1 - i), dcError * Math.abs(g * i * (1 - i))
              + 5 * U * Math.abs(dc * g * i), seed);
          check("da_f", gradGates[g0 + hidden], dc * cPrev * f * (1 - f),
              dcError * Math.abs(cPrev * f * (1 - f)) + 5 * U * Math.abs(dc * cPrev * f), seed);
          check("da_g", gradGates[g0 + 2 * hidden], dc * i * (1 - g * g),
              dcError * Math.abs(i * (1 - g * g)) + 4 * U * Math.abs(dc * i) * (g * g + 1),
              seed);
          check("da_o", gradGates[g0 + 3 * hidden], dh * tanhC * o * (1 - o),
              5 * U * Math.abs(dh * tanhC * o), seed);
          check("dc'", gradC[s], dc * f, dcError * Math.abs(f) + U * Math.abs(dc * f), seed);
        }
      }
      for (int at = PAD + rows * 4 * hidden; at < gradGates.length; at++) {
        assertTrue(gradGates[at] == gradGatesBefore[at], "guard after gradGates kept");
      }
      for (int at = 0; at < PAD; at++) {
        assertTrue(gradGates[at] == gradGatesBefore[at], "guard before gradGates kept");
      }
    });
  }

  private static void check(String what, float actual, double expected, double error,
      long seed) {
    double bound = 2 * error;
    if (!(Math.abs(actual - expected) <= bound)) {
      fail(what + " = " + actual + ", expected " + expected + " ± " + bound + ", seed " + seed);
    }
  }

  private static void assertGuardsKept(Step before, Step after, long seed) {
    int states = before.rows * before.hidden;
    for (float[][] pair : new float[][][] {{before.c, after.c}, {before.cTanh, after.cTanh},
        {before.h, after.h}}) {
      for (int at = 0; at < pair[0].length; at++) {
        if ((at < PAD || at >= PAD + states) && pair[0][at] != pair[1][at]) {
          fail("a value outside the output range changed at " + at + ", seed " + seed);
        }
      }
    }
  }

  /** Sizes off the lane grid: 0, 1, lanes ± 1, 2·lanes + 3, 103, or anything up to 40. */
  private static int size(Random random) {
    int lanes = Math.max(Backend.current().floatLanes(), 4);
    int[] special = {0, 1, lanes - 1, lanes, lanes + 1, 2 * lanes + 3, 103};
    return random.nextBoolean() ? special[random.nextInt(special.length)]
        : random.nextInt(41);
  }

  private static float[] scaled(Random random, int n, float scale) {
    float[] values = randomArray(random, PAD + n + PAD);
    for (int i = 0; i < values.length; i++) {
      values[i] *= scale;
    }
    return values;
  }
}
