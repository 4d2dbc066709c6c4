package dev.nonlinear.cli;

import dev.nonlinear.io.Dataset;
import dev.nonlinear.nn.CrossEntropyLoss;
import dev.nonlinear.nn.Module;
import dev.nonlinear.nn.SGD;
import dev.nonlinear.tensor.Tensor;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Mini-batch training and evaluation of a classifier, as a PyTorch training loop does it: each
 * epoch visits the training set in a fresh random order, in batches (the last one may be
 * smaller, as with {@code drop_last=False}); each batch runs forward, the cross-entropy loss,
 * backward and an optimizer step.
 */
final class Trainer {

  /** Images per forward pass when evaluating: large enough to keep the GEMMs busy. */
  static final int EVAL_BATCH = 250;

  /** What one epoch measured. */
  record EpochResult(double meanLoss, double seconds, double imagesPerSecond) {}

  /** Thrown when the loss stops being a finite number; says where. */
  static final class DivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DivergedException(String message) {
      super(message);
    }
  }

  private final Module model;
  private final CrossEntropyLoss loss = new CrossEntropyLoss();
  private final SGD optimizer;
  private final int batchSize;
  private final SplittableRandom shuffler;
  private final PrintWriter out;
  private final boolean terminal;

  /**
   * A trainer of {@code model} with {@code optimizer}; {@code seed} drives the shuffling, and
   * progress goes to {@code out} (drawn in place when {@code terminal}).
   */
  Trainer(Module model, SGD optimizer, int batchSize, long seed, PrintWriter out,
      boolean terminal) {
    this.model = model;
    this.optimizer = optimizer;
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

    double lossSum = 0;
    long seen = 0;
    for (int step = 0; step < steps; step++) {
      Batch current = step == steps - 1 ? tail : full;
      data.gather(order, step * batch, current.count, current.images.data(), current.labels);
      float batchLoss = trainStep(current);
      if (!Float.isFinite(batchLoss)) {
        bar.abandon();
        throw new DivergedException(String.format(Locale.ROOT, "the loss became %s at epoch %d,"
            + " step %d of %d: training diverged; try a smaller --lr", batchLoss, epoch,
            step + 1, steps));
      }
      lossSum += (double) batchLoss * current.count;
      seen += current.count;
      double speed = seen / Math.max(1e-9, bar.elapsedSeconds());
      bar.update(step + 1, String.format(Locale.ROOT, "loss %.4f  %,.0f img/s", lossSum / seen,
          speed));
    }
    double seconds = bar.elapsedSeconds();
    return new EpochResult(lossSum / n, seconds, n / seconds);
  }

  /** The number of images of {@code data} whose highest logit is their label. */
  int countCorrect(Dataset data) {
    model.eval();
    int n = data.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Batch full = new Batch(Math.min(EVAL_BATCH, n), data);
    Batch tail = n % EVAL_BATCH == 0 ? full : new Batch(n % EVAL_BATCH, data);
    int correct = 0;
    for (int from = 0; from < n; from += EVAL_BATCH) {
      Batch batch = from + EVAL_BATCH >= n ? tail : full;
      data.gather(order, from, batch.count, batch.images.data(), batch.labels);
      Tensor logits = model.forward(batch.images);
      correct += countArgmaxHits(logits, batch.labels);
    }
    return correct;
  }

  private float trainStep(Batch batch) {
    Tensor logits = model.forward(batch.images);
    float batchLoss = loss.forward(logits, batch.labels);
    if (!Float.isFinite(batchLoss)) {
      return batchLoss;
    }
    optimizer.zeroGrad();
    model.backward(loss.backward());
    optimizer.step();
    return batchLoss;
  }

  /** Rows whose largest logit sits at the label; a row holding NaN counts as wrong. */
  private static int countArgmaxHits(Tensor logits, int[] labels) {
    float[] values = logits.data();
    int classes = logits.size(1);
    int hits = 0;
    for (int row = 0; row < labels.length; row++) {
      int off = row * classes;
      int best = 0;
      boolean hasNaN = false;
      for (int c = 0; c < classes; c++) {
        hasNaN |= Float.isNaN(values[off + c]);
        if (values[off + c] > values[off + best]) {
          best = c;
        }
      }
      if (!hasNaN && best == labels[row]) {
        hits++;
      }
    }
    return hits;
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
