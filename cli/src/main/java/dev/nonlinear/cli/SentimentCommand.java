package dev.nonlinear.cli;

import dev.nonlinear.cli.SentimentData.Example;
import dev.nonlinear.cli.SentimentData.Vocabulary;
import dev.nonlinear.nn.Adam;
import dev.nonlinear.nn.BCELoss;
import dev.nonlinear.nn.Init;
import dev.nonlinear.tensor.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nonlinear sentiment [SENTENCE...]}: trains Embedding → LSTM → Linear → Sigmoid
 * on the generated reviews of {@link SentimentData}, reports training and held-out accuracy, then
 * classifies the sentences given.
 */
@Command(name = "sentiment", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Trains an LSTM sentiment classifier on generated movie reviews, then classifies the "
            + "SENTENCEs given.",
        "Trains Embedding(V, E, padding_idx=0) → LSTM(E, H) → Linear(H, 1) → Sigmoid with "
            + "BCELoss and Adam on short movie reviews made by a seeded template grammar "
            + "(\"the plot was not very good\", \"the cast was dull but the music was great\"), "
            + "reports the accuracy on the training sentences and on held-out ones, then says "
            + "whether each SENTENCE given is positive or negative.",
        "Writes sentiment-loss.csv (epoch, loss, train and test accuracy) to --out."})
final class SentimentCommand implements Callable<Integer> {

  /** The file the per-epoch numbers are written to, in --out. */
  static final String LOSS_FILE = "sentiment-loss.csv";

  @Parameters(arity = "0..*", paramLabel = "SENTENCE", description = "Sentences to classify "
      + "after training (quote each one).")
  List<String> sentences = new ArrayList<>();

  @Option(names = "--epochs", defaultValue = "6", description = "Passes over the training "
      + "sentences (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "32", description = "Sentences per step "
      + "(default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--lr", defaultValue = "0.01", description = "Adam's learning rate "
      + "(default: ${DEFAULT-VALUE}).")
  float learningRate;

  @Option(names = "--embedding", defaultValue = "16", description = "Embedding size E "
      + "(default: ${DEFAULT-VALUE}).")
  int embeddingDim;

  @Option(names = "--hidden", defaultValue = "32", description = "LSTM hidden size H "
      + "(default: ${DEFAULT-VALUE}).")
  int hidden;

  @Option(names = "--train", paramLabel = "N", defaultValue = "600", description = "Training "
      + "sentences to generate (default: ${DEFAULT-VALUE}).")
  int trainCount;

  @Option(names = "--test", paramLabel = "N", defaultValue = "200", description = "Held-out "
      + "sentences to generate, none of them in the training set (default: ${DEFAULT-VALUE}).")
  int testCount;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the sentences, the "
      + "weights and the shuffling (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin
  OutputOptions output;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** One epoch's numbers. */
  record EpochResult(int epoch, double loss, double trainAccuracy, double testAccuracy) {}

  @Override
  public Integer call() throws IOException {
    validate();
    Path folder = output.prepare(spec.commandLine());
    PrintWriter out = spec.commandLine().getOut();
    SentimentData.Split data = SentimentData.generate(seed, trainCount, testCount);
    Vocabulary vocabulary = Vocabulary.of(data.train());
    describeData(data, vocabulary, out);

    Init.manualSeed(seed);
    SentimentNetwork network = new SentimentNetwork(vocabulary.size(), embeddingDim, hidden);
    out.println(network);
    List<EpochResult> results;
    try {
      results = train(network, data, vocabulary, out);
    } catch (Trainer.DivergedException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return Main.EXIT_DIVERGED;
    }
    EpochResult last = results.get(results.size() - 1);
    out.printf(Locale.ROOT, "train accuracy: %.1f%%, test accuracy: %.1f%% on %d held-out "
        + "sentences (chance: 50%%)%n", 100 * last.trainAccuracy(), 100 * last.testAccuracy(),
        data.test().size());
    Path file = writeResults(folder, results);
    out.println("per-epoch numbers: " + file);

    try {
      classifySentences(network, vocabulary, out);
    } catch (Trainer.DivergedException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return Main.EXIT_DIVERGED;
    }
    return CommandLine.ExitCode.OK;
  }

  private void validate() {
    require(epochs >= 1, "--epochs = " + epochs + ": expected at least 1");
    require(batchSize >= 1, "--batch-size = " + batchSize + ": expected at least 1");
    require(learningRate > 0 && Float.isFinite(learningRate), "--lr = " + learningRate
        + ": expected a finite number > 0");
    require(embeddingDim >= 1 && embeddingDim <= 4096, "--embedding = " + embeddingDim
        + ": expected 1 to 4096");
    require(hidden >= 1 && hidden <= 4096, "--hidden = " + hidden + ": expected 1 to 4096");
    // The grammar makes 9,600 different clauses and so millions of sentences: drawing
    // distinct ones stays quick; the caps keep a run within seconds to minutes.
    require(trainCount >= 1 && trainCount <= 10_000, "--train = " + trainCount
        + ": expected 1 to 10000");
    require(testCount >= 1 && testCount <= 10_000, "--test = " + testCount
        + ": expected 1 to 10000");
    for (String sentence : sentences) {
      require(!SentimentData.tokens(sentence).isEmpty(), "SENTENCE '" + sentence
          + "': has no words (letters)");
    }
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }

  private static void describeData(SentimentData.Split data, Vocabulary vocabulary,
      PrintWriter out) {
    long positives = data.train().stream().filter(Example::positive).count();
    out.printf(Locale.ROOT, "data: %d training sentences (%d positive) and %d held-out ones, "
        + "from a seeded template grammar; vocabulary: %d words + <pad> + <unk>%n",
        data.train().size(), positives, data.test().size(), vocabulary.size() - 2);
    List<String> heldOutWords = data.test().stream()
        .flatMap(e -> SentimentData.tokens(e.text()).stream()).toList();
    List<String> unknown = heldOutWords.stream().filter(word -> !vocabulary.knows(word)).toList();
    out.printf(Locale.ROOT, "held-out words missing from the training vocabulary: %d distinct, "
        + "%d of the %d words read%n", unknown.stream().distinct().count(), unknown.size(),
        heldOutWords.size());
    for (Example example : data.train().subList(0, Math.min(3, data.train().size()))) {
      out.printf(Locale.ROOT, "  e.g. %-8s \"%s\"%n", example.positive() ? "positive" :
          "negative", example.text());
    }
  }

  private List<EpochResult> train(SentimentNetwork network, SentimentData.Split data,
      Vocabulary vocabulary, PrintWriter out) {
    Adam adam = new Adam(network.parameters(), learningRate);
    BCELoss bce = new BCELoss();
    SplittableRandom shuffler = new SplittableRandom(seed);
    List<Example> train = data.train();
    int batch = Math.min(batchSize, train.size());
    int stepsPerEpoch = (train.size() + batch - 1) / batch;
    ProgressBar bar = new ProgressBar(out, "sentiment", (long) epochs * stepsPerEpoch,
        ProgressBar.stdoutIsTerminal(), System::nanoTime);
    List<EpochResult> results = new ArrayList<>();
    long done = 0;
    for (int epoch = 1; epoch <= epochs; epoch++) {
      network.train();
      List<Example> order = shuffled(train, shuffler);
      double lossSum = 0;
      for (int from = 0; from < order.size(); from += batch) {
        List<Example> examples = order.subList(from, Math.min(order.size(), from + batch));
        adam.zeroGrad();
        float loss = bce.forward(network.forward(encode(examples, vocabulary)),
            labels(examples));
        Trainer.requireFinite(loss, bar, epoch, from / batch + 1, stepsPerEpoch);
        network.backward(bce.backward());
        adam.step();
        lossSum += (double) loss * examples.size();
        bar.update(++done, String.format(Locale.ROOT, "epoch %d, loss %.4f", epoch, loss));
      }
      results.add(new EpochResult(epoch, lossSum / train.size(),
          accuracy(network, train, vocabulary), accuracy(network, data.test(), vocabulary)));
    }
    for (EpochResult result : results) {
      out.printf(Locale.ROOT, "epoch %2d: mean loss %.4f, train accuracy %.1f%%, test "
          + "accuracy %.1f%%%n", result.epoch(), result.loss(), 100 * result.trainAccuracy(),
          100 * result.testAccuracy());
    }
    return results;
  }

  private static List<Example> shuffled(List<Example> examples, SplittableRandom random) {
    List<Example> order = new ArrayList<>(examples);
    for (int i = order.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      order.set(j, order.set(i, order.get(j)));
    }
    return order;
  }

  /** Word indices {@code [N, L]}, right-padded to the longest sentence. */
  static Tensor encode(List<Example> examples, Vocabulary vocabulary) {
    List<List<String>> words = new ArrayList<>();
    int longest = 1;
    for (Example example : examples) {
      List<String> tokens = SentimentData.tokens(example.text());
      words.add(tokens);
      longest = Math.max(longest, tokens.size());
    }
    Tensor ids = Tensor.zeros(examples.size(), longest);
    for (int n = 0; n < words.size(); n++) {
      for (int t = 0; t < words.get(n).size(); t++) {
        ids.data()[n * longest + t] = vocabulary.id(words.get(n).get(t));
      }
    }
    return ids;
  }

  private static Tensor labels(List<Example> examples) {
    Tensor labels = Tensor.zeros(examples.size(), 1);
    for (int n = 0; n < examples.size(); n++) {
      labels.data()[n] = examples.get(n).positive() ? 1 : 0;
    }
    return labels;
  }

  /** The share of {@code examples} on the right side of 0.5. */
  static double accuracy(SentimentNetwork network, List<Example> examples,
      Vocabulary vocabulary) {
    network.eval();
    float[] probabilities = network.forward(encode(examples, vocabulary)).data();
    int correct = 0;
    for (int n = 0; n < examples.size(); n++) {
      requireNumber(probabilities[n]);
      correct += (probabilities[n] > 0.5f) == examples.get(n).positive() ? 1 : 0;
    }
    network.train();
    return (double) correct / examples.size();
  }

  /**
   * Stops on a NaN answer: BCELoss clamps its logarithms, so the training loss can stay finite
   * while weights that overflowed already make the network answer NaN.
   */
  private static void requireNumber(float probability) {
    if (Float.isNaN(probability)) {
      throw new Trainer.DivergedException("the network answers NaN: training diverged; try a "
          + "smaller --lr");
    }
  }

  private void classifySentences(SentimentNetwork network, Vocabulary vocabulary,
      PrintWriter out) {
    if (sentences.isEmpty()) {
      out.println("give sentences to classify as arguments, e.g. nonlinear sentiment \"the "
          + "ending was not boring\"");
      return;
    }
    network.eval();
    for (String sentence : sentences) {
      Tensor ids = encode(List.of(new Example(sentence, false)), vocabulary);
      float probability = network.forward(ids).data()[0];
      requireNumber(probability);
      out.printf(Locale.ROOT, "%.3f %s  \"%s\"%s%n", probability, probability > 0.5f
          ? "positive" : "negative", sentence, unknownWords(sentence, vocabulary));
    }
  }

  private static String unknownWords(String sentence, Vocabulary vocabulary) {
    List<String> unknown = SentimentData.tokens(sentence).stream()
        .filter(word -> !vocabulary.knows(word)).toList();
    return unknown.isEmpty() ? "" : "  (not in the vocabulary, read as <unk>, whose "
        + "embedding was never trained: " + String.join(", ", unknown) + ")";
  }

  private static Path writeResults(Path folder, List<EpochResult> results) throws IOException {
    StringBuilder csv = new StringBuilder("epoch,loss,train_accuracy,test_accuracy\n");
    for (EpochResult result : results) {
      csv.append(String.format(Locale.ROOT, "%d,%.6f,%.4f,%.4f%n", result.epoch(),
          result.loss(), result.trainAccuracy(), result.testAccuracy()));
    }
    return Files.writeString(folder.resolve(LOSS_FILE), csv);
  }
}
