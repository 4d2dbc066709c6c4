package dev.nonlinear.cli;

import dev.nonlinear.io.FashionMnist;
import dev.nonlinear.nn.Module;
import dev.nonlinear.tensor.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nonlinear predict}: the most likely Fashion-MNIST classes of pictures, by the 28×28 CNN
 * with saved weights.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Classifies pictures (PNG, JPEG, of any size) with the 28×28 CNN's weights from train "
            + "--save, and prints the most likely classes with their probabilities.",
        "Each picture is made grey, inverted when its background is light (Fashion-MNIST shows "
            + "light clothes on black), trimmed to the object, padded to a square and resized "
            + "to 28×28. What the network saw is drawn to DIR/" + PredictCommand.PICTURE_FILE
            + " (--out)."})
final class PredictCommand implements Callable<Integer> {

  /** The network inputs with their top class, in the --out folder. */
  static final String PICTURE_FILE = "predict-inputs.png";

  /** Inputs per row of the picture. */
  private static final int PICTURE_COLUMNS = 8;

  @Option(names = "--model", paramLabel = "FILE", required = true, description = "The "
      + "weights, a safetensors file from train --save.")
  Path modelFile;

  @Option(names = "--top", paramLabel = "K", defaultValue = "3", description = "Classes shown "
      + "per picture, 1 to 10 (default: ${DEFAULT-VALUE}).")
  int top;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Pictures to classify.")
  List<Path> files;

  @Mixin
  OutputOptions output;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    validate();
    Path outDir = output.prepare(spec.commandLine());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Module model = Networks.fashionCnn(modelFile);
    model.eval();
    List<String> classes = FashionMnist.CLASSES;

    List<float[]> inputs = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    int failures = 0;
    for (Path file : files) {
      ImageInput.Prepared prepared;
      try {
        prepared = ImageInput.read(file);
      } catch (IOException e) {
        err.println("error: " + e.getMessage());
        failures++;
        continue;
      }
      double[] probabilities = probabilities(model, prepared.pixels());
      out.printf(Locale.ROOT, "%s (%d×%d%s)%n", file, prepared.width(), prepared.height(),
          prepared.inverted() ? ", light background: inverted" : "");
      int[] ranking = ranking(probabilities);
      if (ranking.length == 0) {
        out.println("  no prediction: the network gave NaN");
      }
      for (int r = 0; r < Math.min(top, ranking.length); r++) {
        out.printf(Locale.ROOT, "  %2d. %-12s %6.2f%%%n", r + 1, classes.get(ranking[r]),
            100 * probabilities[ranking[r]]);
      }
      inputs.add(prepared.pixels());
      captions.add(file.getFileName() + "\n" + (ranking.length == 0 ? "NaN"
          : String.format(Locale.ROOT, "%s %.0f%%", classes.get(ranking[0]),
              100 * probabilities[ranking[0]])));
    }
    if (!inputs.isEmpty()) {
      Path picture = outDir.resolve(PICTURE_FILE);
      ImageGrid.write(inputs, Math.min(PICTURE_COLUMNS, inputs.size()), captions, null,
          "What the network saw (28×28), and its top class", picture);
      out.println("network inputs: " + picture);
    }
    return failures == 0 ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
  }

  private void validate() {
    if (top < 1 || top > FashionMnist.CLASSES.size()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--top = " + top
          + ": expected 1 to " + FashionMnist.CLASSES.size());
    }
    if (!Files.isRegularFile(modelFile) || !Files.isReadable(modelFile)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--model " + modelFile
          + ": no such readable file");
    }
    for (Path file : files) {
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new CommandLine.ParameterException(spec.commandLine(), file
            + ": no such readable file");
      }
    }
  }

  /** The softmax of the network's logits for one 28×28 input, computed in double. */
  static double[] probabilities(Module model, float[] pixels) {
    Tensor logits = model.forward(Tensor.of(pixels.clone(), 1, 1, ImageInput.SIZE,
        ImageInput.SIZE));
    float[] values = logits.data();
    double max = Double.NEGATIVE_INFINITY;
    for (float v : values) {
      max = Math.max(max, v);
    }
    double[] probabilities = new double[values.length];
    double sum = 0;
    for (int c = 0; c < values.length; c++) {
      probabilities[c] = Math.exp(values[c] - max);
      sum += probabilities[c];
    }
    for (int c = 0; c < values.length; c++) {
      probabilities[c] /= sum;
    }
    return probabilities;
  }

  /** Classes by falling probability (ties: lower class first); empty when any is NaN. */
  static int[] ranking(double[] probabilities) {
    for (double p : probabilities) {
      if (Double.isNaN(p)) {
        return new int[0];
      }
    }
    return java.util.stream.IntStream.range(0, probabilities.length).boxed()
        .sorted((a, b) -> Double.compare(probabilities[b], probabilities[a]))
        .mapToInt(Integer::intValue).toArray();
  }
}
