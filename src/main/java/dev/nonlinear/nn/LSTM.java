package dev.nonlinear.nn;

import dev.nonlinear.kernel.LstmCell;
import dev.nonlinear.tensor.Tensor;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A long short-term memory network, as PyTorch's {@code nn.LSTM}. Per step, with the gate
 * pre-activations {@code x_t·W_ihᵀ + b_ih + h_{t-1}·W_hhᵀ + b_hh} split in PyTorch's order
 * i, f, g, o:
 *
 * <pre>
 *   i = σ(·), f = σ(·), g = tanh(·), o = σ(·)
 *   c_t = f ⊙ c_{t-1} + i ⊙ g
 *   h_t = o ⊙ tanh(c_t)
 * </pre>
 *
 * <p>Input {@code [L, N, input_size]} ({@code [N, L, input_size]} when batch-first), output the
 * top layer's h_t {@code [L, N, D·H]} ({@code [N, L, D·H]}; D = 2 when bidirectional, the
 * forward direction's H first), {@link #hn()} and {@link #cn()} {@code [D·num_layers, N, H]}.
 * Parameters {@code weight_ih_l{k}} {@code [4H, in]}, {@code weight_hh_l{k}} {@code [4H, H]},
 * {@code bias_ih_l{k}}, {@code bias_hh_l{k}} {@code [4H]} (and the same with {@code _reverse}
 * for the backward direction), uniform in ±1/√H. See {@link Recurrent} for what PyTorch has
 * and this does not.
 */
public final class LSTM extends Recurrent {

  /** One layer with bias, time-major, initialised from {@link Init#defaultGenerator()}. */
  public LSTM(int inputSize, int hiddenSize) {
    this(inputSize, hiddenSize, 1, true, false, Init.defaultGenerator());
  }

  /** One direction without dropout, initialised from {@code random}. */
  public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst,
      RandomGenerator random) {
    this(inputSize, hiddenSize, numLayers, bias, batchFirst, 0f, false, random);
  }

  /**
   * The general form, PyTorch's arguments in PyTorch's order, initialised from {@code random}.
   * {@code dropout} is applied to the output of every layer but the last, in training mode, with
   * masks from a generator seeded from {@code random} after the weights.
   *
   * @throws IllegalArgumentException if a size is not positive or {@code dropout} is not in
   *     [0, 1]
   */
  public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst,
      float dropout, boolean bidirectional, RandomGenerator random) {
    super("LSTM", 4, true, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout,
        bidirectional, random);
  }

  private LSTM(LSTM source) {
    super(source);
  }

  @Override
  public LSTM inferenceCopy() {
    return inferenceMode(new LSTM(this));
  }

  /** The output from zero initial states. */
  @Override
  public Tensor forward(Tensor input) {
    return run(input, null, null);
  }

  /** The output from initial states h0 and c0, each {@code [D·num_layers, N, H]} (null: 0). */
  public Tensor forward(Tensor input, Tensor h0, Tensor c0) {
    return run(input, h0, c0);
  }

  /** The last forward's final cell states c_n, {@code [D·num_layers, N, H]}. */
  public Tensor cn() {
    return finalCells();
  }

  /** The last backward's gradient with respect to c0, {@code [D·num_layers, N, H]}. */
  public Tensor gradC0() {
    return cellGradient();
  }

  /** Backward with no gradient flowing into h_n or c_n. */
  @Override
  public Tensor backward(Tensor gradOutput) {
    Objects.requireNonNull(gradOutput, "LSTM gradOutput");
    return runBackward(gradOutput, null, null);
  }

  /**
   * Backward through time from the gradients of the output, h_n and c_n (each null: zeros).
   * Returns the input gradient (null when switched off); {@link #gradH0()} and
   * {@link #gradC0()} then hold the initial states' gradients.
   */
  public Tensor backward(Tensor gradOutput, Tensor gradHn, Tensor gradCn) {
    return runBackward(gradOutput, gradHn, gradCn);
  }

  @Override
  void cellForward(int run, int t, int previous, int next) {
    int size = batch * hiddenSize;
    LstmCell.forward(batch, hiddenSize, gateValues[run], t * 4 * size, stepGates, 0,
        biasIhValues(run), 0, biasHhValues(run), 0, cell[run], previous, cell[run], next,
        cellTanh[run], t * size, hidden[run], next);
  }

  @Override
  void cellBackward(int run, int t, int previous, int next, float[] gradGates, int gOff) {
    int size = batch * hiddenSize;
    LstmCell.backward(batch, hiddenSize, gateValues[run], t * 4 * size, cell[run], previous,
        cellTanh[run], t * size, gradHidden, 0, gradCell, 0, gradGates, gOff);
  }
}
