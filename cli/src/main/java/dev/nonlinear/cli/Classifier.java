package dev.nonlinear.cli;

import dev.nonlinear.io.Dataset;
import dev.nonlinear.nn.CrossEntropyLoss;
import dev.nonlinear.nn.Module;
import dev.nonlinear.nn.SGD;
import dev.nonlinear.tensor.Tensor;

/**
 * A network that maps images to class logits: its training step, its predictions on a set and
 * the counts made from them (accuracy, confusion matrix), shared by {@code train} and
 * {@code evaluate} so that both report the same numbers for the same weights.
 */
final class Classifier {

  /** The prediction for an image whose logits hold a NaN: no class. */
  static final int NO_CLASS = -1;

  private Classifier() {}

  /** A training step of {@code model}: cross-entropy on its logits, then an SGD update. */
  static Trainer.Step sgdStep(Module model, SGD optimizer) {
    CrossEntropyLoss loss = new CrossEntropyLoss();
    return (images, labels) -> {
      float batchLoss = loss.forward(model.forward(images), labels);
      if (Float.isFinite(batchLoss)) {
        optimizer.zeroGrad();
        model.backward(loss.backward());
        optimizer.step();
      }
      return batchLoss;
    };
  }

  /**
   * The class of highest logit for each image of {@code data}, in order, with {@code model} in
   * evaluation mode; {@link #NO_CLASS} where the logits hold a NaN.
   */
  static int[] predictions(Module model, Dataset data) {
    model.eval();
    int[] predicted = new int[data.size()];
    Trainer.forEachBatch(data, (from, images, labels) -> {
      Tensor logits = model.forward(images);
      for (int row = 0; row < labels.length; row++) {
        predicted[from + row] = argmax(logits, row);
      }
    });
    return predicted;
  }

  /** The column of the largest logit in {@code row}; the first on ties; NO_CLASS with a NaN. */
  static int argmax(Tensor logits, int row) {
    float[] values = logits.data();
    int classes = logits.size(1);
    int off = row * classes;
    int best = 0;
    for (int c = 0; c < classes; c++) {
      if (Float.isNaN(values[off + c])) {
        return NO_CLASS;
      }
      if (values[off + c] > values[off + best]) {
        best = c;
      }
    }
    return best;
  }

  /** How many predictions equal their label. */
  static int countCorrect(int[] predictions, int[] labels) {
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      if (predictions[i] == labels[i]) {
        correct++;
      }
    }
    return correct;
  }

  /**
   * {@code counts[label][predicted]}: how many images of each class went to each class. Images
   * without a prediction ({@link #NO_CLASS}) are left out.
   */
  static int[][] confusionMatrix(int[] predictions, int[] labels, int classes) {
    int[][] counts = new int[classes][classes];
    for (int i = 0; i < labels.length; i++) {
      if (predictions[i] != NO_CLASS) {
        counts[labels[i]][predictions[i]]++;
      }
    }
    return counts;
  }
}
