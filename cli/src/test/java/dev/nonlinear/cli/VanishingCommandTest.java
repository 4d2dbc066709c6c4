package dev.nonlinear.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.cli.VanishingCommand.Initialisation;
import dev.nonlinear.cli.VanishingCommand.Measurement;
import dev.nonlinear.nn.ReLU;
import dev.nonlinear.nn.Sequential;
import dev.nonlinear.nn.Sigmoid;
import dev.nonlinear.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VanishingCommandTest {

  private static final int LAYERS = 10;
  private static final int WIDTH = 32;
  private static final int BATCH = 64;

  /**
   * Measured (seeds 1, 2, 3, 42, both inits): the sigmoid network's first-layer gradient is
   * 7e-6 to 1.5e-5 (kaiming) or 8e-9 to 1.3e-7 (pytorch) of its last layer's, and 2e-5 to
   * 1e-4 of the ReLU network's first-layer gradient. A factor of 1e-3 leaves a margin of ten
   * below all of those, and is far beyond what rounding could produce.
   */
  private static final double MUCH_SMALLER = 1e-3;

  @TempDir
  Path dir;

  @Test
  void sigmoidGradientVanishesTowardsTheInputAndReluKeepsIt() {
    for (Initialisation init : Initialisation.values()) {
      for (long seed : new long[] {1, 2, 3, 42}) {
        Measurement sigmoid = VanishingCommand.measure("sigmoid", Sigmoid::new, LAYERS, WIDTH,
            BATCH, init, seed);
        Measurement relu = VanishingCommand.measure("ReLU", ReLU::new, LAYERS, WIDTH, BATCH,
            init, seed);
        String where = init + " init, seed " + seed + ": sigmoid "
            + Arrays.toString(sigmoid.norms()) + ", ReLU " + Arrays.toString(relu.norms());

        assertEquals(LAYERS, sigmoid.norms().length, where);
        assertTrue(sigmoid.norms()[0] < MUCH_SMALLER * sigmoid.norms()[LAYERS - 1], where);
        assertTrue(sigmoid.norms()[0] < MUCH_SMALLER * relu.norms()[0], where);
        assertTrue(sigmoid.norms()[0] > 0, "a gradient, however small: " + where);
      }
    }
  }

  @Test
  void withKaimingInitReluGradientStaysWithinAnOrderOfMagnitude() {
    Measurement relu = VanishingCommand.measure("ReLU", ReLU::new, LAYERS, WIDTH, BATCH,
        Initialisation.kaiming, 42);
    double first = relu.norms()[0];
    double last = relu.norms()[LAYERS - 1];
    assertTrue(first > 0.1 * last && first < 10 * last, Arrays.toString(relu.norms()));
  }

  @Test
  void bothNetworksStartFromTheSameWeights() {
    for (Initialisation init : Initialisation.values()) {
      Sequential sigmoid = VanishingCommand.network(Sigmoid::new, LAYERS, WIDTH, init,
          new SplittableRandom(7));
      Sequential relu = VanishingCommand.network(ReLU::new, LAYERS, WIDTH, init,
          new SplittableRandom(7));
      Map<String, Tensor> sigmoidState = sigmoid.stateDict();
      Map<String, Tensor> reluState = relu.stateDict();
      assertEquals(sigmoidState.keySet(), reluState.keySet());
      sigmoidState.forEach((name, value) ->
          assertArrayEquals(value.data(), reluState.get(name).data(), name));
    }
  }

  @Test
  void printsTheTableAndWritesBothPictures() throws IOException {
    CliRunner run = CliRunner.run("vanishing", "--layers", "6", "--out", dir.toString());

    assertEquals(0, run.exitCode(), run.transcript());
    assertTrue(run.out().contains("layer         sigmoid            ReLU"), run.transcript());
    assertTrue(run.out().lines().anyMatch(line -> line.startsWith("    6  ")), run.transcript());
    assertTrue(run.out().lines().noneMatch(line -> line.startsWith("    7  ")), run.transcript());
    assertTrue(run.out().contains("first / last layer: sigmoid "), run.transcript());
    for (String name : new String[] {"vanishing-derivatives.png", "vanishing-gradients.png"}) {
      var image = ActivationsCommandTest.readPng(dir.resolve(name));
      assertEquals(900, image.getWidth());
      assertTrue(ActivationsCommandTest.holdsColour(image, 0x1f77b4), name + ": no sigmoid");
      assertTrue(ActivationsCommandTest.holdsColour(image, 0xff7f0e), name + ": no ReLU");
    }
  }

  @Test
  void refusesTooFewLayers() {
    CliRunner run = CliRunner.run("vanishing", "--layers", "1", "--out", dir.toString());
    assertEquals(2, run.exitCode(), run.transcript());
    assertTrue(run.err().contains("--layers = 1"), run.transcript());
  }
}
