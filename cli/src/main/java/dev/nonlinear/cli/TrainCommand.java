package dev.nonlinear.cli;

import dev.nonlinear.io.Dataset;
import dev.nonlinear.io.SafeTensors;
import dev.nonlinear.kernel.Backend;
import dev.nonlinear.kernel.Parallel;
import dev.nonlinear.nn.Init;
import dev.nonlinear.nn.Module;
import dev.nonlinear.nn.SGD;
import dev.nonlinear.tensor.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nonlinear train}: trains the small Fashion-MNIST CNN (conv 3×3 → ReLU →
 * max-pool 2 → linear) with cross-entropy and SGD with momentum, reports the test accuracy after each epoch
 * and draws the training curves.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Trains Sequential(Conv2d(1, 32, 3, padding=1), ReLU, MaxPool2d(2), Flatten, "
            + "Linear(6272, 10)) on Fashion-MNIST with cross-entropy and SGD with momentum, "
            + "then reports the test accuracy. Writes the training curves to "
            + "DIR/" + TrainCommand.CURVES_FILE + " (--out).",
        "Data: --data DIR, else Debian's /usr/share/datasets/fashion-mnist when complete "
            + "(-Dnonlinear.fashion-mnist.dir=DIR moves it), else the embedded sample (6,000 "
            + "training and 1,000 test images)."})
final class TrainCommand implements Callable<Integer> {

  /** The picture of the loss and accuracy curves, in the --out folder. */
  static final String CURVES_FILE = "training-curves.png";

  @Option(names = "--epochs", defaultValue = "1", description = "Passes over the training set "
      + "(default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "64", description = "Images per step, "
      + "capped at the set size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--lr", defaultValue = "0.01", description = "Learning rate "
      + "(default: ${DEFAULT-VALUE}).")
  float learningRate;

  @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum "
      + "(default: ${DEFAULT-VALUE}).")
  float momentum;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the initial weights "
      + "and the shuffling (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threads", description = "Threads for the kernels, 1 to 1024 (default: the "
      + "available processors, or -Dnonlinear.threads).")
  Integer threads;

  @Mixin
  DataOptions data;

  @Option(names = "--limit", paramLabel = "N", description = "Train on the first N training "
      + "images only (for quick runs and tests).")
  Integer limit;

  @Option(names = "--save", paramLabel = "FILE", description = "Write the trained weights to "
      + "FILE in safetensors format, under PyTorch's state_dict names.")
  Path saveFile;

  @Mixin
  OutputOptions output;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    long start = System.nanoTime();
    validate();
    Path outDir = output.prepare(spec.commandLine());
    if (threads != null) {
      Parallel.setThreads(threads);
    }
    PrintWriter out = spec.commandLine().getOut();
    DataOptions.Sets sets = data.load(out, true);
    Dataset train = limited(sets.train(), out);
    Dataset test = sets.test();
    String unusable = DataOptions.unusable("training", train);
    unusable = unusable != null ? unusable : DataOptions.unusable("test", test);
    if (unusable != null) {
      spec.commandLine().getErr().println("error: " + unusable);
      return CommandLine.ExitCode.SOFTWARE;
    }
    out.printf(Locale.ROOT, "training on %,d images, testing on %,d; %s%n", train.size(),
        test.size(), Backend.current());

    Init.manualSeed(seed);
    Module model = Networks.fashionCnn();
    SGD optimizer = new SGD(model.parameters(), learningRate, momentum);
    Trainer trainer = new Trainer(model, Classifier.sgdStep(model, optimizer), batchSize, seed,
        out, ProgressBar.stdoutIsTerminal());
    List<Trainer.EpochResult> results = new ArrayList<>();
    double[] accuracyPercent = new double[epochs];
    int correct;
    try {
      correct = trainEpochs(trainer, model, train, test, results, accuracyPercent, out);
    } catch (Trainer.DivergedException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return Main.EXIT_DIVERGED;
    } catch (OutOfMemoryError e) {
      spec.commandLine().getErr().println("error: out of memory with --batch-size " + batchSize
          + ": use a smaller batch, or give Java more heap, e.g. NONLINEAR_JAVA_OPTS=-Xmx8g");
      return CommandLine.ExitCode.SOFTWARE;
    }

    out.printf(Locale.ROOT, "test accuracy: %.2f%% (%,d of %,d)%n", 100.0 * correct / test.size(),
        correct, test.size());
    out.printf(Locale.ROOT, "speed: %,.0f images/s (epoch %d), total %.1f s%n",
        results.getLast().imagesPerSecond(), epochs, (System.nanoTime() - start) / 1e9);
    if (saveFile != null) {
      save(model, out);
    }
    Path curves = outDir.resolve(CURVES_FILE);
    Curves.writeClassifierCurves(results, accuracyPercent, curves);
    out.println("training curves: " + curves);
    return CommandLine.ExitCode.OK;
  }

  /**
   * Runs every epoch, measuring the test accuracy after each and printing a summary line;
   * fills {@code results} and {@code accuracyPercent}, and returns the number of test images
   * the final weights classify right.
   */
  private int trainEpochs(Trainer trainer, Module model, Dataset train, Dataset test,
      List<Trainer.EpochResult> results, double[] accuracyPercent, PrintWriter out) {
    int correct = 0;
    for (int epoch = 1; epoch <= epochs; epoch++) {
      Trainer.EpochResult result = trainer.trainEpoch(train, epoch, epochs);
      correct = Classifier.countCorrect(Classifier.predictions(model, test), test.labels());
      results.add(result);
      accuracyPercent[epoch - 1] = 100.0 * correct / test.size();
      out.printf(Locale.ROOT, "epoch %d: mean loss %.4f, %,.0f images/s, %.1f s; test accuracy "
          + "%.2f%%%n", epoch, result.meanLoss(), result.imagesPerSecond(), result.seconds(),
          accuracyPercent[epoch - 1]);
    }
    return correct;
  }

  /** The first --limit training images, or all of them. */
  private Dataset limited(Dataset train, PrintWriter out) {
    if (limit == null) {
      return train;
    }
    if (limit >= train.size()) {
      out.printf(Locale.ROOT, "note: --limit %,d is not below the %,d training images: using "
          + "them all%n", limit, train.size());
      return train;
    }
    return train.first(limit);
  }

  private void validate() {
    require(epochs >= 1, "--epochs = " + epochs + ": expected at least 1");
    require(batchSize >= 1, "--batch-size = " + batchSize + ": expected at least 1");
    require(learningRate > 0 && Float.isFinite(learningRate), "--lr = " + learningRate
        + ": expected a finite number > 0");
    require(momentum >= 0 && Float.isFinite(momentum), "--momentum = " + momentum
        + ": expected a finite number >= 0");
    require(threads == null || (threads >= 1 && threads <= 1024), "--threads = " + threads
        + ": expected 1 to 1024");
    require(limit == null || limit >= 1, "--limit = " + limit + ": expected at least 1");
    data.validate(spec.commandLine());
    if (saveFile != null) {
      OutputOptions.checkSaveFile(saveFile, spec.commandLine());
    }
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }

  private void save(Module model, PrintWriter out) throws IOException {
    Map<String, Tensor> stateDict = model.stateDict();
    try {
      SafeTensors.write(stateDict, Map.of("format", "pt"), saveFile);
    } catch (IOException e) {
      throw new IOException("could not save the weights to " + saveFile + ": "
          + e.getClass().getSimpleName() + " " + e.getMessage(), e);
    }
    out.printf(Locale.ROOT, "saved %d tensors (%,d values) to %s%n", stateDict.size(),
        model.parameterCount(), saveFile);
  }
}
