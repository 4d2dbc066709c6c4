package dev.nonlinear.cli;

import dev.nonlinear.io.Images;
import dev.nonlinear.io.RgbImage;
import dev.nonlinear.io.SafeTensors;
import dev.nonlinear.kernel.Softmax;
import dev.nonlinear.nn.AdaptiveAvgPool2d;
import dev.nonlinear.nn.Conv2d;
import dev.nonlinear.nn.Flatten;
import dev.nonlinear.nn.Init;
import dev.nonlinear.nn.Linear;
import dev.nonlinear.nn.MaxPool2d;
import dev.nonlinear.nn.Module;
import dev.nonlinear.nn.ReLU;
import dev.nonlinear.nn.Sequential;
import dev.nonlinear.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nonlinear classify IMAGE}: a picture of any size through torchvision's usual input
 * pipeline (resize, to-tensor, normalize) and a small 3-channel CNN, printing the input's
 * statistics and the ten class probabilities.
 */
@Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Runs a picture of any size through a small RGB CNN (untrained unless --model) and "
            + "prints the ten class scores.",
        "The network, for 224×224 RGB input: Conv2d(3, 16, 3, padding=1), ReLU, MaxPool2d(2), "
            + "Conv2d(16, 32, 3, padding=1), ReLU, MaxPool2d(2), AdaptiveAvgPool2d(1), "
            + "Flatten, Linear(32, 10).",
        "The picture (PNG, JPEG, BMP or GIF) is converted to RGB, scaled to [0, 1], resized "
            + "to 224×224 (bilinear, as "
            + "PyTorch's interpolate with align_corners=False) and normalized with mean 0.5 "
            + "and std 0.5 per channel. Prints the input's statistics and the softmax of the "
            + "ten outputs, and writes the 224×224 picture the network sees to --out as "
            + "classify-input.png.",
        "Without --model the weights are random (from --seed): the network is untrained and "
            + "its scores mean nothing."})
final class ClassifyCommand implements Callable<Integer> {

  /** The network's input height and width. */
  static final int SIZE = 224;

  /** The number of outputs. */
  static final int CLASSES = 10;

  /** torchvision's {@code Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))}: [0, 1] to [-1, 1]. */
  static final float[] MEAN = {0.5f, 0.5f, 0.5f};
  static final float[] STD = {0.5f, 0.5f, 0.5f};

  /** The file the resized input picture is written to, in --out. */
  static final String INPUT_PICTURE = "classify-input.png";

  @Parameters(index = "0", paramLabel = "IMAGE", description = "A PNG, JPEG, BMP or GIF "
      + "picture of any size (at most " + Images.DEFAULT_MAX_PIXELS + " pixels).")
  Path imageFile;

  @Option(names = "--model", paramLabel = "FILE", description = "Weights in safetensors format "
      + "under PyTorch's state_dict names of the network above (0.weight, 0.bias, 3.weight, "
      + "3.bias, 8.weight, 8.bias); default: random weights from --seed.")
  Path modelFile;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the random weights "
      + "(default: ${DEFAULT-VALUE}).")
  long seed;

  @CommandLine.Mixin
  OutputOptions output;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    validate();
    Path folder = output.prepare(spec.commandLine());
    PrintWriter out = spec.commandLine().getOut();
    Module model = model(seed);
    loadWeights(model, out);

    RgbImage picture = Images.read(imageFile);
    Tensor resized = Images.resize(Images.toTensor(picture), SIZE, SIZE);
    Tensor input = Images.normalize(resized, MEAN, STD).reshape(1, 3, SIZE, SIZE);
    out.printf(Locale.ROOT, "picture: %s, %d×%d pixels%n", imageFile, picture.width(),
        picture.height());
    out.printf(Locale.ROOT, "input %s: resized to %d×%d (bilinear), normalized (mean 0.5, "
        + "std 0.5)%n", input.shapeString(), SIZE, SIZE);
    printStatistics(input, out);
    Path written = writePicture(resized, folder.resolve(INPUT_PICTURE));
    out.println("the network's view (before normalization): " + written);

    model.eval();
    float[] probabilities = softmax(model.forward(input));
    for (float probability : probabilities) {
      if (Float.isNaN(probability)) {
        spec.commandLine().getErr().println("error: the network gave NaN scores: its weights "
            + "hold NaN or infinite values");
        return CommandLine.ExitCode.SOFTWARE;
      }
    }
    printScores(probabilities, out);
    return CommandLine.ExitCode.OK;
  }

  /**
   * The network, with random weights from {@code seed}; its parameters are named as PyTorch's
   * {@code state_dict} of the same {@code nn.Sequential}.
   */
  static Module model(long seed) {
    Init.manualSeed(seed);
    Module model = new Sequential(
        new Conv2d(3, 16, 3, 1, 1),
        new ReLU(),
        new MaxPool2d(2, 2),
        new Conv2d(16, 32, 3, 1, 1),
        new ReLU(),
        new MaxPool2d(2, 2),
        new AdaptiveAvgPool2d(1),
        new Flatten(),
        new Linear(32, CLASSES));
    return model.inputGradientNeeded(false);
  }

  private void validate() {
    if (!Files.isRegularFile(imageFile)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "IMAGE " + imageFile
          + ": no such file");
    }
    if (modelFile != null && !Files.isRegularFile(modelFile)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--model " + modelFile
          + ": no such file");
    }
  }

  private void loadWeights(Module model, PrintWriter out) throws IOException {
    if (modelFile == null) {
      out.printf(Locale.ROOT, "weights: random, from --seed %d (%,d values)%n", seed,
          model.parameterCount());
      return;
    }
    Map<String, Tensor> state = SafeTensors.read(modelFile);
    try {
      model.loadStateDict(state, true);
    } catch (IllegalArgumentException e) {
      throw new IOException("--model " + modelFile + " does not fit the network: "
          + e.getMessage(), e);
    }
    out.printf(Locale.ROOT, "weights: %s (%d tensors, %,d values)%n", modelFile, state.size(),
        model.parameterCount());
  }

  /** Mean, standard deviation, minimum and maximum of each channel of {@code [1, 3, H, W]}. */
  private static void printStatistics(Tensor input, PrintWriter out) {
    float[] x = input.data();
    int plane = input.size(2) * input.size(3);
    out.println("channel     mean      std      min      max");
    String[] names = {"red", "green", "blue"};
    for (int c = 0; c < 3; c++) {
      double sum = 0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (int i = c * plane; i < (c + 1) * plane; i++) {
        sum += x[i];
        min = Math.min(min, x[i]);
        max = Math.max(max, x[i]);
      }
      double mean = sum / plane;
      double squares = 0;
      for (int i = c * plane; i < (c + 1) * plane; i++) {
        squares += (x[i] - mean) * (x[i] - mean);
      }
      out.printf(Locale.ROOT, "%-7s %8.4f %8.4f %8.4f %8.4f%n", names[c], mean,
          Math.sqrt(squares / plane), min, max);
    }
  }

  /** The resized [0, 1] picture as an 8-bit PNG. */
  private static Path writePicture(Tensor resized, Path file) throws IOException {
    BufferedImage picture = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
    float[] x = resized.data();
    int plane = SIZE * SIZE;
    for (int p = 0; p < plane; p++) {
      int rgb = 0;
      for (int c = 0; c < 3; c++) {
        rgb = rgb << 8 | Math.round(Math.clamp(x[c * plane + p], 0f, 1f) * 255);
      }
      picture.setRGB(p % SIZE, p / SIZE, rgb);
    }
    if (!ImageIO.write(picture, "png", file.toFile())) {
      throw new IOException("no PNG writer in this Java runtime");
    }
    return file;
  }

  private static float[] softmax(Tensor logits) {
    float[] probabilities = new float[CLASSES];
    Softmax.softmax(logits.data(), 0, probabilities, 0, 1, CLASSES);
    return probabilities;
  }

  private void printScores(float[] probabilities, PrintWriter out) {
    out.println("class scores (softmax):");
    int best = 0;
    double sum = 0;
    for (int k = 0; k < CLASSES; k++) {
      out.printf(Locale.ROOT, "  class %d: %.4f %s%n", k, probabilities[k],
          "#".repeat(Math.round(probabilities[k] * 40)));
      best = probabilities[k] > probabilities[best] ? k : best;
      sum += probabilities[k];
    }
    out.printf(Locale.ROOT, "sum: %.4f; highest: class %d (%.4f)%n", sum, best,
        probabilities[best]);
    if (modelFile == null) {
      out.println("NOTE: the network is UNTRAINED (random weights): these scores are "
          + "meaningless.");
      out.println("NOTE: pass --model FILE with trained weights for real predictions.");
    }
  }
}
