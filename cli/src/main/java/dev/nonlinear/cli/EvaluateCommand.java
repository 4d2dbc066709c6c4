package dev.nonlinear.cli;

import dev.nonlinear.io.Dataset;
import dev.nonlinear.kernel.Parallel;
import dev.nonlinear.nn.Module;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nonlinear evaluate}: the test accuracy and confusion matrix of the 28×28 CNN with saved
 * weights, printed and drawn as a heat map.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Loads the 28×28 CNN's weights (as written by train --save) and reports its accuracy "
            + "on the Fashion-MNIST test set and its confusion matrix; draws the matrix to "
            + "DIR/" + EvaluateCommand.PICTURE_FILE + " (--out).",
        "Data: --data DIR, else Debian's /usr/share/datasets/fashion-mnist when complete, "
            + "else the embedded sample (1,000 test images)."})
final class EvaluateCommand implements Callable<Integer> {

  /** The heat map of the confusion matrix, in the --out folder. */
  static final String PICTURE_FILE = "confusion-matrix.png";

  @Option(names = "--model", paramLabel = "FILE", required = true, description = "The "
      + "weights, a safetensors file from train --save.")
  Path modelFile;

  @Option(names = "--threads", description = "Threads for the kernels, 1 to 1024 (default: the "
      + "available processors, or -Dnonlinear.threads).")
  Integer threads;

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
    Module model = Networks.fashionCnn(modelFile);
    out.printf(Locale.ROOT, "model: %s (%,d values)%n", modelFile, model.parameterCount());
    Dataset test = data.load(out, false).test();
    String unusable = DataOptions.unusable("test", test);
    if (unusable != null) {
      spec.commandLine().getErr().println("error: " + unusable);
      return CommandLine.ExitCode.SOFTWARE;
    }

    int[] predictions = Classifier.predictions(model, test);
    int correct = Classifier.countCorrect(predictions, test.labels());
    int[][] counts = Classifier.confusionMatrix(predictions, test.labels(),
        test.classNames().size());
    out.printf(Locale.ROOT, "test accuracy: %.2f%% (%,d of %,d)%n", 100.0 * correct / test.size(),
        correct, test.size());
    int unclassified = countUnclassified(predictions);
    if (unclassified > 0) {
      out.printf(Locale.ROOT, "note: %,d images got NaN logits and no class; the matrix leaves "
          + "them out%n", unclassified);
    }
    out.println();
    printMatrix(counts, test.classNames(), out);

    Path picture = outDir.resolve(PICTURE_FILE);
    ConfusionPicture.write(counts, test.classNames(), String.format(Locale.ROOT,
        "Confusion matrix: %,d test images, accuracy %.2f%%", test.size(),
        100.0 * correct / test.size()), picture);
    out.println();
    out.println("confusion matrix picture: " + picture);
    return CommandLine.ExitCode.OK;
  }

  private void validate() {
    if (threads != null && (threads < 1 || threads > 1024)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--threads = " + threads
          + ": expected 1 to 1024");
    }
    if (!Files.isRegularFile(modelFile) || !Files.isReadable(modelFile)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--model " + modelFile
          + ": no such readable file");
    }
    data.validate(spec.commandLine());
  }

  /**
   * Rows are true classes, columns predicted ones (numbered as the rows); each row ends with its
   * recall, and a last line gives each column's precision.
   */
  static void printMatrix(int[][] counts, List<String> names, PrintWriter out) {
    int classes = names.size();
    int nameWidth = names.stream().mapToInt(String::length).max().orElse(0) + 3;
    int cellWidth = Math.max(4, Integer.toString(maxCount(counts)).length() + 1);
    out.println("confusion matrix (rows: true class, columns: predicted class)");
    StringBuilder header = new StringBuilder(" ".repeat(nameWidth));
    for (int c = 0; c < classes; c++) {
      header.append(String.format(Locale.ROOT, "%" + cellWidth + "d", c));
    }
    out.println(header.append("   recall"));
    for (int row = 0; row < classes; row++) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + nameWidth + "s",
          row + " " + names.get(row)));
      long rowTotal = 0;
      for (int col = 0; col < classes; col++) {
        line.append(String.format(Locale.ROOT, "%" + cellWidth + "d", counts[row][col]));
        rowTotal += counts[row][col];
      }
      out.println(line.append(percent(counts[row][row], rowTotal)));
    }
    StringBuilder precision = new StringBuilder(String.format(Locale.ROOT, "%-" + nameWidth
        + "s", "precision"));
    for (int col = 0; col < classes; col++) {
      long columnTotal = 0;
      for (int[] row : counts) {
        columnTotal += row[col];
      }
      precision.append(String.format(Locale.ROOT, "%" + cellWidth + "s",
          columnTotal == 0 ? "-" : Math.round(100.0 * counts[col][col] / columnTotal)));
    }
    out.println(precision.append("   (%)"));
  }

  private static String percent(long part, long whole) {
    return whole == 0 ? "       -" : String.format(Locale.ROOT, "%8.1f%%", 100.0 * part / whole);
  }

  private static int maxCount(int[][] counts) {
    int max = 0;
    for (int[] row : counts) {
      for (int v : row) {
        max = Math.max(max, v);
      }
    }
    return max;
  }

  private static int countUnclassified(int[] predictions) {
    int count = 0;
    for (int p : predictions) {
      if (p == Classifier.NO_CLASS) {
        count++;
      }
    }
    return count;
  }
}
