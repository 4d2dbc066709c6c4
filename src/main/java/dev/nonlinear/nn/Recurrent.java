package dev.nonlinear.nn;

import dev.nonlinear.kernel.Bias;
import dev.nonlinear.kernel.Blas;
import dev.nonlinear.kernel.Checks;
import dev.nonlinear.kernel.PackedMatrix;
import dev.nonlinear.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The machinery RNN and LSTM share: stacked layers, one or two directions, dropout between
 * layers, PyTorch's parameter names and layout, and backpropagation through time.
 *
 * <p>Per run, the input products of all time steps are one GEMM ({@code [L·N, in]} times
 * {@code W_ihᵀ}); each step is then one GEMM of the whole batch's previous states by
 * {@code W_hhᵀ}, all gates at once, into a small workspace that stays in cache, and one call of
 * the cell, which adds the two products and the biases and applies the gates' functions in
 * passes over each row. From {@link #PACKED_MIN_BATCH} sequences on, {@code W_hh} is packed once
 * per forward (and once per backward) into the GEMM's layout, so the steps only read it.
 * Nothing is allocated per step.
 *
 * <p>Layer {@code k} has {@code weight_ih_lk [G·H, in_k]}, {@code weight_hh_lk [G·H, H]} and, with
 * bias, {@code bias_ih_lk} and {@code bias_hh_lk [G·H]}, where G is the number of gate blocks (1
 * for RNN, 4 for LSTM), {@code in_0} the input size and {@code in_k = D·H} above (D = 2 when
 * bidirectional, else 1). A bidirectional layer has a second set, {@code weight_ih_lk_reverse}
 * and so on, that reads the sequence from its end; the layer's output at step t joins both
 * directions' h_t, forward first. All parameters start uniform in ±1/√H, as in PyTorch.
 *
 * <p>A "run" is one direction of one layer, numbered {@code k·D + d} as PyTorch numbers the
 * rows of h_n. Internally everything is time-major: row {@code t·N + n} of a run's matrices is
 * step t of sequence n. A run keeps its L + 1 hidden states in one array of L + 1 blocks of
 * N·H, ordered by time: the forward run has h0 in block 0 and the state after step t in block
 * t + 1; the reverse run has h0 in block L and the state after step t in block t. Either way
 * the outputs of steps 0..L-1 are L consecutive blocks, and so are the states each step starts
 * from, which lets one GEMM read them all. A batch-first input is transposed into a workspace on
 * the way in, and the output and input gradient are transposed back on the way out.
 *
 * <p>Not supported (PyTorch has them): {@code proj_size}, unbatched {@code [L, in]} inputs and
 * packed sequences.
 */
abstract class Recurrent extends Module {

  final int inputSize;
  final int hiddenSize;
  final int numLayers;
  final int gates;
  final boolean batchFirst;
  final boolean hasCell;
  /** 2 when bidirectional, else 1. */
  final int directions;
  final float dropout;
  /** The generator of the dropout masks (null without dropout); tests may replace it. */
  RandomGenerator dropoutRandom;

  private final String name;
  private final Parameter[] weightIh;
  private final Parameter[] weightHh;
  private final Parameter[] biasIh;
  private final Parameter[] biasHh;

  /** Per run, the L + 1 hidden states in time order (see the class comment), rows of H. */
  final float[][] hidden;
  /** Per run, the cell states in the same layout (LSTM only). */
  final float[][] cell;
  /** Per run, time-major: the gate values after their nonlinearity, rows of G·H. */
  final float[][] gateValues;
  /** Per run, time-major: tanh(c_t) of step t (LSTM only). */
  final float[][] cellTanh;
  /** Per layer below the top: its output, both directions joined, dropout applied. */
  private final float[][] layerOutput;
  /** Per layer below the top: the dropout mask applied to its output. */
  private final float[][] dropoutMask;
  /** Per direction: the gate gradients of the layer being worked on, time-major. */
  private final float[][] gradGates;

  /**
   * From this many sequences on, the hidden weights are packed once per forward (and once per
   * backward) and each step multiplies by the packed copy. Below it, {@code Blas.sgemm} takes
   * its unpacked dot-product path for these products (at most 16 rows), which suits a few rows
   * better than the packed path's 6-row tiles, and there is nothing to pack.
   */
  static final int PACKED_MIN_BATCH = 17;

  /** W_hhᵀ of the run being computed, packed for the forward steps. */
  private PackedMatrix packedHiddenWeights;
  /** W_hh of the run being worked on, packed for the backward steps. */
  private PackedMatrix packedHiddenWeightsBackward;

  /** h_{t-1}·W_hhᵀ of the step being computed, rows of G·H. */
  float[] stepGates = new float[0];
  /** The bias of a layer without bias, G·H zeros. */
  private final float[] zeroBias;

  private float[] timeMajorInput = new float[0];
  private float[] layerInput;
  private float[] gradLayer = new float[0];
  private float[] gradTimeMajor = new float[0];
  /** dL/dh of the step being worked on, then of h0; rows of H. */
  float[] gradHidden = new float[0];
  /** dL/dc of the step being worked on, then of c0 (LSTM only). */
  float[] gradCell = new float[0];

  int steps = -1;
  int batch;
  /** Whether the last forward joined each lower layer's output into {@link #layerOutput}. */
  private boolean joined;
  /** Whether the last forward applied dropout between layers. */
  private boolean dropped;
  private Tensor output;
  private Tensor hn;
  private Tensor cn;
  private Tensor gradInput;
  private Tensor gradH0;
  private Tensor gradC0;

  Recurrent(String name, int gates, boolean hasCell, int inputSize, int hiddenSize,
      int numLayers, boolean bias, boolean batchFirst, float dropout, boolean bidirectional,
      RandomGenerator random) {
    this.name = name;
    this.gates = gates;
    this.hasCell = hasCell;
    this.inputSize = Checks.positive("inputSize", inputSize);
    this.hiddenSize = Checks.positive("hiddenSize", hiddenSize);
    this.numLayers = Checks.positive("numLayers", numLayers);
    this.batchFirst = batchFirst;
    this.dropout = DropoutMask.probability("dropout", dropout);
    this.directions = bidirectional ? 2 : 1;
    Checks.product("gates * hiddenSize * max(inputSize, 2 * hiddenSize)",
        Checks.product("gates * hiddenSize", gates, hiddenSize), Math.max(inputSize,
        directions * hiddenSize));
    Objects.requireNonNull(random, "random");

    int runs = numLayers * directions;
    weightIh = new Parameter[runs];
    weightHh = new Parameter[runs];
    biasIh = bias ? new Parameter[runs] : null;
    biasHh = bias ? new Parameter[runs] : null;
    zeroBias = new float[bias ? 0 : gates * hiddenSize];
    registerLayers(null);
    // PyTorch draws every parameter from the same uniform, in registration order.
    double bound = 1 / Math.sqrt(hiddenSize);
    for (Parameter parameter : parameters()) {
      Init.uniform(parameter.value(), bound, random);
    }
    // Drawn after the weights, and only when used, so the weights and the generator's later
    // values are those of a layer without dropout.
    dropoutRandom = dropout > 0 && numLayers > 1 ? DropoutMask.generator(random) : null;

    hidden = new float[runs][0];
    cell = new float[runs][0];
    gateValues = new float[runs][0];
    cellTanh = new float[runs][0];
    layerOutput = new float[numLayers - 1][0];
    dropoutMask = new float[numLayers - 1][0];
    gradGates = new float[directions][0];
  }

  /** A layer over {@code source}'s parameters, with workspaces of its own. */
  Recurrent(Recurrent source) {
    this.name = source.name;
    this.gates = source.gates;
    this.hasCell = source.hasCell;
    this.inputSize = source.inputSize;
    this.hiddenSize = source.hiddenSize;
    this.numLayers = source.numLayers;
    this.batchFirst = source.batchFirst;
    this.dropout = source.dropout;
    this.directions = source.directions;

    int runs = numLayers * directions;
    weightIh = new Parameter[runs];
    weightHh = new Parameter[runs];
    biasIh = source.biasIh != null ? new Parameter[runs] : null;
    biasHh = source.biasHh != null ? new Parameter[runs] : null;
    zeroBias = new float[source.zeroBias.length];
    registerLayers(source);
    dropoutRandom = source.dropoutRandom == null ? null
        : new java.util.SplittableRandom(Dropout.COPY_SEED);

    hidden = new float[runs][0];
    cell = new float[runs][0];
    gateValues = new float[runs][0];
    cellTanh = new float[runs][0];
    layerOutput = new float[numLayers - 1][0];
    dropoutMask = new float[numLayers - 1][0];
    gradGates = new float[directions][0];
  }

  /** Registers new zero parameters, or {@code source}'s own when it is not null. */
  private void registerLayers(Recurrent source) {
    int gh = gates * hiddenSize;
    for (int k = 0; k < numLayers; k++) {
      for (int d = 0; d < directions; d++) {
        int u = k * directions + d;
        String suffix = "_l" + k + (d == 1 ? "_reverse" : "");
        weightIh[u] = registerParameter("weight_ih" + suffix, source != null
            ? source.weightIh[u] : new Parameter(Tensor.zeros(gh, inputWidth(k))));
        weightHh[u] = registerParameter("weight_hh" + suffix, source != null
            ? source.weightHh[u] : new Parameter(Tensor.zeros(gh, hiddenSize)));
        if (biasIh != null) {
          biasIh[u] = registerParameter("bias_ih" + suffix, source != null
              ? source.biasIh[u] : new Parameter(Tensor.zeros(gh)));
          biasHh[u] = registerParameter("bias_hh" + suffix, source != null
              ? source.biasHh[u] : new Parameter(Tensor.zeros(gh)));
        }
      }
    }
  }

  /** The width of layer k's input. */
  final int inputWidth(int layer) {
    return layer == 0 ? inputSize : directions * hiddenSize;
  }

  /** The input size, PyTorch's {@code input_size}. */
  public int inputSize() {
    return inputSize;
  }

  /** The hidden size H, PyTorch's {@code hidden_size}. */
  public int hiddenSize() {
    return hiddenSize;
  }

  /** The number of stacked layers, PyTorch's {@code num_layers}. */
  public int numLayers() {
    return numLayers;
  }

  /** Whether each layer also reads the sequence backwards, PyTorch's {@code bidirectional}. */
  public boolean isBidirectional() {
    return directions == 2;
  }

  /** Whether inputs and outputs are {@code [N, L, *]}, PyTorch's {@code batch_first}. */
  public boolean isBatchFirst() {
    return batchFirst;
  }

  /** The dropout probability applied to each layer's output but the last's, in training. */
  public float dropout() {
    return dropout;
  }

  /** {@code weight_ih_l{layer}}, {@code [G·H, in]}. */
  public Parameter weightIh(int layer) {
    return weightIh(layer, false);
  }

  /** {@code weight_hh_l{layer}}, {@code [G·H, H]}. */
  public Parameter weightHh(int layer) {
    return weightHh(layer, false);
  }

  /** {@code bias_ih_l{layer}}, {@code [G·H]}, or null without bias. */
  public Parameter biasIh(int layer) {
    return biasIh(layer, false);
  }

  /** {@code bias_hh_l{layer}}, {@code [G·H]}, or null without bias. */
  public Parameter biasHh(int layer) {
    return biasHh(layer, false);
  }

  /** {@code weight_ih_l{layer}}, or {@code weight_ih_l{layer}_reverse} when {@code reverse}. */
  public Parameter weightIh(int layer, boolean reverse) {
    return weightIh[run(layer, reverse)];
  }

  /** {@code weight_hh_l{layer}}, or {@code weight_hh_l{layer}_reverse} when {@code reverse}. */
  public Parameter weightHh(int layer, boolean reverse) {
    return weightHh[run(layer, reverse)];
  }

  /** {@code bias_ih_l{layer}[_reverse]}, or null without bias. */
  public Parameter biasIh(int layer, boolean reverse) {
    int u = run(layer, reverse);
    return biasIh == null ? null : biasIh[u];
  }

  /** {@code bias_hh_l{layer}[_reverse]}, or null without bias. */
  public Parameter biasHh(int layer, boolean reverse) {
    int u = run(layer, reverse);
    return biasHh == null ? null : biasHh[u];
  }

  private int run(int layer, boolean reverse) {
    Objects.checkIndex(layer, numLayers);
    if (reverse && directions == 1) {
      throw new IllegalArgumentException(name + ": reverse weights asked of a layer that is not "
          + "bidirectional");
    }
    return layer * directions + (reverse ? 1 : 0);
  }

  /** The last forward's final hidden states h_n, {@code [D·num_layers, N, H]}. */
  public Tensor hn() {
    requireForward();
    return hn;
  }

  /** The last backward's gradient with respect to h0, {@code [D·num_layers, N, H]}. */
  public Tensor gradH0() {
    if (gradH0 == null) {
      throw new IllegalStateException(name + ".gradH0 called before backward");
    }
    return gradH0;
  }

  final Tensor finalCells() {
    requireForward();
    return cn;
  }

  final Tensor cellGradient() {
    if (gradC0 == null) {
      throw new IllegalStateException(name + ".gradC0 called before backward");
    }
    return gradC0;
  }

  /**
   * Step t of every sequence of run {@code run}: the pointwise cell. The gate pre-activations
   * are {@code (x_t·W_ihᵀ + b_ih) + (h_{t-1}·W_hhᵀ + b_hh)}, summed in that order as PyTorch
   * does, from the input products of step t (in {@link #gateValues}, which the cell overwrites
   * with what its backward needs), the hidden products in {@link #stepGates} and the biases
   * ({@link #biasIhValues}, {@link #biasHhValues}). Reads the states at {@code previous}, writes
   * the new ones at {@code next} (offsets into {@link #hidden} and {@link #cell}).
   */
  abstract void cellForward(int run, int t, int previous, int next);

  /** b_ih of run u, or zeros without bias. */
  final float[] biasIhValues(int u) {
    return biasIh == null ? zeroBias : biasIh[u].value().data();
  }

  /** b_hh of run u, or zeros without bias. */
  final float[] biasHhValues(int u) {
    return biasHh == null ? zeroBias : biasHh[u].value().data();
  }

  /**
   * Step t backwards: from {@code gradHidden} (which already includes the output gradient of step
   * t) and, for LSTM, {@code gradCell}, writes the pre-activation gate gradients of step t to
   * {@code gradGates} at {@code gOff}; for LSTM it also leaves dL/dc of the previous state in
   * {@code gradCell}. {@code previous} and {@code next} are as in forward.
   */
  abstract void cellBackward(int run, int t, int previous, int next, float[] gradGates,
      int gOff);

  /** Runs the layers over {@code x} from states h0 and c0 (null: zeros); returns the output. */
  final Tensor run(Tensor x, Tensor h0, Tensor c0) {
    checkInput(x);
    int n = batchFirst ? x.size(0) : x.size(1);
    checkState("h0", h0, n);
    checkState("c0", c0, n);
    steps = batchFirst ? x.size(1) : x.size(0);
    batch = n;
    dropped = isTraining() && dropoutRandom != null;
    joined = directions == 2 || dropped;
    reserve();

    layerInput = timeMajor(x);
    for (int k = 0; k < numLayers; k++) {
      for (int d = 0; d < directions; d++) {
        int u = k * directions + d;
        startStates(u, h0, c0);
        runDirection(u, layerInputOf(k), layerInputOffset(k));
      }
      if (k < numLayers - 1 && joined) {
        joinLayerOutput(k);
      }
    }
    return collectOutputs();
  }

  /** The time-major input of layer k: the data, a joined lower output, or the lower states. */
  private float[] layerInputOf(int k) {
    if (k == 0) {
      return layerInput;
    }
    return joined ? layerOutput[k - 1] : hidden[k - 1];
  }

  private int layerInputOffset(int k) {
    return k == 0 || joined ? 0 : batch * hiddenSize;
  }

  /** The first block of run u's outputs: 1 forward (h0 first), 0 reverse (h0 last). */
  private static int firstOutputBlock(int u, int directions) {
    return u % directions == 0 ? 1 : 0;
  }

  /** The block of the state step 0 starts from, for the first of the L blocks read by W_hh. */
  private static int firstPreviousBlock(int u, int directions) {
    return u % directions == 0 ? 0 : 1;
  }

  private boolean reverse(int u) {
    return u % directions == 1;
  }

  private void runDirection(int u, float[] in, int inOff) {
    int width = inputWidth(u / directions);
    int rows = steps * batch;
    int gh = gates * hiddenSize;
    int size = batch * hiddenSize;
    float[] g = gateValues[u];
    Blas.sgemm(false, true, rows, gh, width, 1f, in, inOff, width,
        weightIh[u].value().data(), 0, width, 0f, g, 0, gh);

    float[] whh = weightHh[u].value().data();
    boolean packed = batch >= PACKED_MIN_BATCH;
    if (packed) {
      if (packedHiddenWeights == null) {
        packedHiddenWeights = new PackedMatrix(hiddenSize, gh);
      }
      packedHiddenWeights.pack(true, whh, 0, hiddenSize);
    }
    int outBlock = firstOutputBlock(u, directions);
    int previousBlock = firstPreviousBlock(u, directions);
    for (int s = 0; s < steps; s++) {
      int t = reverse(u) ? steps - 1 - s : s;
      int previous = (t + previousBlock) * size;
      if (packed) {
        packedHiddenWeights.multiply(false, batch, 1f, hidden[u], previous, hiddenSize, 0f,
            stepGates, 0, gh);
      } else {
        Blas.sgemm(false, true, batch, gh, hiddenSize, 1f, hidden[u], previous, hiddenSize, whh,
            0, hiddenSize, 0f, stepGates, 0, gh);
      }
      cellForward(u, t, previous, (t + outBlock) * size);
    }
  }

  /** Layer k's output, both directions side by side, times the dropout mask when dropping. */
  private void joinLayerOutput(int k) {
    int width = directions * hiddenSize;
    int rows = steps * batch;
    float[] joinedOutput = layerOutput[k];
    for (int d = 0; d < directions; d++) {
      int u = k * directions + d;
      int from = firstOutputBlock(u, directions) * batch * hiddenSize;
      for (int r = 0; r < rows; r++) {
        System.arraycopy(hidden[u], from + r * hiddenSize, joinedOutput, r * width
            + d * hiddenSize, hiddenSize);
      }
    }
    if (dropped) {
      DropoutMask.fill(dropoutRandom, dropout, dropoutMask[k], rows * width);
      DropoutMask.apply(joinedOutput, 0, dropoutMask[k], joinedOutput, 0, rows * width);
    }
  }

  /**
   * Backpropagation through time. {@code gradOutput}, {@code gradHn} and {@code gradCn} may each
   * be null, meaning zeros.
   */
  final Tensor runBackward(Tensor gradOutput, Tensor gradHn, Tensor gradCn) {
    requireForward();
    if (gradOutput != null) {
      Shapes.requireGradient(name, gradOutput, output.shape());
    }
    checkStateGradient("gradHn", gradHn);
    checkStateGradient("gradCn", gradCn);
    int runs = numLayers * directions;
    gradH0 = Shapes.reuse(gradH0, runs, batch, hiddenSize);
    gradC0 = hasCell ? Shapes.reuse(gradC0, runs, batch, hiddenSize) : null;

    int stateSize = batch * hiddenSize;
    float[] gradAbove = topGradient(gradOutput);
    for (int k = numLayers - 1; k >= 0; k--) {
      for (int d = 0; d < directions; d++) {
        int u = k * directions + d;
        startStateGradients(u, gradHn, gradCn);
        backwardThroughTime(u, gradAbove);
        System.arraycopy(gradHidden, 0, gradH0.data(), u * stateSize, stateSize);
        if (hasCell) {
          System.arraycopy(gradCell, 0, gradC0.data(), u * stateSize, stateSize);
        }
        accumulateWeightGradients(u);
      }
      if (k > 0) {
        gradAbove = gradientBelow(k, gradLayer);
        if (dropped) {
          int n = steps * batch * inputWidth(k);
          DropoutMask.apply(gradAbove, 0, dropoutMask[k - 1], gradAbove, 0, n);
        }
      }
    }
    if (!isInputGradientNeeded()) {
      return null;
    }
    return inputGradient();
  }

  /**
   * Run u backwards through its steps, from the last it computed to the first, adding the
   * gradient from above (rows of D·H, this direction's H columns) to dL/dh at each.
   */
  private void backwardThroughTime(int u, float[] gradAbove) {
    int gh = gates * hiddenSize;
    int size = batch * hiddenSize;
    int width = directions * hiddenSize;
    int column = (u % directions) * hiddenSize;
    float[] whh = weightHh[u].value().data();
    float[] gg = gradGates[u % directions];
    boolean packed = batch >= PACKED_MIN_BATCH;
    if (packed) {
      if (packedHiddenWeightsBackward == null) {
        packedHiddenWeightsBackward = new PackedMatrix(gh, hiddenSize);
      }
      packedHiddenWeightsBackward.pack(false, whh, 0, hiddenSize);
    }
    int outBlock = firstOutputBlock(u, directions);
    int previousBlock = firstPreviousBlock(u, directions);
    for (int s = steps - 1; s >= 0; s--) {
      int t = reverse(u) ? steps - 1 - s : s;
      if (gradAbove != null) {
        addStepGradient(gradAbove, (t * batch) * width + column, width);
      }
      cellBackward(u, t, (t + previousBlock) * size, (t + outBlock) * size, gg, t * batch * gh);
      if (packed) {
        packedHiddenWeightsBackward.multiply(false, batch, 1f, gg, t * batch * gh, gh, 0f,
            gradHidden, 0, hiddenSize);
      } else {
        Blas.sgemm(false, false, batch, hiddenSize, gh, 1f, gg, t * batch * gh, gh, whh, 0,
            hiddenSize, 0f, gradHidden, 0, hiddenSize);
      }
    }
  }

  /** gradHidden[n, :] += above[off + n·stride, :H] for every sequence n. */
  private void addStepGradient(float[] above, int off, int stride) {
    for (int n = 0; n < batch; n++) {
      int from = off + n * stride;
      int to = n * hiddenSize;
      for (int j = 0; j < hiddenSize; j++) {
        gradHidden[to + j] += above[from + j];
      }
    }
  }

  private void accumulateWeightGradients(int u) {
    int k = u / directions;
    int width = inputWidth(k);
    int rows = steps * batch;
    int gh = gates * hiddenSize;
    float[] gg = gradGates[u % directions];
    float[] in = layerInputOf(k);
    int inOff = layerInputOffset(k);

    Blas.sgemm(true, false, gh, width, rows, 1f, gg, 0, gh, in, inOff, width, 1f,
        weightIh[u].grad().data(), 0, width);
    // The states steps 0..L-1 started from are L consecutive blocks (see the class comment).
    int previous = firstPreviousBlock(u, directions) * batch * hiddenSize;
    Blas.sgemm(true, false, gh, hiddenSize, rows, 1f, gg, 0, gh, hidden[u], previous,
        hiddenSize, 1f, weightHh[u].grad().data(), 0, hiddenSize);
    if (biasIh != null) {
      Bias.accumulateRowSums(gg, 0, rows, gh, biasIh[u].grad().data(), 0);
      Bias.accumulateRowSums(gg, 0, rows, gh, biasHh[u].grad().data(), 0);
    }
  }

  /** dL/d(input of layer k) = Σ_d dG_d · W_ih_d, time-major, into {@code target}. */
  private float[] gradientBelow(int k, float[] target) {
    int width = inputWidth(k);
    int gh = gates * hiddenSize;
    for (int d = 0; d < directions; d++) {
      Blas.sgemm(false, false, steps * batch, width, gh, 1f, gradGates[d], 0, gh,
          weightIh[k * directions + d].value().data(), 0, width, d == 0 ? 0f : 1f, target, 0,
          width);
    }
    return target;
  }

  private Tensor inputGradient() {
    // One varargs call with the sizes picked before it: escape analysis then removes the shape
    // array, which two array literals merged by a conditional kept alive (JMH -prof gc).
    gradInput = Shapes.reuse(gradInput, batchFirst ? batch : steps, batchFirst ? steps : batch,
        inputSize);
    if (!batchFirst) {
      gradientBelow(0, gradInput.data());
      return gradInput;
    }
    gradientBelow(0, gradTimeMajor);
    transpose(gradTimeMajor, gradInput.data(), steps, batch, inputSize);
    return gradInput;
  }

  private float[] topGradient(Tensor gradOutput) {
    if (gradOutput == null) {
      return null;
    }
    if (!batchFirst) {
      return gradOutput.data();
    }
    transpose(gradOutput.data(), gradLayer, batch, steps, directions * hiddenSize);
    return gradLayer;
  }

  private void startStates(int u, Tensor h0, Tensor c0) {
    int stateSize = batch * hiddenSize;
    int first = reverse(u) ? steps * stateSize : 0;
    copyOrZero(h0, u * stateSize, hidden[u], first, stateSize);
    if (hasCell) {
      copyOrZero(c0, u * stateSize, cell[u], first, stateSize);
    }
  }

  private void startStateGradients(int u, Tensor gradHn, Tensor gradCn) {
    int stateSize = batch * hiddenSize;
    copyOrZero(gradHn, u * stateSize, gradHidden, 0, stateSize);
    if (hasCell) {
      copyOrZero(gradCn, u * stateSize, gradCell, 0, stateSize);
    }
  }

  private static void copyOrZero(Tensor source, int from, float[] target, int to, int size) {
    if (source == null) {
      Arrays.fill(target, to, to + size, 0f);
    } else {
      System.arraycopy(source.data(), from, target, to, size);
    }
  }

  private Tensor collectOutputs() {
    int stateSize = batch * hiddenSize;
    int width = directions * hiddenSize;
    output = Shapes.reuse(output, batchFirst ? batch : steps, batchFirst ? steps : batch, width);
    for (int d = 0; d < directions; d++) {
      int u = (numLayers - 1) * directions + d;
      copyOutputs(hidden[u], firstOutputBlock(u, directions) * stateSize, output.data(),
          d * hiddenSize, width);
    }

    int runs = numLayers * directions;
    hn = Shapes.reuse(hn, runs, batch, hiddenSize);
    cn = hasCell ? Shapes.reuse(cn, runs, batch, hiddenSize) : null;
    for (int u = 0; u < runs; u++) {
      int last = reverse(u) ? 0 : steps * stateSize;
      System.arraycopy(hidden[u], last, hn.data(), u * stateSize, stateSize);
      if (hasCell) {
        System.arraycopy(cell[u], last, cn.data(), u * stateSize, stateSize);
      }
    }
    return output;
  }

  /**
   * Copies the time-major rows of H at {@code from} into the output, whose rows are
   * {@code width} wide, at column {@code column}, time-major or batch-first.
   */
  private void copyOutputs(float[] states, int from, float[] out, int column, int width) {
    if (!batchFirst && width == hiddenSize) {
      System.arraycopy(states, from, out, 0, steps * batch * hiddenSize);
      return;
    }
    for (int t = 0; t < steps; t++) {
      for (int n = 0; n < batch; n++) {
        int row = batchFirst ? n * steps + t : t * batch + n;
        System.arraycopy(states, from + (t * batch + n) * hiddenSize, out, row * width + column,
            hiddenSize);
      }
    }
  }

  private float[] timeMajor(Tensor x) {
    if (!batchFirst) {
      return x.data();
    }
    transpose(x.data(), timeMajorInput, batch, steps, inputSize);
    return timeMajorInput;
  }

  /** {@code [a, b, w]} to {@code [b, a, w]}. */
  private static void transpose(float[] from, float[] to, int a, int b, int w) {
    for (int i = 0; i < a; i++) {
      for (int j = 0; j < b; j++) {
        System.arraycopy(from, (i * b + j) * w, to, (j * a + i) * w, w);
      }
    }
  }

  /** Grows the per-run arrays and workspaces to this batch; they are kept between calls. */
  private void reserve() {
    int rows = steps * batch;
    int gh = gates * hiddenSize;
    int width = directions * hiddenSize;
    long states = (long) (steps + 1) * batch * hiddenSize;
    long gateCount = (long) rows * gh;
    if (states > Integer.MAX_VALUE || gateCount > Integer.MAX_VALUE
        || (long) rows * Math.max(inputSize, width) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + ": " + steps + " steps of " + batch
          + " sequences need arrays beyond the largest Java array");
    }
    for (int u = 0; u < numLayers * directions; u++) {
      hidden[u] = grow(hidden[u], (int) states);
      gateValues[u] = grow(gateValues[u], (int) gateCount);
      if (hasCell) {
        cell[u] = grow(cell[u], (int) states);
        cellTanh[u] = grow(cellTanh[u], rows * hiddenSize);
      }
    }
    for (int k = 0; k < numLayers - 1 && joined; k++) {
      layerOutput[k] = grow(layerOutput[k], rows * width);
      if (dropped) {
        dropoutMask[k] = grow(dropoutMask[k], rows * width);
      }
    }
    for (int d = 0; d < directions; d++) {
      gradGates[d] = grow(gradGates[d], (int) gateCount);
    }
    gradLayer = grow(gradLayer, rows * width);
    if (batchFirst) {
      timeMajorInput = grow(timeMajorInput, rows * inputSize);
      gradTimeMajor = grow(gradTimeMajor, rows * inputSize);
    }
    gradHidden = grow(gradHidden, batch * hiddenSize);
    gradCell = hasCell ? grow(gradCell, batch * hiddenSize) : gradCell;
    stepGates = grow(stepGates, batch * gh);
  }

  static float[] grow(float[] array, int size) {
    return array.length >= size ? array : new float[size];
  }

  private void checkInput(Tensor x) {
    Shapes.requireNonNull(x, name, " input");
    if (x.rank() != 3 || x.size(2) != inputSize || x.size(0) < 1 || x.size(1) < 1) {
      throw new IllegalArgumentException(name + ": input shape " + x.shapeString()
          + ", expected " + (batchFirst ? "[N, L, " : "[L, N, ") + inputSize
          + "] with L, N >= 1");
    }
  }

  private void checkState(String what, Tensor state, int n) {
    int runs = numLayers * directions;
    if (state != null && !state.hasShape(runs, n, hiddenSize)) {
      throw new IllegalArgumentException(name + ": " + what + " shape " + state.shapeString()
          + ", expected [" + runs + ", " + n + ", " + hiddenSize + "]");
    }
  }

  private void checkStateGradient(String what, Tensor grad) {
    checkState(what, grad, batch);
  }

  private void requireForward() {
    if (steps < 0) {
      throw new IllegalStateException(name + ": forward has not run");
    }
  }

  @Override
  protected String extraRepr() {
    return inputSize + ", " + hiddenSize + (numLayers > 1 ? ", num_layers=" + numLayers : "")
        + (biasIh == null ? ", bias=False" : "") + (batchFirst ? ", batch_first=True" : "")
        + (dropout > 0 ? ", dropout=" + dropout : "")
        + (directions == 2 ? ", bidirectional=True" : "");
  }
}
