package dev.nonlinear.cli;

import dev.nonlinear.nn.Embedding;
import dev.nonlinear.nn.Init;
import dev.nonlinear.nn.LSTM;
import dev.nonlinear.nn.Linear;
import dev.nonlinear.nn.Module;
import dev.nonlinear.nn.Sigmoid;
import dev.nonlinear.tensor.Tensor;
import java.util.Objects;

/**
 * Embedding → LSTM → Linear → Sigmoid over padded sentences: the probability that each is
 * positive. Input: word indices {@code [N, L]} (float-coded, as {@link Embedding} takes them),
 * right-padded with {@link SentimentData#PAD}; output {@code [N, 1]}.
 *
 * <p>The Linear layer reads the LSTM's hidden state at each sentence's last word, not at step
 * L: the padding after a short sentence would otherwise run through the LSTM and change its
 * state (PyTorch does the same with {@code pack_padded_sequence}, or by indexing the output as
 * here). Parameters are named as in a PyTorch module with attributes {@code embedding},
 * {@code lstm} and {@code fc}.
 */
final class SentimentNetwork extends Module {

  private final Embedding embedding;
  private final LSTM lstm;
  private final Linear fc;
  private final Sigmoid sigmoid = new Sigmoid();
  private final int hiddenSize;

  private int[] lastSteps = new int[0];
  private int batch;
  private int steps;

  /** A network over {@code vocabulary} indices, initialised from {@link Init}'s generator. */
  SentimentNetwork(int vocabulary, int embeddingDim, int hiddenSize) {
    this.hiddenSize = hiddenSize;
    embedding = registerModule("embedding", new Embedding(vocabulary, embeddingDim,
        SentimentData.PAD, Init.defaultGenerator()));
    lstm = registerModule("lstm", new LSTM(embeddingDim, hiddenSize, 1, true, true,
        Init.defaultGenerator()));
    fc = registerModule("fc", new Linear(hiddenSize, 1));
  }

  @Override
  public Tensor forward(Tensor words) {
    Objects.requireNonNull(words, "words");
    if (words.rank() != 2 || words.size(0) < 1 || words.size(1) < 1) {
      throw new IllegalArgumentException("SentimentNetwork: input shape " + words.shapeString()
          + ", expected [N, L] word indices with N, L >= 1");
    }
    batch = words.size(0);
    steps = words.size(1);
    lastSteps = findLastWords(words);

    Tensor hidden = lstm.forward(embedding.forward(words));
    Tensor last = Tensor.zeros(batch, hiddenSize);
    for (int n = 0; n < batch; n++) {
      System.arraycopy(hidden.data(), (n * steps + lastSteps[n]) * hiddenSize, last.data(),
          n * hiddenSize, hiddenSize);
    }
    return sigmoid.forward(fc.forward(last));
  }

  /** Accumulates every parameter's gradient; word indices have none, so returns null. */
  @Override
  public Tensor backward(Tensor gradProbabilities) {
    if (steps == 0) {
      throw backwardBeforeForward();
    }
    Tensor gradLast = fc.backward(sigmoid.backward(gradProbabilities));
    Tensor gradHidden = Tensor.zeros(batch, steps, hiddenSize);
    for (int n = 0; n < batch; n++) {
      System.arraycopy(gradLast.data(), n * hiddenSize, gradHidden.data(),
          (n * steps + lastSteps[n]) * hiddenSize, hiddenSize);
    }
    embedding.backward(lstm.backward(gradHidden));
    return null;
  }

  /** The position of each row's last word: the step before its padding starts. */
  private static int[] findLastWords(Tensor words) {
    int rows = words.size(0);
    int steps = words.size(1);
    int[] last = new int[rows];
    for (int n = 0; n < rows; n++) {
      int length = steps;
      while (length > 1 && words.data()[n * steps + length - 1] == SentimentData.PAD) {
        length--;
      }
      last[n] = length - 1;
    }
    return last;
  }
}
