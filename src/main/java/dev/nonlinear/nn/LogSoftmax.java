package dev.nonlinear.nn;

/**
 * {@code x − log Σ exp(x)} over the last dimension, as PyTorch's {@code nn.LogSoftmax(dim=-1)}
 * (only the last dimension: see {@link RowwiseActivation}). The gradient works from the output,
 * {@code gradY − exp(y) Σ gradY} per row.
 */
public final class LogSoftmax extends RowwiseActivation {

  /** Over the last dimension, {@code dim = -1}. */
  public LogSoftmax() {
    this(-1);
  }

  /** Over {@code dim}, which must name the input's last dimension ({@code -1} or rank − 1). */
  public LogSoftmax(int dim) {
    super(dim);
  }

  @Override
  public LogSoftmax inferenceCopy() {
    return inferenceMode(new LogSoftmax(dim()));
  }

  @Override
  void activateRows(float[] x, float[] y, int rows, int cols) {
    dev.nonlinear.kernel.Softmax.logSoftmax(x, 0, y, 0, rows, cols);
  }

  @Override
  void gradientRows(float[] y, float[] gradY, float[] gradX, int rows, int cols) {
    dev.nonlinear.kernel.Softmax.logSoftmaxBackward(y, 0, gradY, 0, gradX, 0, rows, cols);
  }
}
