package dev.nonlinear.kernel;

/**
 * The LSTM step in plain Java, the twin of {@link VectorLstmCell}; see {@link LstmCell} for the
 * formulas. The per-element methods are also the vector kernels' tails. No argument checks.
 */
final class ScalarLstmCell {

  private ScalarLstmCell() {}

  static void forward(int rows, int hidden, float[] gates, int gOff, float[] step, int sOff,
      float[] biasIh, int bihOff, float[] biasHh, int bhhOff, float[] cPrev, int cpOff,
      float[] c, int cOff, float[] cTanh, int ctOff, float[] h, int hOff) {
    int width = 4 * hidden;
    for (int r = 0; r < rows; r++) {
      int row = gOff + r * width;
      addPreActivations(gates, row, step, sOff + r * width, biasIh, bihOff, biasHh, bhhOff, 0,
          width);
      ScalarActivations.sigmoid(gates, row, gates, row, 2 * hidden);
      ScalarActivations.tanh(gates, row + 2 * hidden, gates, row + 2 * hidden, hidden);
      ScalarActivations.sigmoid(gates, row + 3 * hidden, gates, row + 3 * hidden, hidden);
      int state = r * hidden;
      updateState(hidden, gates, row, cPrev, cpOff + state, c, cOff + state, cTanh,
          ctOff + state, h, hOff + state);
    }
  }

  /** {@code gates[row + j] = (gates + biasIh) + (step + biasHh)} for j in [from, to). */
  static void addPreActivations(float[] gates, int row, float[] step, int sRow, float[] biasIh,
      int bihOff, float[] biasHh, int bhhOff, int from, int to) {
    for (int j = from; j < to; j++) {
      gates[row + j] = (gates[row + j] + biasIh[bihOff + j])
          + (step[sRow + j] + biasHh[bhhOff + j]);
    }
  }

  /** c, tanh(c) and h of one row, from its activated gates at {@code row}. */
  static void updateState(int hidden, float[] gates, int row, float[] cPrev, int cpRow,
      float[] c, int cRow, float[] cTanh, int ctRow, float[] h, int hRow) {
    cellState(hidden, gates, row, cPrev, cpRow, c, cRow, 0, hidden);
    ScalarActivations.tanh(c, cRow, cTanh, ctRow, hidden);
    output(hidden, gates, row, cTanh, ctRow, h, hRow, 0, hidden);
  }

  /** {@code c = f·c_{t-1} + i·g} for units [from, to) of one row. */
  static void cellState(int hidden, float[] gates, int row, float[] cPrev, int cpRow, float[] c,
      int cRow, int from, int to) {
    for (int j = from; j < to; j++) {
      c[cRow + j] = gates[row + hidden + j] * cPrev[cpRow + j]
          + gates[row + j] * gates[row + 2 * hidden + j];
    }
  }

  /** {@code h = o·tanh(c)} for units [from, to) of one row. */
  static void output(int hidden, float[] gates, int row, float[] cTanh, int ctRow, float[] h,
      int hRow, int from, int to) {
    for (int j = from; j < to; j++) {
      h[hRow + j] = gates[row + 3 * hidden + j] * cTanh[ctRow + j];
    }
  }

  static void backward(int rows, int hidden, float[] gates, int gOff, float[] cPrev, int cpOff,
      float[] cTanh, int ctOff, float[] gradH, int ghOff, float[] gradC, int gcOff,
      float[] gradGates, int ggOff) {
    for (int r = 0; r < rows; r++) {
      int state = r * hidden;
      gateGradients(hidden, gates, gOff + 4 * state, cPrev, cpOff + state, cTanh, ctOff + state,
          gradH, ghOff + state, gradC, gcOff + state, gradGates, ggOff + 4 * state, 0, hidden);
    }
  }

  /** The backward step for units [from, to) of one row; see {@link LstmCell#backward}. */
  static void gateGradients(int hidden, float[] gates, int row, float[] cPrev, int cpRow,
      float[] cTanh, int ctRow, float[] gradH, int ghRow, float[] gradC, int gcRow,
      float[] gradGates, int ggRow, int from, int to) {
    for (int j = from; j < to; j++) {
      float i = gates[row + j];
      float f = gates[row + hidden + j];
      float g = gates[row + 2 * hidden + j];
      float o = gates[row + 3 * hidden + j];
      float tanhCell = cTanh[ctRow + j];
      float dh = gradH[ghRow + j];
      float dc = gradC[gcRow + j] + dh * o * (1f - tanhCell * tanhCell);
      gradGates[ggRow + j] = dc * g * i * (1f - i);
      gradGates[ggRow + hidden + j] = dc * cPrev[cpRow + j] * f * (1f - f);
      gradGates[ggRow + 2 * hidden + j] = dc * i * (1f - g * g);
      gradGates[ggRow + 3 * hidden + j] = dh * tanhCell * o * (1f - o);
      gradC[gcRow + j] = dc * f;
    }
  }
}
