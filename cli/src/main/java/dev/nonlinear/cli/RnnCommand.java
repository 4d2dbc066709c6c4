package dev.nonlinear.cli;

import dev.nonlinear.nn.Adam;
import dev.nonlinear.nn.Init;
import dev.nonlinear.nn.Linear;
import dev.nonlinear.nn.MSELoss;
import dev.nonlinear.nn.Parameter;
import dev.nonlinear.nn.RNN;
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

/**
 * {@code nonlinear rnn}: the tanh RNN on a small batch (shapes and values of output and h_n),
 * then trained to predict the next value of sine waves of unknown frequency and phase.
 */
@Command(name = "rnn", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "A tanh RNN's output and h_n on a seeded batch, then a short training run on sine "
            + "waves whose loss falls.",
        "First shows a tanh RNN (nn.RNN) on a seeded batch of sequences: the shapes and values "
            + "of its output and h_n. Then trains RNN(1, H) + Linear(H, 1) with Adam and MSE to "
            + "predict "
            + "the next value of sine waves whose frequency (0.1 to 0.5 radians per step) and "
            + "phase are random, so the network must infer them from the values it has seen; "
            + "prints the loss as it falls, and compares the trained network with repeating "
            + "the last value.",
        "Writes rnn-loss.csv (step, loss) to --out."})
final class RnnCommand implements Callable<Integer> {

  /** The file the loss curve is written to, in --out. */
  static final String LOSS_FILE = "rnn-loss.csv";

  /** Sequences in the held-out batch the trained network is measured on. */
  static final int TEST_SEQUENCES = 256;

  /** Lowest and highest angular frequency of the waves, in radians per step. */
  static final double MIN_FREQUENCY = 0.1;
  static final double MAX_FREQUENCY = 0.5;

  @Option(names = "--hidden", defaultValue = "16", description = "Hidden size H "
      + "(default: ${DEFAULT-VALUE}).")
  int hidden;

  @Option(names = "--steps", defaultValue = "400", description = "Training steps, each on a "
      + "fresh batch (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--length", defaultValue = "24", description = "Time steps per sequence "
      + "(default: ${DEFAULT-VALUE}).")
  int length;

  @Option(names = "--batch-size", defaultValue = "32", description = "Sequences per step "
      + "(default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--lr", defaultValue = "0.01", description = "Adam's learning rate "
      + "(default: ${DEFAULT-VALUE}).")
  float learningRate;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the weights and the "
      + "data (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin
  OutputOptions output;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    validate();
    Path folder = output.prepare(spec.commandLine());
    PrintWriter out = spec.commandLine().getOut();
    Init.manualSeed(seed);
    SplittableRandom data = new SplittableRandom(seed);

    showOneForwardPass(data, out);
    RNN rnn = new RNN(1, hidden);
    Linear head = new Linear(hidden, 1);
    rnn.inputGradientNeeded(false);
    Waves test = Waves.draw(new SplittableRandom(seed ^ 0x7e57L), length, TEST_SEQUENCES);
    out.println();
    out.printf(Locale.ROOT, "training RNN(1, %d) + Linear(%d, 1) to predict the next value of "
        + "sine waves:%n  %d steps of %d sequences of length %d, MSE, Adam lr %s%n", hidden,
        hidden, steps, batchSize, length, learningRate);
    out.printf(Locale.ROOT, "held-out MSE before training: %.5f%n", testLoss(rnn, head, test));

    List<Float> losses;
    try {
      losses = train(rnn, head, data, out);
    } catch (Trainer.DivergedException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return Main.EXIT_DIVERGED;
    }
    double before = meanOf(losses.subList(0, Math.min(10, losses.size())));
    double after = meanOf(losses.subList(Math.max(0, losses.size() - 10), losses.size()));
    out.printf(Locale.ROOT, "training loss: %.5f (mean of the first 10 steps) -> %.5f (last 10)"
        + "%n", before, after);
    out.printf(Locale.ROOT, "held-out MSE after training: %.5f; repeating the last value: "
        + "%.5f%n", testLoss(rnn, head, test), test.repeatLastLoss());
    Path file = writeLosses(folder, losses);
    out.println("loss curve: " + file);
    return CommandLine.ExitCode.OK;
  }

  private void validate() {
    require(hidden >= 1 && hidden <= 4096, "--hidden = " + hidden + ": expected 1 to 4096");
    require(steps >= 1, "--steps = " + steps + ": expected at least 1");
    require(length >= 2 && length <= 10_000, "--length = " + length + ": expected 2 to 10000");
    require(batchSize >= 1 && batchSize <= 65_536, "--batch-size = " + batchSize
        + ": expected 1 to 65536");
    require(learningRate > 0 && Float.isFinite(learningRate), "--lr = " + learningRate
        + ": expected a finite number > 0");
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }

  /** A 2-sequence, 5-step batch through a 3-unit RNN: what comes out, and its shapes. */
  private static void showOneForwardPass(SplittableRandom data, PrintWriter out) {
    int steps = 5;
    int batch = 2;
    RNN rnn = new RNN(1, 3);
    Tensor x = Waves.draw(data, steps, batch).inputs();
    Tensor output = rnn.forward(x);
    Tensor hn = rnn.hn();
    out.println("RNN(1, 3), tanh, on a seeded batch of 2 sequences of 5 steps:");
    out.println("  input  " + x.shapeString() + " [L, N, input_size], x_t of every step:");
    for (int n = 0; n < batch; n++) {
      StringBuilder sequence = new StringBuilder();
      for (int t = 0; t < steps; t++) {
        sequence.append(String.format(Locale.ROOT, " %.4f", x.data()[t * batch + n]));
      }
      out.println("    sequence " + n + ":" + sequence);
    }
    out.println("  output " + output.shapeString() + " [L, N, H], h_t of every step:");
    for (int t = 0; t < steps; t++) {
      out.printf(Locale.ROOT, "    t=%d  sequence 0: %s  sequence 1: %s%n", t,
          values(output.data(), (t * batch) * 3, 3), values(output.data(), (t * batch + 1) * 3,
          3));
    }
    out.println("  h_n    " + hn.shapeString() + " [num_layers, N, H]: sequence 0: "
        + values(hn.data(), 0, 3) + "  sequence 1: " + values(hn.data(), 3, 3));
    boolean same = true;
    for (int i = 0; i < hn.numel(); i++) {
      same &= hn.data()[i] == output.data()[(steps - 1) * batch * 3 + i];
    }
    out.println("  h_n equals the output's last step: " + same);
  }

  private static String values(float[] data, int from, int count) {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      text.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f",
          data[from + i]));
    }
    return text.append("]").toString();
  }

  /** Adam on a fresh batch per step; returns every step's loss. */
  private List<Float> train(RNN rnn, Linear head, SplittableRandom data, PrintWriter out) {
    List<Parameter> parameters = new ArrayList<>(rnn.parameters());
    parameters.addAll(head.parameters());
    Adam adam = new Adam(parameters, learningRate);
    MSELoss mse = new MSELoss();
    ProgressBar bar = new ProgressBar(out, "rnn", steps, ProgressBar.stdoutIsTerminal(),
        System::nanoTime);
    List<Float> losses = new ArrayList<>(steps);
    for (int step = 1; step <= steps; step++) {
      Waves batch = Waves.draw(data, length, batchSize);
      adam.zeroGrad();
      Tensor prediction = head.forward(rnn.forward(batch.inputs()));
      float loss = mse.forward(prediction, batch.targets());
      Trainer.requireFinite(loss, bar, step, steps);
      rnn.backward(head.backward(mse.backward()));
      adam.step();
      losses.add(loss);
      bar.update(step, String.format(Locale.ROOT, "loss %.5f", loss));
    }
    return losses;
  }

  private static float testLoss(RNN rnn, Linear head, Waves test) {
    return new MSELoss().forward(head.forward(rnn.forward(test.inputs())), test.targets());
  }

  private static double meanOf(List<Float> values) {
    double sum = 0;
    for (float value : values) {
      sum += value;
    }
    return sum / values.size();
  }

  private static Path writeLosses(Path folder, List<Float> losses) throws IOException {
    StringBuilder csv = new StringBuilder("step,loss\n");
    for (int i = 0; i < losses.size(); i++) {
      csv.append(i + 1).append(',').append(losses.get(i)).append('\n');
    }
    return Files.writeString(folder.resolve(LOSS_FILE), csv);
  }

  /**
   * Sine waves {@code sin(ω·t + φ)} sampled at t = 0..L, time-major: inputs are steps 0..L-1,
   * targets steps 1..L (the next value of each).
   */
  record Waves(Tensor inputs, Tensor targets) {

    static Waves draw(SplittableRandom random, int length, int count) {
      float[] inputs = new float[length * count];
      float[] targets = new float[length * count];
      for (int n = 0; n < count; n++) {
        double frequency = random.nextDouble(MIN_FREQUENCY, MAX_FREQUENCY);
        double phase = random.nextDouble(2 * Math.PI);
        for (int t = 0; t < length; t++) {
          inputs[t * count + n] = (float) Math.sin(frequency * t + phase);
          targets[t * count + n] = (float) Math.sin(frequency * (t + 1) + phase);
        }
      }
      return new Waves(Tensor.of(inputs, length, count, 1), Tensor.of(targets, length, count,
          1));
    }

    /** The MSE of predicting each next value as the current one. */
    double repeatLastLoss() {
      double sum = 0;
      float[] x = inputs.data();
      float[] y = targets.data();
      for (int i = 0; i < x.length; i++) {
        sum += (double) (y[i] - x[i]) * (y[i] - x[i]);
      }
      return sum / x.length;
    }
  }
}
