package dev.nonlinear.nn;

import dev.nonlinear.kernel.Activations;
import dev.nonlinear.tensor.Tensor;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * An Elman recurrent network, as PyTorch's {@code nn.RNN}:
 * {@code h_t = act(x_t·W_ihᵀ + b_ih + h_{t-1}·W_hhᵀ + b_hh)} with act tanh or ReLU, stacked
 * {@code num_layers} deep. Input {@code [L, N, input_size]} ({@code [N, L, input_size]} when
 * batch-first), output the top layer's h_t, {@code [L, N, D·H]} ({@code [N, L, D·H]}; D = 2
 * when bidirectional, the forward direction's H first), and {@link #hn()}
 * {@code [D·num_layers, N, H]}. Parameters {@code weight_ih_l{k}} {@code [H, in]},
 * {@code weight_hh_l{k}} {@code [H, H]}, {@code bias_ih_l{k}}, {@code bias_hh_l{k}} {@code [H]}
 * (and the same with {@code _reverse} for the backward direction), uniform in ±1/√H. See
 * {@link Recurrent} for what PyTorch has and this does not.
 */
public final class RNN extends Recurrent {

  /** The nonlinearity, PyTorch's {@code nonlinearity='tanh'|'relu'}. */
  public enum Nonlinearity {
    /** Hyperbolic tangent (the default). */
    TANH,
    /** max(x, 0). */
    RELU
  }

  private final Nonlinearity nonlinearity;

  /** One tanh layer with bias, time-major, initialised from {@link Init#defaultGenerator()}. */
  public RNN(int inputSize, int hiddenSize) {
    this(inputSize, hiddenSize, 1, Nonlinearity.TANH, true, false, Init.defaultGenerator());
  }

  /** One direction without dropout, initialised from {@code random}. */
  public RNN(int inputSize, int hiddenSize, int numLayers, Nonlinearity nonlinearity,
      boolean bias, boolean batchFirst, RandomGenerator random) {
    this(inputSize, hiddenSize, numLayers, nonlinearity, bias, batchFirst, 0f, false, random);
  }

  /**
   * The general form, PyTorch's arguments in PyTorch's order, initialised from {@code random}.
   * {@code dropout} is applied to the output of every layer but the last, in training mode, with
   * masks from a generator seeded from {@code random} after the weights.
   *
   * @throws IllegalArgumentException if a size is not positive or {@code dropout} is not in
   *     [0, 1]
   */
  public RNN(int inputSize, int hiddenSize, int numLayers, Nonlinearity nonlinearity,
      boolean bias, boolean batchFirst, float dropout, boolean bidirectional,
      RandomGenerator random) {
    super("RNN", 1, false, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout,
        bidirectional, random);
    this.nonlinearity = Objects.requireNonNull(nonlinearity, "nonlinearity");
  }

  private RNN(RNN source) {
    super(source);
    this.nonlinearity = source.nonlinearity;
  }

  @Override
  public RNN inferenceCopy() {
    return inferenceMode(new RNN(this));
  }

  /** The output from zero initial states. */
  @Override
  public Tensor forward(Tensor input) {
    return run(input, null, null);
  }

  /** The output from initial states {@code h0 [D·num_layers, N, H]} (null: zeros). */
  public Tensor forward(Tensor input, Tensor h0) {
    return run(input, h0, null);
  }

  /** Backward with no gradient flowing into h_n. */
  @Override
  public Tensor backward(Tensor gradOutput) {
    Objects.requireNonNull(gradOutput, "RNN gradOutput");
    return runBackward(gradOutput, null, null);
  }

  /**
   * Backward through time from the output gradient and the h_n gradient (either null: zeros).
   * Returns the input gradient (null when switched off); {@link #gradH0()} then holds h0's.
   */
  public Tensor backward(Tensor gradOutput, Tensor gradHn) {
    return runBackward(gradOutput, gradHn, null);
  }

  @Override
  void cellForward(int run, int t, int previous, int next) {
    int size = batch * hiddenSize;
    float[] pre = gateValues[run];
    float[] biasIh = biasIhValues(run);
    float[] biasHh = biasHhValues(run);
    for (int n = 0; n < batch; n++) {
      int row = t * size + n * hiddenSize;
      int stepRow = n * hiddenSize;
      for (int j = 0; j < hiddenSize; j++) {
        pre[row + j] = (pre[row + j] + biasIh[j]) + (stepGates[stepRow + j] + biasHh[j]);
      }
    }
    if (nonlinearity == Nonlinearity.TANH) {
      Activations.tanh(pre, t * size, hidden[run], next, size);
    } else {
      Activations.relu(pre, t * size, hidden[run], next, size);
    }
  }

  @Override
  void cellBackward(int run, int t, int previous, int next, float[] gradGates, int gOff) {
    int size = batch * hiddenSize;
    if (nonlinearity == Nonlinearity.TANH) {
      Activations.tanhBackwardFromOutput(hidden[run], next, gradHidden, 0, gradGates, gOff,
          size);
    } else {
      Activations.reluBackward(gateValues[run], t * size, gradHidden, 0, gradGates, gOff, size);
    }
  }

  @Override
  protected String extraRepr() {
    return super.extraRepr() + (nonlinearity == Nonlinearity.RELU ? ", nonlinearity=relu" : "");
  }
}
