package dev.nonlinear.cli;

import dev.nonlinear.io.Dataset;
import dev.nonlinear.nn.Module;
import dev.nonlinear.tensor.Tensor;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Mini-batch training and evaluation, as a PyTorch training loop does it: each epoch visits the
 * training set in a fresh random order, in batches (the last one may be smaller, as with
 * {@code drop_last=False}); each batch runs the caller's {@link Step} (forward, loss, backward,
 * optimizer step).
 */
final class Trainer {

  /** Images per forward pass when evaluating: large enough to keep the GEMMs busy. */
  static final int EVAL_BATCH = 250;

  /**
   * One optimisation step on a batch: forward, loss, and (when the loss is finite) backward and
   * an optimizer update. Returns the batch's loss.
   */
  @FunctionalInterface
  interface Step {
    float run(Tensor images, int[] labels);
  }

  /** Receives the batches of {@link #forEachBatch}, in order. */
  @FunctionalInterface
  interface BatchVisitor {
    /** Images {@code from .. from + labels.length} of the set, and their labels. */
    void visit(int from, Tensor images, int[] labels);
  }

  /**
   * What one epoch measured; {@code stepLosses} holds each batch's loss in order (the last
   * batch may be smaller than the others).
   */
  record EpochResult(double meanLoss, double seconds, double imagesPerSecond,
      float[] stepLosses) {}

  /** Thrown when the loss stops being a finite number; says where. */
  static final class DivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DivergedException(String message) {
      super(message);
    }
  }

  /**
   * Stops a run whose loss is no longer a number, naming the epoch and step (the optimizer would
   * otherwise go on printing NaN). The message is built only when it is thrown: these checks
   * run on every step.
   *
   * @throws DivergedException if {@code loss} is NaN or infinite
   */
  static void requireFinite(float loss, ProgressBar bar, int epoch, int step, int steps) {
    if (!Float.isFinite(loss)) {
      throw diverged(loss, bar, String.format(Locale.ROOT, "epoch %d, step %d of %d", epoch,
          step, steps));
    }
  }

  /** As {@link #requireFinite(float, ProgressBar, int, int, int)} for a run without epochs. */
  static void requireFinite(float loss, ProgressBar bar, int step, int steps) {
    if (!Float.isFinite(loss)) {
      throw diverged(loss, bar, "step " + step + " of " + steps);
    }
  }

  private static DivergedException diverged(float loss, ProgressBar bar, String where) {
    bar.abandon();
    return new DivergedException(String.format(Locale.ROOT, "the loss became %s at %s: "
        + "training diverged; try a smaller --lr", loss, where));
  }

  private final Module model;
  private final Step step;
  private final int batchSize;
  private final SplittableRandom shuffler;
  private final PrintWriter out;
  private final boolean terminal;

  /**
   * A trainer of {@code model} (put in training mode for each epoch) by {@code step};
   * {@code seed} drives the shuffling, and progress goes to {@code out} (drawn in place when
   * {@code terminal}).
   */
  Trainer(Module model, Step step, int batchSize, long seed, PrintWriter out,
      boolean terminal) {
    this.model = model;
    this.step = step;
    this.batchSize = batchSize;
    this.shuffler = new SplittableRandom(seed);
    this.out = out;
    this.terminal = terminal;
  }

  /**
   * One pass over {@code data} in a new random order.
   *
   * @throws DivergedException when a batch's loss is NaN or infinite, naming epoch and step
   */
  EpochResult trainEpoch(Dataset data, int epoch, int epochs) {
    model.train();
    int n = data.size();
    int batch = Math.min(batchSize, n);
    int steps = (n + batch - 1) / batch;
    int[] order = shuffledOrder(n);
    Batch full = new Batch(batch, data);
    Batch tail = n % batch == 0 ? full : new Batch(n % batch, data);
    String label = String.format(Locale.ROOT, "epoch %" + Integer.toString(epochs).length()
        + "d/%d", epoch, epochs);
    ProgressBar bar = new ProgressBar(out, label, steps, terminal, System::nanoTime);

    float[] stepLosses = new float[steps];
    double lossSum = 0;
    long seen = 0;
    for (int index = 0; index < steps; index++) {
      Batch current = index == steps - 1 ? tail : full;
      data.gather(order, index * batch, current.count, current.images.data(), current.labels);
      float batchLoss = step.run(current.images, current.labels);
      requireFinite(batchLoss, bar, epoch, index + 1, steps);
      stepLosses[index] = batchLoss;
      lossSum += (double) batchLoss * current.count;
      seen += current.count;
      double speed = seen / Math.max(1e-9, bar.elapsedSeconds());
      bar.update(index + 1, String.format(Locale.ROOT, "loss %.4f  %,.0f img/s", lossSum / seen,
          speed));
    }
    double seconds = bar.elapsedSeconds();
    return new EpochResult(lossSum / n, seconds, n / seconds, stepLosses);
  }

  /**
   * Hands {@code data} to {@code visitor} in order, in batches of {@link #EVAL_BATCH} (the last
   * may be smaller). The batch tensors are reused: copy what must outlive the call.
   */
  static void forEachBatch(Dataset data, BatchVisitor visitor) {
    int n = data.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Batch full = new Batch(Math.min(EVAL_BATCH, n), data);
    Batch tail = n % EVAL_BATCH == 0 ? full : new Batch(n % EVAL_BATCH, data);
    for (int from = 0; from < n; from += EVAL_BATCH) {
      Batch batch = from + EVAL_BATCH >= n ? tail : full;
      data.gather(order, from, batch.count, batch.images.data(), batch.labels);
      visitor.visit(from, batch.images, batch.labels);
    }
  }

  /** A Fisher–Yates shuffle of 0..n-1 from the trainer's generator. */
  private int[] shuffledOrder(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = shuffler.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }

  /** Reused arrays for batches of one size. */
  private static final class Batch {
    final int count;
    final Tensor images;
    final int[] labels;

    Batch(int count, Dataset data) {
      int[] shape = data.images().shape();
      shape[0] = count;
      this.count = count;
      this.images = Tensor.zeros(shape);
      this.labels = new int[count];
    }
  }
}
