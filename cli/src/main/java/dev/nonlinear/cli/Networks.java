package dev.nonlinear.cli;

import dev.nonlinear.io.FileFormatException;
import dev.nonlinear.io.SafeTensors;
import dev.nonlinear.nn.Conv2d;
import dev.nonlinear.nn.Flatten;
import dev.nonlinear.nn.Linear;
import dev.nonlinear.nn.MaxPool2d;
import dev.nonlinear.nn.Module;
import dev.nonlinear.nn.ReLU;
import dev.nonlinear.nn.Sequential;
import dev.nonlinear.nn.Sigmoid;
import dev.nonlinear.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The networks of the command line, built in one place so that the command that trains one and
 * the commands that load its weights agree on layers and parameter names. Weights come from
 * {@link dev.nonlinear.nn.Init}'s default generator: seed it first for reproducible runs.
 */
final class Networks {

  /** Pixels of a Fashion-MNIST image, 28·28. */
  static final int PIXELS = 28 * 28;

  /** Width of the autoencoder's code, the narrowest layer. */
  static final int CODE_SIZE = 32;

  private Networks() {}

  /**
   * The 28×28 classifier: {@code Conv2d(1, 32, 3, padding=1) → ReLU → MaxPool2d(2) →
   * Flatten → Linear(6272, 10)}, logits out. Parameters {@code 0.weight, 0.bias, 4.weight, 4.bias}, as
   * PyTorch names them. The first layer computes no input gradient: its input is data.
   */
  static Module fashionCnn() {
    Module model = new Sequential(
        new Conv2d(1, 32, 3, 1, 1),
        new ReLU(),
        new MaxPool2d(2, 2),
        new Flatten(),
        new Linear(32 * 14 * 14, 10));
    return model.inputGradientNeeded(false);
  }

  /**
   * The 28×28 classifier with the weights of a safetensors {@code file} (as {@code train --save}
   * writes it, or PyTorch's {@code save_file(model.state_dict())} of the same network).
   *
   * @throws FileFormatException if the file is not safetensors, or its tensors are not this
   *     network's (names or shapes; the message lists each difference)
   */
  static Module fashionCnn(Path file) throws IOException {
    Map<String, Tensor> state = SafeTensors.read(file);
    Module model = fashionCnn();
    try {
      model.loadStateDict(state, true);
    } catch (IllegalArgumentException e) {
      throw new FileFormatException(file.toString(), "not the weights of the 28×28 CNN ("
          + e.getMessage() + ")");
    }
    return model;
  }

  /**
   * The dense autoencoder on flattened images, {@code [N, 784] → [N, 784]}: Linear layers
   * 784 → 128 → 64 → 32 → 64 → 128 → 784 with ReLU between them and a Sigmoid at the
   * end, so reconstructions lie in [0, 1] as the pixels do. Parameters {@code 0.weight} ...
   * {@code 10.bias}, as PyTorch names those of the same {@code nn.Sequential}.
   */
  static Module autoencoder() {
    Module model = new Sequential(
        new Linear(PIXELS, 128), new ReLU(),
        new Linear(128, 64), new ReLU(),
        new Linear(64, CODE_SIZE), new ReLU(),
        new Linear(CODE_SIZE, 64), new ReLU(),
        new Linear(64, 128), new ReLU(),
        new Linear(128, PIXELS), new Sigmoid());
    return model.inputGradientNeeded(false);
  }
}
