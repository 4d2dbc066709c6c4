package dev.nonlinear.nn;

import dev.nonlinear.tensor.Tensor;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Inverted dropout, as PyTorch's {@code nn.Dropout(p)}: in training mode each element is zeroed
 * with probability p and the others are scaled by 1/(1 − p), a fresh mask per forward; in
 * evaluation mode (and for p = 0) the layer is the identity. With p = 1 every element becomes
 * x·0 (0, or NaN for a NaN or infinite x, as in PyTorch).
 *
 * <p>The backward pass multiplies the gradient by the mask of the last forward. When that
 * forward was the identity, forward returns its input tensor itself and backward its gradient
 * itself, with nothing copied.
 *
 * <p>Masks come from a generator of the layer's own, seeded when the layer is built (from
 * {@link Init#defaultGenerator()} unless one is given), so a run seeded with
 * {@link Init#manualSeed(long)} drops the same elements every time. The masks are not
 * PyTorch's for the same seed: the generators differ.
 */
public final class Dropout extends Module {

  /** The seed of a copy's own generator, used only if the copy is put in training mode. */
  static final long COPY_SEED = 0xd40b0a7L;

  private final float p;
  /** Package-private so that tests can fix the mask a forward draws. */
  RandomGenerator random;

  private Tensor input;
  private boolean dropped;
  private float[] mask = new float[0];
  private Tensor output;
  private Tensor gradInput;

  /** PyTorch's default, p = 0.5. */
  public Dropout() {
    this(0.5f);
  }

  /**
   * Drops with probability {@code p}, masks seeded from {@link Init#defaultGenerator()}.
   *
   * @throws IllegalArgumentException if {@code p} is not in [0, 1]
   */
  public Dropout(float p) {
    this(p, Init.defaultGenerator());
  }

  /**
   * Drops with probability {@code p}, masks from a generator seeded once from {@code random}.
   *
   * @throws IllegalArgumentException if {@code p} is not in [0, 1]
   */
  public Dropout(float p, RandomGenerator random) {
    this.p = DropoutMask.probability("p", p);
    this.random = DropoutMask.generator(Objects.requireNonNull(random, "random"));
  }

  /** A layer of {@code source}'s p, with a generator of its own (see {@link #inferenceCopy}). */
  private Dropout(Dropout source) {
    this.p = source.p;
    this.random = new SplittableRandom(COPY_SEED);
  }

  @Override
  public Dropout inferenceCopy() {
    return inferenceMode(new Dropout(this));
  }

  /** The drop probability. */
  public float p() {
    return p;
  }

  @Override
  public Tensor forward(Tensor x) {
    Objects.requireNonNull(x, "Dropout input");
    input = x;
    dropped = isTraining() && p > 0f;
    if (!dropped) {
      return x;
    }

    int n = x.numel();
    if (mask.length < n) {
      mask = new float[n];
    }
    DropoutMask.fill(random, p, mask, n);
    output = Shapes.reuse(output, x.shape());
    DropoutMask.apply(x.data(), 0, mask, output.data(), 0, n);
    return output;
  }

  @Override
  public Tensor backward(Tensor gradOutput) {
    if (input == null) {
      throw backwardBeforeForward();
    }
    Shapes.requireGradient("Dropout", gradOutput, input.shape());
    if (!isInputGradientNeeded()) {
      return null;
    }
    if (!dropped) {
      return gradOutput;
    }
    gradInput = Shapes.reuse(gradInput, input.shape());
    DropoutMask.apply(gradOutput.data(), 0, mask, gradInput.data(), 0, input.numel());
    return gradInput;
  }

  @Override
  protected String extraRepr() {
    return "p=" + p + ", inplace=False";
  }
}
