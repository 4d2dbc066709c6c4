package dev.nonlinear.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The small CNN of {@code scripts/fixtures/make_cnn_fixture.py} against PyTorch 1.13: logits,
 * loss, every gradient, and the weights after two SGD steps with momentum.
 *
 * <p>Tolerance: the values are of order 0.01 to 2 and come from sums of at most 36 products
 * (the Linear layer) or 9 (the convolution), summed in another order than PyTorch's; float
 * rounding then differs by at most about {@code 36·ε·Σ|a·b| ≈ 36 · 6e-8 · 10 ≈ 2e-5}, so
 * {@value #TOLERANCE} absolute holds with no slack for a wrong term.
 */
class PyTorchCnnFixtureTest {

  private static final double TOLERANCE = 2e-5;

  @Test
  void smallCnnMatchesPyTorchStepForStep() throws IOException {
    Map<String, float[]> fixture = readFixture("/fixtures/cnn_sgd.txt");
    Sequential model = new Sequential(
        new Conv2d(1, 3, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1},
            true, new SplittableRandom(1)),
        new ReLU(),
        new MaxPool2d(2, 2),
        new Flatten(),
        new Linear(3 * 3 * 4, 5, true, new SplittableRandom(2)));
    model.namedParameters().forEach((name, parameter) -> {
      float[] init = fixture.get("init." + name);
      assertTrue(init != null, "fixture has PyTorch's name " + name);
      System.arraycopy(init, 0, parameter.value().data(), 0, init.length);
    });
    Tensor x = Tensor.of(fixture.get("input"), 4, 1, 6, 8);
    int[] targets = toInts(fixture.get("targets"));
    CrossEntropyLoss lossFunction = new CrossEntropyLoss();
    SGD optimizer = new SGD(model.parameters(), 0.01f, 0.9f);

    optimizer.zeroGrad();
    Tensor logits = model.forward(x);
    float loss = lossFunction.forward(logits, targets);
    model.backward(lossFunction.backward());
    assertClose("logits", fixture.get("logits"), logits.data());
    assertEquals(fixture.get("loss")[0], loss, TOLERANCE, "loss");
    model.namedParameters().forEach((name, parameter) ->
        assertClose("grad." + name, fixture.get("grad." + name), parameter.grad().data()));
    optimizer.step();

    optimizer.zeroGrad();
    lossFunction.forward(model.forward(x), targets);
    model.backward(lossFunction.backward());
    optimizer.step();
    model.namedParameters().forEach((name, parameter) ->
        assertClose("after2." + name, fixture.get("after2." + name), parameter.value().data()));
  }

  private static void assertClose(String what, float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, what + " length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], TOLERANCE, what + "[" + i + "]");
    }
  }

  private static int[] toInts(float[] values) {
    int[] ints = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      ints[i] = (int) values[i];
    }
    return ints;
  }

  /** Reads lines of {@code name shape v v v ...}, as the fixture script writes them. */
  static Map<String, float[]> readFixture(String resource) throws IOException {
    Map<String, float[]> tensors = new LinkedHashMap<>();
    try (InputStream in = PyTorchCnnFixtureTest.class.getResourceAsStream(resource)) {
      assertTrue(in != null, "missing test resource " + resource);
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        String[] fields = line.trim().split(" ");
        if (fields.length < 2) {
          continue;
        }
        float[] values = new float[fields.length - 2];
        for (int i = 0; i < values.length; i++) {
          values[i] = Float.parseFloat(fields[i + 2]);
        }
        tensors.put(fields[0], values);
      }
    }
    return tensors;
  }
}
