package dev.nonlinear.nn;

import dev.nonlinear.kernel.Bias;
import dev.nonlinear.kernel.Blas;
import dev.nonlinear.kernel.Checks;
import dev.nonlinear.tensor.Tensor;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The machinery RNN and LSTM share: stacked layers, PyTorch's parameter names and layout, the
 * input projection of all time steps in one GEMM, one hidden GEMM per step, and backpropagation
 * through time.
 *
 * <p>Layer {@code k} has {@code weight_ih_lk [G·H, in_k]}, {@code weight_hh_lk [G·H, H]} and, with
 * bias, {@code bias_ih_lk} and {@code bias_hh_lk [G·H]}, where G is the number of gate blocks (1
 * for RNN, 4 for LSTM) and {@code in_0} the input size, {@code in_k = H} above. All start uniform
 * in ±1/√H, as in PyTorch.
 *
 * <p>Internally everything is time-major: row {@code t·N + n} of a layer's matrices is step t of
 * sequence n. A batch-first input is transposed into a workspace on the way in, and the output and
 * input gradient are transposed back on the way out.
 *
 * <p>Not supported (PyTorch has them): dropout between layers, bidirectional layers,
 * {@code proj_size}, unbatched {@code [L, in]} inputs and packed sequences.
 */
abstract class Recurrent extends Module {

  final int inputSize;
  final int hiddenSize;
  final int numLayers;
  final int gates;
  final boolean batchFirst;
  final boolean hasCell;

  private final String name;
  private final Parameter[] weightIh;
  private final Parameter[] weightHh;
  private final Parameter[] biasIh;
  private final Parameter[] biasHh;

  /** Per layer, time-major: h_0..h_L, rows of H (h0 first). */
  final float[][] hidden;
  /** Per layer, time-major: c_0..c_L (LSTM only). */
  final float[][] cell;
  /** Per layer, time-major: the gate values after their nonlinearity, rows of G·H. */
  final float[][] gateValues;
  /** Per layer, time-major: tanh(c_t) for t = 1..L (LSTM only). */
  final float[][] cellTanh;

  private float[] timeMajorInput = new float[0];
  private float[] layerInput;
  private float[] gradGates = new float[0];
  private float[] gradLayer = new float[0];
  private float[] gradTimeMajor = new float[0];
  /** dL/dh_t of the step being worked on, then of h0; rows of H. */
  float[] gradHidden = new float[0];
  /** dL/dc_t of the step being worked on, then of c0 (LSTM only). */
  float[] gradCell = new float[0];

  int steps = -1;
  int batch;
  private Tensor output;
  private Tensor hn;
  private Tensor cn;
  private Tensor gradInput;
  private Tensor gradH0;
  private Tensor gradC0;

  Recurrent(String name, int gates, boolean hasCell, int inputSize, int hiddenSize,
      int numLayers, boolean bias, boolean batchFirst, RandomGenerator random) {
    this.name = name;
    this.gates = gates;
    this.hasCell = hasCell;
    this.inputSize = Checks.positive("inputSize", inputSize);
    this.hiddenSize = Checks.positive("hiddenSize", hiddenSize);
    this.numLayers = Checks.positive("numLayers", numLayers);
    this.batchFirst = batchFirst;
    Checks.product("gates * hiddenSize * max(inputSize, hiddenSize)",
        Checks.product("gates * hiddenSize", gates, hiddenSize), Math.max(inputSize,
        hiddenSize));
    Objects.requireNonNull(random, "random");

    weightIh = new Parameter[numLayers];
    weightHh = new Parameter[numLayers];
    biasIh = bias ? new Parameter[numLayers] : null;
    biasHh = bias ? new Parameter[numLayers] : null;
    registerLayers(random);

    hidden = new float[numLayers][0];
    cell = new float[numLayers][0];
    gateValues = new float[numLayers][0];
    cellTanh = new float[numLayers][0];
  }

  private void registerLayers(RandomGenerator random) {
    double bound = 1 / Math.sqrt(hiddenSize);
    for (int k = 0; k < numLayers; k++) {
      int in = inputWidth(k);
      weightIh[k] = registerParameter("weight_ih_l" + k,
          new Parameter(Tensor.zeros(gates * hiddenSize, in)));
      weightHh[k] = registerParameter("weight_hh_l" + k,
          new Parameter(Tensor.zeros(gates * hiddenSize, hiddenSize)));
      if (biasIh != null) {
        biasIh[k] = registerParameter("bias_ih_l" + k,
            new Parameter(Tensor.zeros(gates * hiddenSize)));
        biasHh[k] = registerParameter("bias_hh_l" + k,
            new Parameter(Tensor.zeros(gates * hiddenSize)));
      }
    }
    // PyTorch draws every parameter from the same uniform, in registration order.
    for (Parameter parameter : parameters()) {
      Init.uniform(parameter.value(), bound, random);
    }
  }

  /** The width of layer k's input. */
  final int inputWidth(int layer) {
    return layer == 0 ? inputSize : hiddenSize;
  }

  /** {@code weight_ih_l{layer}}, {@code [G·H, in]}. */
  public Parameter weightIh(int layer) {
    return weightIh[layer];
  }

  /** {@code weight_hh_l{layer}}, {@code [G·H, H]}. */
  public Parameter weightHh(int layer) {
    return weightHh[layer];
  }

  /** {@code bias_ih_l{layer}}, {@code [G·H]}, or null without bias. */
  public Parameter biasIh(int layer) {
    return biasIh == null ? null : biasIh[layer];
  }

  /** {@code bias_hh_l{layer}}, {@code [G·H]}, or null without bias. */
  public Parameter biasHh(int layer) {
    return biasHh == null ? null : biasHh[layer];
  }

  /** The last forward's final hidden states h_n, {@code [num_layers, N, H]}. */
  public Tensor hn() {
    requireForward();
    return hn;
  }

  /** The last backward's gradient with respect to h0, {@code [num_layers, N, H]}. */
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

  /** Step t of every sequence: the pointwise cell, reading gate pre-activations in place. */
  abstract void cellForward(int layer, int t);

  /**
   * Step t backwards: from {@code gradHidden} (which already includes the output gradient of step
   * t) and, for LSTM, {@code gradCell}, writes the pre-activation gate gradients of step t to
   * {@code gradGates} at {@code gOff}; for LSTM it also leaves dL/dc_{t-1} in {@code gradCell}.
   */
  abstract void cellBackward(int layer, int t, float[] gradGates, int gOff);

  /** Runs the layers over {@code x} from states h0 and c0 (null: zeros); returns the output. */
  final Tensor run(Tensor x, Tensor h0, Tensor c0) {
    checkInput(x);
    int n = batchFirst ? x.size(0) : x.size(1);
    checkState("h0", h0, n);
    checkState("c0", c0, n);
    steps = batchFirst ? x.size(1) : x.size(0);
    batch = n;
    reserve();

    layerInput = timeMajor(x);
    int inOff = 0;
    for (int k = 0; k < numLayers; k++) {
      startStates(k, h0, c0);
      runLayer(k, layerInput, inOff);
      layerInput = hidden[k];
      inOff = batch * hiddenSize;
    }
    layerInput = timeMajorOrInput(x);
    return collectOutputs();
  }

  private void runLayer(int k, float[] in, int inOff) {
    int width = inputWidth(k);
    int rows = steps * batch;
    int gh = gates * hiddenSize;
    float[] g = gateValues[k];
    Blas.sgemm(false, true, rows, gh, width, 1f, in, inOff, width,
        weightIh[k].value().data(), 0, width, 0f, g, 0, gh);
    if (biasIh != null) {
      Bias.addToRows(g, 0, rows, gh, biasIh[k].value().data(), 0);
      Bias.addToRows(g, 0, rows, gh, biasHh[k].value().data(), 0);
    }

    float[] whh = weightHh[k].value().data();
    for (int t = 0; t < steps; t++) {
      Blas.sgemm(false, true, batch, gh, hiddenSize, 1f, hidden[k], t * batch * hiddenSize,
          hiddenSize, whh, 0, hiddenSize, 1f, g, t * batch * gh, gh);
      cellForward(k, t);
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
    gradH0 = Shapes.reuse(gradH0, numLayers, batch, hiddenSize);
    gradC0 = hasCell ? Shapes.reuse(gradC0, numLayers, batch, hiddenSize) : null;

    int stateSize = batch * hiddenSize;
    float[] gradAbove = topGradient(gradOutput);
    for (int k = numLayers - 1; k >= 0; k--) {
      startStateGradients(k, gradHn, gradCn);
      backwardThroughTime(k, gradAbove);
      System.arraycopy(gradHidden, 0, gradH0.data(), k * stateSize, stateSize);
      if (hasCell) {
        System.arraycopy(gradCell, 0, gradC0.data(), k * stateSize, stateSize);
      }
      accumulateWeightGradients(k);
      if (k > 0) {
        gradAbove = gradientBelow(k, gradLayer);
      }
    }
    if (!isInputGradientNeeded()) {
      return null;
    }
    return inputGradient();
  }

  private void backwardThroughTime(int k, float[] gradAbove) {
    int gh = gates * hiddenSize;
    int stateSize = batch * hiddenSize;
    float[] whh = weightHh[k].value().data();
    for (int t = steps - 1; t >= 0; t--) {
      if (gradAbove != null) {
        for (int i = 0; i < stateSize; i++) {
          gradHidden[i] += gradAbove[t * stateSize + i];
        }
      }
      cellBackward(k, t, gradGates, t * batch * gh);
      Blas.sgemm(false, false, batch, hiddenSize, gh, 1f, gradGates, t * batch * gh, gh, whh, 0,
          hiddenSize, 0f, gradHidden, 0, hiddenSize);
    }
  }

  private void accumulateWeightGradients(int k) {
    int width = inputWidth(k);
    int rows = steps * batch;
    int gh = gates * hiddenSize;
    float[] in = k == 0 ? layerInput : hidden[k - 1];
    int inOff = k == 0 ? 0 : batch * hiddenSize;

    Blas.sgemm(true, false, gh, width, rows, 1f, gradGates, 0, gh, in, inOff, width, 1f,
        weightIh[k].grad().data(), 0, width);
    // h_{t-1} for t = 0..L-1 are the first L blocks of the hidden array (h0 first).
    Blas.sgemm(true, false, gh, hiddenSize, rows, 1f, gradGates, 0, gh, hidden[k], 0,
        hiddenSize, 1f, weightHh[k].grad().data(), 0, hiddenSize);
    if (biasIh != null) {
      Bias.accumulateRowSums(gradGates, 0, rows, gh, biasIh[k].grad().data(), 0);
      Bias.accumulateRowSums(gradGates, 0, rows, gh, biasHh[k].grad().data(), 0);
    }
  }

  /** dL/d(input of layer k) = dG · W_ih, time-major, into {@code target}. */
  private float[] gradientBelow(int k, float[] target) {
    int width = inputWidth(k);
    int gh = gates * hiddenSize;
    Blas.sgemm(false, false, steps * batch, width, gh, 1f, gradGates, 0, gh,
        weightIh[k].value().data(), 0, width, 0f, target, 0, width);
    return target;
  }

  private Tensor inputGradient() {
    int[] shape = batchFirst ? new int[] {batch, steps, inputSize}
        : new int[] {steps, batch, inputSize};
    gradInput = Shapes.reuse(gradInput, shape);
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
    transpose(gradOutput.data(), gradLayer, batch, steps, hiddenSize);
    return gradLayer;
  }

  private void startStates(int k, Tensor h0, Tensor c0) {
    int stateSize = batch * hiddenSize;
    copyOrZero(h0, k * stateSize, hidden[k], stateSize);
    if (hasCell) {
      copyOrZero(c0, k * stateSize, cell[k], stateSize);
    }
  }

  private void startStateGradients(int k, Tensor gradHn, Tensor gradCn) {
    int stateSize = batch * hiddenSize;
    copyOrZero(gradHn, k * stateSize, gradHidden, stateSize);
    if (hasCell) {
      copyOrZero(gradCn, k * stateSize, gradCell, stateSize);
    }
  }

  private static void copyOrZero(Tensor source, int from, float[] target, int size) {
    if (source == null) {
      java.util.Arrays.fill(target, 0, size, 0f);
    } else {
      System.arraycopy(source.data(), from, target, 0, size);
    }
  }

  private Tensor collectOutputs() {
    int stateSize = batch * hiddenSize;
    int[] shape = batchFirst ? new int[] {batch, steps, hiddenSize}
        : new int[] {steps, batch, hiddenSize};
    output = Shapes.reuse(output, shape);
    float[] top = hidden[numLayers - 1];
    if (batchFirst) {
      transposeFrom(top, stateSize, output.data(), steps, batch, hiddenSize);
    } else {
      System.arraycopy(top, stateSize, output.data(), 0, steps * stateSize);
    }

    hn = Shapes.reuse(hn, numLayers, batch, hiddenSize);
    cn = hasCell ? Shapes.reuse(cn, numLayers, batch, hiddenSize) : null;
    for (int k = 0; k < numLayers; k++) {
      System.arraycopy(hidden[k], steps * stateSize, hn.data(), k * stateSize, stateSize);
      if (hasCell) {
        System.arraycopy(cell[k], steps * stateSize, cn.data(), k * stateSize, stateSize);
      }
    }
    return output;
  }

  private float[] timeMajor(Tensor x) {
    if (!batchFirst) {
      return x.data();
    }
    transpose(x.data(), timeMajorInput, batch, steps, inputSize);
    return timeMajorInput;
  }

  private float[] timeMajorOrInput(Tensor x) {
    return batchFirst ? timeMajorInput : x.data();
  }

  /** {@code [a, b, w]} to {@code [b, a, w]}. */
  private static void transpose(float[] from, float[] to, int a, int b, int w) {
    transposeFrom(from, 0, to, a, b, w);
  }

  private static void transposeFrom(float[] from, int off, float[] to, int a, int b, int w) {
    for (int i = 0; i < a; i++) {
      for (int j = 0; j < b; j++) {
        System.arraycopy(from, off + (i * b + j) * w, to, (j * a + i) * w, w);
      }
    }
  }

  /** Grows the per-layer arrays and workspaces to this batch; they are kept between calls. */
  private void reserve() {
    int rows = steps * batch;
    int gh = gates * hiddenSize;
    long states = (long) (steps + 1) * batch * hiddenSize;
    long gateCount = (long) rows * gh;
    if (states > Integer.MAX_VALUE || gateCount > Integer.MAX_VALUE
        || (long) rows * inputSize > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + ": " + steps + " steps of " + batch
          + " sequences need arrays beyond the largest Java array");
    }
    for (int k = 0; k < numLayers; k++) {
      hidden[k] = grow(hidden[k], (int) states);
      gateValues[k] = grow(gateValues[k], (int) gateCount);
      if (hasCell) {
        cell[k] = grow(cell[k], (int) states);
        cellTanh[k] = grow(cellTanh[k], rows * hiddenSize);
      }
    }
    gradGates = grow(gradGates, (int) gateCount);
    gradLayer = grow(gradLayer, rows * hiddenSize);
    if (batchFirst) {
      timeMajorInput = grow(timeMajorInput, rows * inputSize);
      gradTimeMajor = grow(gradTimeMajor, rows * inputSize);
    }
    gradHidden = grow(gradHidden, batch * hiddenSize);
    gradCell = hasCell ? grow(gradCell, batch * hiddenSize) : gradCell;
  }

  static float[] grow(float[] array, int size) {
    return array.length >= size ? array : new float[size];
  }

  private void checkInput(Tensor x) {
    Objects.requireNonNull(x, name + " input");
    if (x.rank() != 3 || x.size(2) != inputSize || x.size(0) < 1 || x.size(1) < 1) {
      throw new IllegalArgumentException(name + ": input shape " + x.shapeString()
          + ", expected " + (batchFirst ? "[N, L, " : "[L, N, ") + inputSize
          + "] with L, N >= 1");
    }
  }

  private void checkState(String what, Tensor state, int n) {
    if (state != null && !state.hasShape(numLayers, n, hiddenSize)) {
      throw new IllegalArgumentException(name + ": " + what + " shape " + state.shapeString()
          + ", expected [" + numLayers + ", " + n + ", " + hiddenSize + "]");
    }
  }

  private void checkStateGradient(String what, Tensor grad) {
    if (grad != null && !grad.hasShape(numLayers, batch, hiddenSize)) {
      throw new IllegalArgumentException(name + ": " + what + " shape " + grad.shapeString()
          + ", expected [" + numLayers + ", " + batch + ", " + hiddenSize + "]");
    }
  }

  private void requireForward() {
    if (steps < 0) {
      throw new IllegalStateException(name + ": forward has not run");
    }
  }

  @Override
  protected String extraRepr() {
    return inputSize + ", " + hiddenSize + (numLayers > 1 ? ", num_layers=" + numLayers : "")
        + (biasIh == null ? ", bias=False" : "") + (batchFirst ? ", batch_first=True" : "");
  }
}
