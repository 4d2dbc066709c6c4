package dev.nonlinear.nn;

import dev.nonlinear.tensor.Tensor;
import java.util.Objects;

/**
 * Merges dimensions {@code startDim..endDim} into one, as PyTorch's {@code nn.Flatten} (default
 * 1 to -1: {@code [N, C, H, W]} becomes {@code [N, C·H·W]}). A view: nothing is copied.
 */
public final class Flatten extends Module {

  private final int startDim;
  private final int endDim;
  private int[] inputShape;
  private int[] outputShape;

  /** {@code nn.Flatten()}: keeps the batch dimension. */
  public Flatten() {
    this(1, -1);
  }

  /** Flattens dimensions {@code startDim..endDim}; negative values count from the end. */
  public Flatten(int startDim, int endDim) {
    this.startDim = startDim;
    this.endDim = endDim;
  }

  @Override
  public Flatten inferenceCopy() {
    return inferenceMode(new Flatten(startDim, endDim));
  }

  @Override
  public Tensor forward(Tensor x) {
    Objects.requireNonNull(x, "Flatten input");
    int rank = x.rank();
    int start = startDim < 0 ? startDim + rank : startDim;
    int end = endDim < 0 ? endDim + rank : endDim;
    if (start < 0 || end >= rank || start > end) {
      throw new IllegalArgumentException("Flatten(" + startDim + ", " + endDim
          + "): dimensions out of range for input shape " + x.shapeString());
    }
    int[] shape = x.shape();
    int[] flat = new int[rank - (end - start)];
    System.arraycopy(shape, 0, flat, 0, start);
    long merged = 1;
    for (int d = start; d <= end; d++) {
      merged *= shape[d];
    }
    flat[start] = (int) merged;
    System.arraycopy(shape, end + 1, flat, start + 1, rank - end - 1);
    inputShape = shape;
    outputShape = flat;
    return x.reshape(flat);
  }

  @Override
  public Tensor backward(Tensor gradOutput) {
    if (inputShape == null) {
      throw backwardBeforeForward();
    }
    Objects.requireNonNull(gradOutput, "Flatten gradOutput");
    Shapes.requireGradient("Flatten", gradOutput, outputShape);
    return isInputGradientNeeded() ? gradOutput.reshape(inputShape) : null;
  }

  @Override
  protected String extraRepr() {
    return "start_dim=" + startDim + ", end_dim=" + endDim;
  }
}
