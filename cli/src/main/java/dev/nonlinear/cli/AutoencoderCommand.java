package dev.nonlinear.cli;

import dev.nonlinear.io.Dataset;
import dev.nonlinear.io.SafeTensors;
import dev.nonlinear.kernel.Backend;
import dev.nonlinear.kernel.Parallel;
import dev.nonlinear.nn.Adam;
import dev.nonlinear.nn.Init;
import dev.nonlinear.nn.MSELoss;
import dev.nonlinear.nn.Module;
import dev.nonlinear.tensor.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nonlinear autoencoder}: a dense autoencoder that squeezes Fashion-MNIST images through
 * 32 numbers and back, trained with mean squared error and Adam; shows originals beside their
 * reconstructions and the loss per epoch.
 */
@Command(name = "autoencoder", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Trains Sequential(Linear(784, 128), ReLU, Linear(128, 64), ReLU, Linear(64, 32), ReLU, "
            + "Linear(32, 64), ReLU, Linear(64, 128), ReLU, Linear(128, 784), Sigmoid) to "
            + "reproduce Fashion-MNIST images (MSELoss, Adam), and prints the loss per epoch "
            + "next to that of predicting the mean training image.",
        "Writes DIR/" + AutoencoderCommand.RECONSTRUCTIONS_FILE + " (test images above their "
            + "reconstructions) and DIR/" + AutoencoderCommand.LOSS_FILE + " (--out).",
        "Data: --data DIR, else Debian's /usr/share/datasets/fashion-mnist when complete, "
            + "else the embedded sample (6,000 training and 1,000 test images)."})
final class AutoencoderCommand implements Callable<Integer> {

  /** Originals above reconstructions, in the --out folder. */
  static final String RECONSTRUCTIONS_FILE = "autoencoder-reconstructions.png";

  /** The loss per epoch, in the --out folder. */
  static final String LOSS_FILE = "autoencoder-loss.png";

  /** Most test images the picture shows: wider pictures stop being readable. */
  static final int MAX_IMAGES = 30;

  @Option(names = "--epochs", defaultValue = "5", description = "Passes over the training set "
      + "(default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "64", description = "Images per step, "
      + "capped at the set size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--lr", defaultValue = "0.001", description = "Adam's learning rate "
      + "(default: ${DEFAULT-VALUE}).")
  float learningRate;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the initial weights "
      + "and the shuffling (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threads", description = "Threads for the kernels, 1 to 1024 (default: the "
      + "available processors, or -Dnonlinear.threads).")
  Integer threads;

  @Option(names = "--limit", paramLabel = "N", description = "Train on the first N training "
      + "images only (for quick runs and tests).")
  Integer limit;

  @Option(names = "--images", paramLabel = "N", defaultValue = "10", description = "Test images "
      + "in the picture, 1 to " + MAX_IMAGES + ", one class after another "
      + "(default: ${DEFAULT-VALUE}).")
  int images;

  @Option(names = "--save", paramLabel = "FILE", description = "Write the trained weights to "
      + "FILE in safetensors format, under PyTorch's state_dict names.")
  Path saveFile;

  @Mixin
  DataOptions data;

  @Mixin
  OutputOptions output;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    validate();
    Path outDir = output.prepare(spec.commandLine());
    if (threads != null) {
      Parallel.setThreads(threads);
    }
    PrintWriter out = spec.commandLine().getOut();
    DataOptions.Sets sets = data.load(out, true);
    Dataset train = limit == null || limit >= sets.train().size() ? sets.train()
        : sets.train().first(limit);
    Dataset test = sets.test();
    String unusable = DataOptions.unusable("training", train);
    unusable = unusable != null ? unusable : DataOptions.unusable("test", test);
    if (unusable != null) {
      spec.commandLine().getErr().println("error: " + unusable);
      return CommandLine.ExitCode.SOFTWARE;
    }
    out.printf(Locale.ROOT, "training on %,d images, testing on %,d; %s%n", train.size(),
        test.size(), Backend.current());

    double baseline = meanImageError(meanImage(train), test);
    out.printf(Locale.ROOT, "predicting the mean training image: test loss %.5f%n", baseline);
    Init.manualSeed(seed);
    Module model = Networks.autoencoder();
    Trainer trainer = new Trainer(model, adamStep(model, new Adam(model.parameters(),
        learningRate)), batchSize, seed, out, ProgressBar.stdoutIsTerminal());
    double[] trainLoss = new double[epochs];
    double[] testLoss = new double[epochs + 1];
    testLoss[0] = testLoss(model, test);
    out.printf(Locale.ROOT, "before training: test loss %.5f%n", testLoss[0]);
    try {
      for (int epoch = 1; epoch <= epochs; epoch++) {
        Trainer.EpochResult result = trainer.trainEpoch(train, epoch, epochs);
        trainLoss[epoch - 1] = result.meanLoss();
        testLoss[epoch] = testLoss(model, test);
        out.printf(Locale.ROOT, "epoch %d: training loss %.5f, test loss %.5f, %,.0f images/s, "
            + "%.1f s%n", epoch, result.meanLoss(), testLoss[epoch],
            result.imagesPerSecond(), result.seconds());
      }
    } catch (Trainer.DivergedException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return Main.EXIT_DIVERGED;
    }

    if (saveFile != null) {
      Map<String, Tensor> stateDict = model.stateDict();
      SafeTensors.write(stateDict, Map.of("format", "pt"), saveFile);
      out.printf(Locale.ROOT, "saved %d tensors (%,d values) to %s%n", stateDict.size(),
          model.parameterCount(), saveFile);
    }
    Path grid = outDir.resolve(RECONSTRUCTIONS_FILE);
    writeReconstructions(model, test, grid);
    out.println("reconstructions: " + grid);
    Path curve = outDir.resolve(LOSS_FILE);
    Curves.writeLossPerEpoch("Autoencoder 784-128-64-32-64-128-784 on Fashion-MNIST",
        "mean squared error per pixel", trainLoss, testLoss, baseline,
        "predicting the mean training image", curve);
    out.println("loss curve: " + curve);
    return CommandLine.ExitCode.OK;
  }

  private void validate() {
    require(epochs >= 1, "--epochs = " + epochs + ": expected at least 1");
    require(batchSize >= 1, "--batch-size = " + batchSize + ": expected at least 1");
    require(learningRate > 0 && Float.isFinite(learningRate), "--lr = " + learningRate
        + ": expected a finite number > 0");
    require(threads == null || (threads >= 1 && threads <= 1024), "--threads = " + threads
        + ": expected 1 to 1024");
    require(limit == null || limit >= 1, "--limit = " + limit + ": expected at least 1");
    require(images >= 1 && images <= MAX_IMAGES, "--images = " + images + ": expected 1 to "
        + MAX_IMAGES);
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

  /** A training step: the images, flattened, are both the input and the target. */
  static Trainer.Step adamStep(Module model, Adam optimizer) {
    MSELoss loss = new MSELoss();
    return (batch, labels) -> {
      Tensor flat = batch.reshape(labels.length, Networks.PIXELS);
      float batchLoss = loss.forward(model.forward(flat), flat);
      if (Float.isFinite(batchLoss)) {
        optimizer.zeroGrad();
        model.backward(loss.backward());
        optimizer.step();
      }
      return batchLoss;
    };
  }

  /** The mean squared error per pixel of the model's reconstructions of {@code data}. */
  static double testLoss(Module model, Dataset data) {
    model.eval();
    double[] sum = new double[1];
    Trainer.forEachBatch(data, (from, batch, labels) -> {
      Tensor flat = batch.reshape(labels.length, Networks.PIXELS);
      sum[0] += squaredError(model.forward(flat).data(), flat.data());
    });
    return sum[0] / ((double) data.size() * Networks.PIXELS);
  }

  /** The pixel-wise mean of the images of {@code data}. */
  static float[] meanImage(Dataset data) {
    double[] sum = new double[Networks.PIXELS];
    float[] pixels = data.images().data();
    for (int i = 0; i < pixels.length; i++) {
      sum[i % Networks.PIXELS] += pixels[i];
    }
    float[] mean = new float[Networks.PIXELS];
    for (int p = 0; p < mean.length; p++) {
      mean[p] = (float) (sum[p] / data.size());
    }
    return mean;
  }

  /** The mean squared error per pixel of predicting {@code mean} for every image of data. */
  static double meanImageError(float[] mean, Dataset data) {
    float[] pixels = data.images().data();
    double sum = 0;
    for (int i = 0; i < pixels.length; i++) {
      double difference = pixels[i] - mean[i % Networks.PIXELS];
      sum += difference * difference;
    }
    return sum / pixels.length;
  }

  private static double squaredError(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double difference = a[i] - b[i];
      sum += difference * difference;
    }
    return sum;
  }

  /** The chosen test images in the top row, their reconstructions under them. */
  private void writeReconstructions(Module model, Dataset test, Path file) throws IOException {
    int[] chosen = oneClassAfterAnother(test, Math.min(images, test.size()));
    float[] batch = new float[chosen.length * Networks.PIXELS];
    float[] pixels = test.images().data();
    for (int i = 0; i < chosen.length; i++) {
      System.arraycopy(pixels, chosen[i] * Networks.PIXELS, batch, i * Networks.PIXELS,
          Networks.PIXELS);
    }
    model.eval();
    float[] reconstructed = model.forward(Tensor.of(batch, chosen.length, Networks.PIXELS))
        .data();

    List<float[]> cells = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    for (int i = 0; i < chosen.length; i++) {
      cells.add(Arrays.copyOfRange(batch, i * Networks.PIXELS, (i + 1) * Networks.PIXELS));
      captions.add(test.classNames().get(test.labels()[chosen[i]]));
    }
    for (int i = 0; i < chosen.length; i++) {
      float[] original = cells.get(i);
      float[] copy = Arrays.copyOfRange(reconstructed, i * Networks.PIXELS,
          (i + 1) * Networks.PIXELS);
      cells.add(copy);
      captions.add(String.format(Locale.ROOT, "MSE %.4f",
          squaredError(copy, original) / Networks.PIXELS));
    }
    ImageGrid.write(cells, chosen.length, captions, List.of("test image", "reconstructed"),
        "Autoencoder: test images (top) and their reconstructions from 32 numbers (bottom)",
        file);
  }

  /**
   * {@code count} test images: the first of each class in class order, then the second of
   * each, and so on, so the picture shows every class.
   */
  static int[] oneClassAfterAnother(Dataset data, int count) {
    int classes = data.classNames().size();
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < data.size(); i++) {
      byClass.get(data.labels()[i]).add(i);
    }
    int[] chosen = new int[count];
    int filled = 0;
    for (int round = 0; filled < count; round++) {
      for (int c = 0; c < classes && filled < count; c++) {
        if (round < byClass.get(c).size()) {
          chosen[filled++] = byClass.get(c).get(round);
        }
      }
    }
    return chosen;
  }
}
