package dev.nonlinear.nn;

/**
 * {@code exp(x) / Σ exp(x)} over the last dimension, as PyTorch's {@code nn.Softmax(dim=-1)}
 * (only the last dimension: see {@link RowwiseActivation}). The gradient works from the output,
 * {@code y ⊙ (gradY − Σ gradY·y)} per row.
 */
public final class Softmax extends RowwiseActivation {

  /** Over the last dimension, {@code dim = -1}. */
  public Softmax() {
    this(-1);
  }

  /** Over {@code dim}, which must name the input's last dimension ({@code -1} or rank − 1). */
  public Softmax(int dim) {
    super(dim);
  }

  @Override
  public Softmax inferenceCopy() {
    return inferenceMode(new Softmax(dim()));
  }

  @Override
  void activateRows(float[] x, float[] y, int rows, int cols) {
    dev.nonlinear.kernel.Softmax.softmax(x, 0, y, 0, rows, cols);
  }

  @Override
  void gradientRows(float[] y, float[] gradY, float[] gradX, int rows, int cols) {
    dev.nonlinear.kernel.Softmax.softmaxBackward(y, 0, gradY, 0, gradX, 0, rows, cols);
  }
}
