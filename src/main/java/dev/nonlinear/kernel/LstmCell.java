package dev.nonlinear.kernel;

import static dev.nonlinear.kernel.Checks.nonNegative;
import static dev.nonlinear.kernel.Checks.product;
import static dev.nonlinear.kernel.Checks.range;

/**
 * The pointwise part of an LSTM step, for {@code rows} sequences of H units, gates in PyTorch's
 * order i, f, g, o (each H wide, a gate row 4H wide):
 *
 * <pre>
 *   a = (x·W_ihᵀ + b_ih) + (h_{t-1}·W_hhᵀ + b_hh)          (the two products given)
 *   i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o)
 *   c_t = f·c_{t-1} + i·g,   h_t = o·tanh(c_t)
 * </pre>
 *
 * and its backward. All matrices are dense row-major blocks from their offsets: gate rows of 4H,
 * state rows of H. σ and tanh are those of {@link Activations#sigmoid} and
 * {@link Activations#tanh}, bit for bit, and the rest is plain float arithmetic in the order
 * written (no fused multiply-add), so the vector and scalar twins agree bit for bit.
 *
 * <p>Arguments are checked before anything is written: a null array throws
 * {@link NullPointerException} naming it, a negative size or a range that does not fit its array
 * an {@link IllegalArgumentException} naming the argument.
 */
public final class LstmCell {

  private LstmCell() {}

  /**
   * One forward step. {@code gates} holds the input products x·W_ihᵀ (rows of 4H) and receives
   * the activated gates i, f, g, o in their place (the backward pass reads them); {@code step}
   * holds h_{t-1}·W_hhᵀ (rows of 4H) and is only read; {@code biasIh} and {@code biasHh} are 4H
   * long. Writes c_t to {@code c}, tanh(c_t) to {@code cTanh} and h_t to {@code h} (rows of H),
   * from c_{t-1} in {@code cPrev}. {@code cPrev} may be {@code c} at the same offset.
   */
  public static void forward(int rows, int hidden, float[] gates, int gOff, float[] step,
      int sOff, float[] biasIh, int bihOff, float[] biasHh, int bhhOff, float[] cPrev,
      int cpOff, float[] c, int cOff, float[] cTanh, int ctOff, float[] h, int hOff) {
    int stateSize = stateSize(rows, hidden);
    int gateSize = product("rows * 4 * hidden", rows, 4 * hidden);
    range("gates", gates, gOff, gateSize);
    range("step", step, sOff, gateSize);
    range("biasIh", biasIh, bihOff, 4L * hidden);
    range("biasHh", biasHh, bhhOff, 4L * hidden);
    range("cPrev", cPrev, cpOff, stateSize);
    range("c", c, cOff, stateSize);
    range("cTanh", cTanh, ctOff, stateSize);
    range("h", h, hOff, stateSize);

    if (Backend.isVector()) {
      VectorLstmCell.forward(rows, hidden, gates, gOff, step, sOff, biasIh, bihOff, biasHh,
          bhhOff, cPrev, cpOff, c, cOff, cTanh, ctOff, h, hOff);
    } else {
      ScalarLstmCell.forward(rows, hidden, gates, gOff, step, sOff, biasIh, bihOff, biasHh,
          bhhOff, cPrev, cpOff, c, cOff, cTanh, ctOff, h, hOff);
    }
  }

  /**
   * One backward step, from the activated gates (as forward left them), c_{t-1}, tanh(c_t), and
   * dL/dh_t in {@code gradH}; {@code gradC} holds dL/dc_t on entry and dL/dc_{t-1} on return.
   * Writes the gradients of the gate pre-activations (rows of 4H, PyTorch's order) to
   * {@code gradGates}:
   *
   * <pre>
   *   dc = dL/dc_t + dh·o·(1 − tanh²c_t)
   *   da_i = dc·g·i(1 − i),  da_f = dc·c_{t-1}·f(1 − f),  da_g = dc·i·(1 − g²),
   *   da_o = dh·tanh(c_t)·o(1 − o),  dL/dc_{t-1} = dc·f
   * </pre>
   */
  public static void backward(int rows, int hidden, float[] gates, int gOff, float[] cPrev,
      int cpOff, float[] cTanh, int ctOff, float[] gradH, int ghOff, float[] gradC, int gcOff,
      float[] gradGates, int ggOff) {
    int stateSize = stateSize(rows, hidden);
    int gateSize = product("rows * 4 * hidden", rows, 4 * hidden);
    range("gates", gates, gOff, gateSize);
    range("cPrev", cPrev, cpOff, stateSize);
    range("cTanh", cTanh, ctOff, stateSize);
    range("gradH", gradH, ghOff, stateSize);
    range("gradC", gradC, gcOff, stateSize);
    range("gradGates", gradGates, ggOff, gateSize);

    if (Backend.isVector()) {
      VectorLstmCell.backward(rows, hidden, gates, gOff, cPrev, cpOff, cTanh, ctOff, gradH,
          ghOff, gradC, gcOff, gradGates, ggOff);
    } else {
      ScalarLstmCell.backward(rows, hidden, gates, gOff, cPrev, cpOff, cTanh, ctOff, gradH,
          ghOff, gradC, gcOff, gradGates, ggOff);
    }
  }

  private static int stateSize(int rows, int hidden) {
    nonNegative("rows", rows);
    nonNegative("hidden", hidden);
    product("4 * hidden", 4, hidden);
    return product("rows * hidden", rows, hidden);
  }
}
