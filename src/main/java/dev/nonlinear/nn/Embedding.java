package dev.nonlinear.nn;

import dev.nonlinear.kernel.Checks;
import dev.nonlinear.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A lookup table of learned vectors, as PyTorch's {@code nn.Embedding}: weight
 * {@code [num_embeddings, embedding_dim]}; indices of any shape {@code [*]} give
 * {@code [*, embedding_dim]}.
 *
 * <p>Indices are integers, and a {@link Tensor} holds floats, so there are two doors:
 * {@link #forward(int[], int...)} takes the indices as an {@code int[]} with their shape, and
 * {@link #forward(Tensor)} takes float-coded indices (as a data loader would give them) and
 * rejects any value that is not an exact integer. Both check every index against
 * [0, num_embeddings) before anything is written.
 *
 * <p>Indices have no gradient: {@link #backward(Tensor)} accumulates the weight gradient (a row
 * per index, summed where an index repeats) and always returns null. The row {@code padding_idx},
 * when set, starts at zero and never receives a gradient, so training leaves it where it is.
 */
public final class Embedding extends Module {

  private final int numEmbeddings;
  private final int embeddingDim;
  private final int paddingIdx;
  private final Parameter weight;

  private int[] indices = new int[0];
  private int[] decoded = new int[0];
  private int count = -1;
  private Tensor output;

  /** A table without padding row, initialised from {@link Init#defaultGenerator()}. */
  public Embedding(int numEmbeddings, int embeddingDim) {
    this(numEmbeddings, embeddingDim, null, Init.defaultGenerator());
  }

  /**
   * A table initialised as PyTorch does, N(0, 1) from {@code random}, with row
   * {@code paddingIdx} (when not null) set to zero. As in PyTorch a negative {@code paddingIdx}
   * counts from the end.
   *
   * @throws IllegalArgumentException if a size is not positive or {@code paddingIdx} is outside
   *     [-num_embeddings, num_embeddings)
   */
  public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx,
      RandomGenerator random) {
    this.numEmbeddings = Checks.positive("numEmbeddings", numEmbeddings);
    this.embeddingDim = Checks.positive("embeddingDim", embeddingDim);
    Checks.product("numEmbeddings * embeddingDim", numEmbeddings, embeddingDim);
    Objects.requireNonNull(random, "random");
    this.paddingIdx = paddingIdx == null ? -1 : normalisedPadding(paddingIdx);

    this.weight = registerParameter("weight", new Parameter(Tensor.zeros(numEmbeddings,
        embeddingDim)));
    Init.normal(weight.value(), 0, 1, random);
    if (this.paddingIdx >= 0) {
      Arrays.fill(weight.value().data(), this.paddingIdx * embeddingDim,
          (this.paddingIdx + 1) * embeddingDim, 0f);
    }
  }

  /** A table over {@code source}'s weight, with workspaces of its own. */
  private Embedding(Embedding source) {
    this.numEmbeddings = source.numEmbeddings;
    this.embeddingDim = source.embeddingDim;
    this.paddingIdx = source.paddingIdx;
    this.weight = registerParameter("weight", source.weight);
  }

  @Override
  public Embedding inferenceCopy() {
    return inferenceMode(new Embedding(this));
  }

  /** The table, {@code [num_embeddings, embedding_dim]}. */
  public Parameter weight() {
    return weight;
  }

  /** The padding row, or -1 when there is none. */
  public int paddingIdx() {
    return paddingIdx;
  }

  /**
   * The rows of the table for float-coded indices of any shape {@code [*]}.
   *
   * @throws IllegalArgumentException if a value is not an integer in [0, num_embeddings)
   */
  @Override
  public Tensor forward(Tensor input) {
    Objects.requireNonNull(input, "Embedding input");
    float[] codes = input.data();
    int[] values = decoded.length == codes.length ? decoded : new int[codes.length];
    for (int i = 0; i < codes.length; i++) {
      float code = codes[i];
      if (code != Math.rint(code) || Math.abs(code) > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("Embedding: input[" + i + "] = " + code
            + ": expected an integer index in [0, " + numEmbeddings + ")");
      }
      values[i] = (int) code;
    }
    decoded = values;
    return forward(values, input.shape());
  }

  /**
   * The rows of the table for {@code indices}, seen with {@code shape} (whose sizes multiply to
   * {@code indices.length}); the output is {@code [shape..., embedding_dim]}. The indices are
   * copied, so the array may be reused before backward.
   *
   * @throws IllegalArgumentException if the shape does not hold {@code indices.length} values
   *     or an index is outside [0, num_embeddings)
   */
  public Tensor forward(int[] indices, int... shape) {
    Objects.requireNonNull(indices, "indices");
    Objects.requireNonNull(shape, "shape");
    int[] outShape = Arrays.copyOf(shape, shape.length + 1);
    outShape[shape.length] = embeddingDim;
    checkShape(indices.length, shape);
    checkIndices(indices);
    Checks.product("indices * embeddingDim", indices.length, embeddingDim);
    output = Shapes.reuse(output, outShape);

    keepIndices(indices);
    float[] table = weight.value().data();
    float[] out = output.data();
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(table, indices[i] * embeddingDim, out, i * embeddingDim, embeddingDim);
    }
    return output;
  }

  /** Adds each output row's gradient to its table row (none to the padding row); returns null. */
  @Override
  public Tensor backward(Tensor gradOutput) {
    if (count < 0) {
      throw backwardBeforeForward();
    }
    Shapes.requireGradient("Embedding", gradOutput, output.shape());
    float[] gy = gradOutput.data();
    float[] gradTable = weight.grad().data();

    for (int i = 0; i < count; i++) {
      int row = indices[i];
      if (row == paddingIdx) {
        continue;
      }
      int from = i * embeddingDim;
      int to = row * embeddingDim;
      for (int j = 0; j < embeddingDim; j++) {
        gradTable[to + j] += gy[from + j];
      }
    }
    return null;
  }

  @Override
  protected String extraRepr() {
    return numEmbeddings + ", " + embeddingDim
        + (paddingIdx >= 0 ? ", padding_idx=" + paddingIdx : "");
  }

  private int normalisedPadding(int index) {
    if (index < -numEmbeddings || index >= numEmbeddings) {
      throw new IllegalArgumentException("paddingIdx = " + index + ": expected a value in ["
          + -numEmbeddings + ", " + numEmbeddings + ")");
    }
    return index < 0 ? index + numEmbeddings : index;
  }

  private static void checkShape(int length, int[] shape) {
    long size = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("Embedding: shape " + Arrays.toString(shape)
            + " has a negative size");
      }
      size *= d;
    }
    if (size != length) {
      throw new IllegalArgumentException("Embedding: shape " + Arrays.toString(shape)
          + " holds " + size + " indices but " + length + " were given");
    }
  }

  private void checkIndices(int[] values) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0 || values[i] >= numEmbeddings) {
        throw new IllegalArgumentException("Embedding: index " + values[i] + " at position " + i
            + " is out of range: expected [0, " + numEmbeddings + ")");
      }
    }
  }

  private void keepIndices(int[] values) {
    if (indices.length < values.length) {
      indices = new int[values.length];
    }
    System.arraycopy(values, 0, indices, 0, values.length);
    count = values.length;
  }
}
