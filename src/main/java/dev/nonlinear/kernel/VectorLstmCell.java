package dev.nonlinear.kernel;

import static dev.nonlinear.kernel.VectorSupport.FLOAT_LANES;
import static dev.nonlinear.kernel.VectorSupport.FLOAT_SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * The LSTM step on the Vector API, twin of {@link ScalarLstmCell}; see {@link LstmCell}. A row
 * goes through short passes, each one small vector loop (the sum of the pre-activations, σ over
 * i and f, tanh over g, σ over o, then the state update with its tanh), with the row's 4H gates
 * in L1 between them: one loop holding every exp of the step would be more than C2 inlines, and
 * the vectors of what it leaves out are boxed. Tails go to the scalar twin. No argument checks.
 */
final class VectorLstmCell {

  private VectorLstmCell() {}

  static void forward(int rows, int hidden, float[] gates, int gOff, float[] step, int sOff,
      float[] biasIh, int bihOff, float[] biasHh, int bhhOff, float[] cPrev, int cpOff,
      float[] c, int cOff, float[] cTanh, int ctOff, float[] h, int hOff) {
    int width = 4 * hidden;
    for (int r = 0; r < rows; r++) {
      int row = gOff + r * width;
      addPreActivations(gates, row, step, sOff + r * width, biasIh, bihOff, biasHh, bhhOff,
          width);
      VectorActivations.sigmoid(gates, row, gates, row, 2 * hidden);
      VectorActivations.tanh(gates, row + 2 * hidden, gates, row + 2 * hidden, hidden);
      VectorActivations.sigmoid(gates, row + 3 * hidden, gates, row + 3 * hidden, hidden);
      int state = r * hidden;
      updateState(hidden, gates, row, cPrev, cpOff + state, c, cOff + state, cTanh,
          ctOff + state, h, hOff + state);
    }
  }

  private static void addPreActivations(float[] gates, int row, float[] step, int sRow,
      float[] biasIh, int bihOff, float[] biasHh, int bhhOff, int width) {
    int bound = FLOAT_SPECIES.loopBound(width);
    for (int j = 0; j < bound; j += FLOAT_LANES) {
      FloatVector input = load(gates, row + j).add(load(biasIh, bihOff + j));
      FloatVector recurrent = load(step, sRow + j).add(load(biasHh, bhhOff + j));
      input.add(recurrent).intoArray(gates, row + j);
    }
    ScalarLstmCell.addPreActivations(gates, row, step, sRow, biasIh, bihOff, biasHh, bhhOff,
        bound, width);
  }

  /**
   * c, tanh(c), h of one row, in three passes of a method each: with the tanh in the loop of c
   * and h, or in the same method as the loops, C2 left a load out of the compiled code
   * ({@code NodeCountInliningCutoff}) and boxed a vector per iteration.
   */
  private static void updateState(int hidden, float[] gates, int row, float[] cPrev, int cpRow,
      float[] c, int cRow, float[] cTanh, int ctRow, float[] h, int hRow) {
    cellState(hidden, gates, row, cPrev, cpRow, c, cRow);
    VectorActivations.tanh(c, cRow, cTanh, ctRow, hidden);
    output(hidden, gates, row, cTanh, ctRow, h, hRow);
  }

  private static void cellState(int hidden, float[] gates, int row, float[] cPrev, int cpRow,
      float[] c, int cRow) {
    int bound = FLOAT_SPECIES.loopBound(hidden);
    for (int j = 0; j < bound; j += FLOAT_LANES) {
      FloatVector i = load(gates, row + j);
      FloatVector f = load(gates, row + hidden + j);
      FloatVector g = load(gates, row + 2 * hidden + j);
      f.mul(load(cPrev, cpRow + j)).add(i.mul(g)).intoArray(c, cRow + j);
    }
    ScalarLstmCell.cellState(hidden, gates, row, cPrev, cpRow, c, cRow, bound, hidden);
  }

  private static void output(int hidden, float[] gates, int row, float[] cTanh, int ctRow,
      float[] h, int hRow) {
    int bound = FLOAT_SPECIES.loopBound(hidden);
    for (int j = 0; j < bound; j += FLOAT_LANES) {
      load(gates, row + 3 * hidden + j).mul(load(cTanh, ctRow + j)).intoArray(h, hRow + j);
    }
    ScalarLstmCell.output(hidden, gates, row, cTanh, ctRow, h, hRow, bound, hidden);
  }

  static void backward(int rows, int hidden, float[] gates, int gOff, float[] cPrev, int cpOff,
      float[] cTanh, int ctOff, float[] gradH, int ghOff, float[] gradC, int gcOff,
      float[] gradGates, int ggOff) {
    for (int r = 0; r < rows; r++) {
      int state = r * hidden;
      gateGradients(hidden, gates, gOff + 4 * state, cPrev, cpOff + state, cTanh, ctOff + state,
          gradH, ghOff + state, gradC, gcOff + state, gradGates, ggOff + 4 * state);
    }
  }

  private static void gateGradients(int hidden, float[] gates, int row, float[] cPrev,
      int cpRow, float[] cTanh, int ctRow, float[] gradH, int ghRow, float[] gradC, int gcRow,
      float[] gradGates, int ggRow) {
    int bound = FLOAT_SPECIES.loopBound(hidden);
    for (int j = 0; j < bound; j += FLOAT_LANES) {
      FloatVector i = load(gates, row + j);
      FloatVector f = load(gates, row + hidden + j);
      FloatVector g = load(gates, row + 2 * hidden + j);
      FloatVector o = load(gates, row + 3 * hidden + j);
      FloatVector tanhCell = load(cTanh, ctRow + j);
      FloatVector dh = load(gradH, ghRow + j);
      FloatVector one = FloatVector.broadcast(FLOAT_SPECIES, 1f);
      FloatVector dc = load(gradC, gcRow + j).add(dh.mul(o).mul(one.sub(tanhCell.mul(tanhCell))));
      dc.mul(g).mul(i).mul(one.sub(i)).intoArray(gradGates, ggRow + j);
      dc.mul(load(cPrev, cpRow + j)).mul(f).mul(one.sub(f)).intoArray(gradGates,
          ggRow + hidden + j);
      dc.mul(i).mul(one.sub(g.mul(g))).intoArray(gradGates, ggRow + 2 * hidden + j);
      dh.mul(tanhCell).mul(o).mul(one.sub(o)).intoArray(gradGates, ggRow + 3 * hidden + j);
      dc.mul(f).intoArray(gradC, gcRow + j);
    }
    ScalarLstmCell.gateGradients(hidden, gates, row, cPrev, cpRow, cTanh, ctRow, gradH, ghRow,
        gradC, gcRow, gradGates, ggRow, bound, hidden);
  }

  private static FloatVector load(float[] a, int offset) {
    return FloatVector.fromArray(FLOAT_SPECIES, a, offset);
  }
}
