package dev.nonlinear.cli;

import dev.nonlinear.io.Dataset;
import dev.nonlinear.io.FashionMnist;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Where the commands that read Fashion-MNIST find it: {@code --data DIR}, else Debian's folder
 * when complete, else the sample of 6,000 training and 1,000 test images embedded in the jar
 * ({@code --sample} asks for it even when the full set is installed).
 */
final class DataOptions {

  /** The system property that moves the default data folder away from Debian's. */
  static final String DATA_DIR_PROPERTY = "nonlinear.fashion-mnist.dir";

  /** Where the embedded sample lives on the class path. */
  static final String SAMPLE_RESOURCE = "/dev/nonlinear/cli/sample/";

  /** The training set (null when not asked for) and the test set. */
  record Sets(Dataset train, Dataset test) {}

  @Option(names = "--data", paramLabel = "DIR", description = "Folder holding the four "
      + "Fashion-MNIST .gz files (train-images-idx3-ubyte.gz, ...).")
  Path dataDir;

  @Option(names = "--sample", description = "Use the embedded sample, even when the full set "
      + "is installed.")
  boolean sample;

  /** Refuses --sample with --data, and a --data folder without the four files. */
  void validate(CommandLine commandLine) {
    if (sample && dataDir != null) {
      throw new CommandLine.ParameterException(commandLine,
          "--sample and --data DIR exclude each other");
    }
    if (dataDir != null && !FashionMnist.isComplete(dataDir)) {
      throw new CommandLine.ParameterException(commandLine, "--data " + dataDir
          + ": expected the files " + String.join(", ", FashionMnist.FILES) + " in that folder");
    }
  }

  /**
   * The test set, and the training set when {@code withTraining}, from --data, Debian's folder
   * or the embedded sample, in that order; says on {@code out} which one and why.
   */
  Sets load(PrintWriter out, boolean withTraining) throws IOException {
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
      return new Sets(withTraining ? FashionMnist.train(dir) : null, FashionMnist.test(dir));
    }
    if (sample) {
      out.println("data: the embedded sample (6,000 training and 1,000 test images), as asked");
    }
    return new Sets(
        withTraining ? sampleSet(FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS) : null,
        sampleSet(FashionMnist.TEST_IMAGES, FashionMnist.TEST_LABELS));
  }

  /** Why {@code data} cannot be used by the 28×28 networks, or null: empty, or not 1×28×28. */
  static String unusable(String which, Dataset data) {
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
    InputStream in = DataOptions.class.getResourceAsStream(SAMPLE_RESOURCE + name);
    if (in == null) {
      throw new IOException("the embedded sample " + SAMPLE_RESOURCE + name
          + " is missing from the class path (a broken build?)");
    }
    return in;
  }
}
