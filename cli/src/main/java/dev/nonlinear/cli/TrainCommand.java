package dev.nonlinear.cli;

import dev.nonlinear.io.Dataset;
import dev.nonlinear.io.FashionMnist;
import dev.nonlinear.io.SafeTensors;
import dev.nonlinear.kernel.Backend;
import dev.nonlinear.kernel.Parallel;
import dev.nonlinear.nn.Conv2d;
import dev.nonlinear.nn.Flatten;
import dev.nonlinear.nn.Init;
import dev.nonlinear.nn.Linear;
import dev.nonlinear.nn.MaxPool2d;
import dev.nonlinear.nn.Module;
import dev.nonlinear.nn.ReLU;
import dev.nonlinear.nn.SGD;
import dev.nonlinear.nn.Sequential;
import dev.nonlinear.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nonlinear train}: trains the small Fashion-MNIST CNN (conv 3×3 → ReLU → max-pool 2 →
 * linear) with cross-entropy and SGD with momentum, then reports the test accuracy.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Trains Sequential(Conv2d(1, 32, 3, padding=1), ReLU, MaxPool2d(2), Flatten, "
            + "Linear(6272, 10)) on Fashion-MNIST with cross-entropy and SGD with momentum, "
            + "then reports the test accuracy.",
        "Data: --data DIR, else Debian's /usr/share/datasets/fashion-mnist when complete "
            + "(-Dnonlinear.fashion-mnist.dir=DIR moves it), else the embedded sample (6,000 "
            + "training and 1,000 test images)."})
final class TrainCommand implements Callable<Integer> {

  /** The system property that moves the default data folder away from Debian's. */
  static final String DATA_DIR_PROPERTY = "nonlinear.fashion-mnist.dir";

  /** Where the embedded sample lives on the class path. */
  static final String SAMPLE_RESOURCE = "/dev/nonlinear/cli/sample/";

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

  @Option(names = "--data", paramLabel = "DIR", description = "Folder holding the four "
      + "Fashion-MNIST .gz files (train-images-idx3-ubyte.gz, ...).")
  Path dataDir;

  @Option(names = "--sample", description = "Train and test on the embedded sample, even when "
      + "the full set is installed.")
  boolean sample;

  @Option(names = "--limit", paramLabel = "N", description = "Train on the first N training "
      + "images only (for quick runs and tests).")
  Integer limit;

  @Option(names = "--save", paramLabel = "FILE", description = "Write the trained weights to "
      + "FILE in safetensors format, under PyTorch's state_dict names.")
  Path saveFile;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    long start = System.nanoTime();
    validate();
    if (threads != null) {
      Parallel.setThreads(threads);
    }
    PrintWriter out = spec.commandLine().getOut();
    Dataset[] sets = loadData(out);
    Dataset train = limited(sets[0], out);
    Dataset test = sets[1];
    String unusable = unusable("training", train);
    unusable = unusable != null ? unusable : unusable("test", test);
    if (unusable != null) {
      spec.commandLine().getErr().println("error: " + unusable);
      return CommandLine.ExitCode.SOFTWARE;
    }
    out.printf(Locale.ROOT, "training on %,d images, testing on %,d; %s%n", train.size(),
        test.size(), Backend.current());

    Init.manualSeed(seed);
    Module model = model();
    SGD optimizer = new SGD(model.parameters(), learningRate, momentum);
    Trainer trainer = new Trainer(model, optimizer, batchSize, seed, out,
        ProgressBar.stdoutIsTerminal());
    Trainer.EpochResult last;
    int correct;
    try {
      last = trainEpochs(trainer, train, out);
      correct = trainer.countCorrect(test);
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
        last.imagesPerSecond(), epochs, (System.nanoTime() - start) / 1e9);
    if (saveFile != null) {
      save(model, out);
    }
    return CommandLine.ExitCode.OK;
  }

  /** Why {@code data} cannot be used by this network, or null: empty, or not 1×28×28 images. */
  private static String unusable(String which, Dataset data) {
    if (data.size() == 0) {
      return "the " + which + " set is empty";
    }
    int[] shape = data.images().shape();
    if (shape[1] != 1 || shape[2] != 28 || shape[3] != 28) {
      return "the " + which + " images are " + shape[1] + "×" + shape[2] + "×" + shape[3]
          + ": this network expects 1×28×28 Fashion-MNIST images";
    }
    return null;
  }

  /** Runs every epoch, printing a summary line after each; returns the last one's numbers. */
  private Trainer.EpochResult trainEpochs(Trainer trainer, Dataset train, PrintWriter out) {
    Trainer.EpochResult result = null;
    for (int epoch = 1; epoch <= epochs; epoch++) {
      result = trainer.trainEpoch(train, epoch, epochs);
      out.printf(Locale.ROOT, "epoch %d: mean loss %.4f, %,.0f images/s, %.1f s%n", epoch,
          result.meanLoss(), result.imagesPerSecond(), result.seconds());
    }
    return result;
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

  /** The network the command trains; the first layer gets no input gradient (its input is data). */
  static Module model() {
    Module model = new Sequential(
        new Conv2d(1, 32, 3, 1, 1),
        new ReLU(),
        new MaxPool2d(2, 2),
        new Flatten(),
        new Linear(32 * 14 * 14, 10));
    return model.inputGradientNeeded(false);
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
    require(!(sample && dataDir != null), "--sample and --data DIR exclude each other");
    if (dataDir != null) {
      require(FashionMnist.isComplete(dataDir), "--data " + dataDir + ": expected the files "
          + String.join(", ", FashionMnist.FILES) + " in that folder");
    }
    if (saveFile != null) {
      Path parent = saveFile.toAbsolutePath().getParent();
      require(parent != null && Files.isDirectory(parent) && Files.isWritable(parent),
          "--save " + saveFile + ": folder " + parent + " does not exist or is not writable");
      require(!Files.isDirectory(saveFile), "--save " + saveFile + ": is a folder");
      require(canCreateFileIn(parent), "--save " + saveFile + ": cannot create a file in "
          + parent);
    }
  }

  /**
   * Whether a file can really be made in {@code folder}: Files.isWritable says yes to root for
   * folders such as /proc, and a save that fails after a whole training run wastes the run.
   */
  private static boolean canCreateFileIn(Path folder) {
    try {
      Files.delete(Files.createTempFile(folder, ".nonlinear-save-check", ".tmp"));
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }

  /** Training and test sets from --data, Debian's folder or the embedded sample, in order. */
  private Dataset[] loadData(PrintWriter out) throws IOException {
    Path dir = dataDir;
    if (dir == null && !sample) {
      Path installed = defaultDataDir();
      if (FashionMnist.isComplete(installed)) {
        dir = installed;
      } else {
        out.println("NOTE: the full Fashion-MNIST set was not found in " + installed
            + " (Debian package dataset-fashion-mnist), and no --data DIR was given.");
        out.println("NOTE: using the EMBEDDED SAMPLE instead: 6,000 training and 1,000 test "
            + "images. Accuracy and speed are not comparable with the full set.");
      }
    }
    if (dir != null) {
      out.println("data: " + dir);
      return new Dataset[] {FashionMnist.train(dir), FashionMnist.test(dir)};
    }
    if (sample) {
      out.println("data: the embedded sample (6,000 training and 1,000 test images), as asked");
    }
    return new Dataset[] {
        sampleSet(FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS),
        sampleSet(FashionMnist.TEST_IMAGES, FashionMnist.TEST_LABELS)};
  }

  /** Where the full set is looked for without --data: Debian's folder unless overridden. */
  static Path defaultDataDir() {
    String override = System.getProperty(DATA_DIR_PROPERTY);
    return override == null || override.isBlank() ? FashionMnist.DEBIAN_DIR : Path.of(override);
  }

  static Dataset sampleSet(String imagesName, String labelsName) throws IOException {
    try (InputStream images = resource(imagesName); InputStream labels = resource(labelsName)) {
      return FashionMnist.read(images, "sample:" + imagesName, labels, "sample:" + labelsName);
    }
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = TrainCommand.class.getResourceAsStream(SAMPLE_RESOURCE + name);
    if (in == null) {
      throw new IOException("the embedded sample " + SAMPLE_RESOURCE + name
          + " is missing from the class path (a broken build?)");
    }
    return in;
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
