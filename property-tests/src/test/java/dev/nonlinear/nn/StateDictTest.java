package dev.nonlinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.io.SafeTensors;
import dev.nonlinear.tensor.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Module#stateDict()} and {@link Module#loadStateDict(Map, boolean)}: PyTorch's weights
 * of the mission CNN (from {@code scripts/fixtures/make_state_fixture.py}) load under PyTorch's
 * names and give PyTorch's logits; strict and non-strict errors list every problem and write
 * nothing; a Java save and load round trip is bit-exact.
 */
class StateDictTest {

  private static final List<String> KEYS = List.of("0.weight", "0.bias", "4.weight", "4.bias");
  private static final int FEATURES = 32 * 14 * 14;
  private static final double EPSILON = Math.ulp(1f);

  @TempDir
  Path folder;

  /**
   * Tolerance, per logit i: the Linear layer sums K = 6272 products, which float rounding may
   * change by at most about {@code K·ε·Σ_j|W_ij·h_j|} on each side (Java and PyTorch sum in
   * different orders), and each input h_j carries the error of a 9-term convolution, relatively
   * at most {@code 10·ε}, which adds {@code 10·ε·Σ_j|W_ij·h_j|}. Hence
   * {@code 2·(K + 10)·ε·(Σ_j|W_ij·h_j| + |b_i|)}. This worst-case bound is about 0.03 here
   * (the measured differences are near 3e-7), against logits of order 0.1 to 0.8; a layout
   * mistake moves them by far more (0.4 with each 3×3 kernel transposed, see
   * {@link #aTransposedKernelFallsOutsideTheBound()}).
   */
  @Test
  void pyTorchStateDictLoadsStrictAndGivesPyTorchsLogits() throws IOException {
    Map<String, Tensor> state = SafeTensors.read(resource("state_cnn.safetensors"));
    Map<String, Tensor> io = SafeTensors.read(resource("state_cnn_io.safetensors"));
    Sequential model = missionCnn(1);
    assertEquals(KEYS, List.copyOf(state.keySet()), "PyTorch's state_dict names");

    model.loadStateDict(state, true);

    Tensor input = io.get("input");
    float[] expected = io.get("logits").data();
    float[] actual = model.forward(input).data().clone();
    float[] bounds = logitBounds(model, input);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], bounds[i], "logit " + i);
    }
  }

  /** The logits test can fail: weights in the wrong layout fall outside its bound. */
  @Test
  void aTransposedKernelFallsOutsideTheBound() throws IOException {
    Map<String, Tensor> state = copyOf(SafeTensors.read(resource("state_cnn.safetensors")));
    Map<String, Tensor> io = SafeTensors.read(resource("state_cnn_io.safetensors"));
    transposeEachKernel(state.get("0.weight").data());
    Sequential model = missionCnn(1);
    model.loadStateDict(state, true);

    Tensor input = io.get("input");
    float[] expected = io.get("logits").data();
    float[] actual = model.forward(input).data().clone();
    float[] bounds = logitBounds(model, input);
    boolean outside = false;
    for (int i = 0; i < expected.length; i++) {
      outside |= Math.abs(expected[i] - actual[i]) > bounds[i];
    }
    assertTrue(outside, "transposed 3x3 kernels still passed the logits bound");
  }

  @Test
  void stateDictSharesTheParameterArraysInOrder() {
    Sequential model = missionCnn(1);

    Map<String, Tensor> state = model.stateDict();

    assertEquals(KEYS, List.copyOf(state.keySet()));
    model.namedParameters().forEach((name, parameter) ->
        assertSame(parameter.value().data(), state.get(name).data(), name));
  }

  @Test
  void saveThenLoadIsBitExact() throws IOException {
    Sequential saved = missionCnn(1);
    float[] weights = saved.stateDict().get("0.weight").data();
    weights[0] = -0f;
    weights[1] = Float.MIN_VALUE;
    weights[2] = Float.intBitsToFloat(0x7fc0_1234);
    weights[3] = Float.NEGATIVE_INFINITY;
    Path file = folder.resolve("cnn.safetensors");
    SafeTensors.write(saved.stateDict(), file);
    Sequential loaded = missionCnn(2);

    loaded.loadStateDict(SafeTensors.read(file), true);

    for (String key : KEYS) {
      assertArrayEquals(rawBits(saved.stateDict().get(key)),
          rawBits(loaded.stateDict().get(key)), key);
    }
  }

  @Test
  void strictListsAMissingKey() {
    Map<String, Tensor> state = copyOf(missionCnn(2).stateDict());
    state.remove("4.bias");

    assertStrictFailure(state, "loadStateDict: missing: [4.bias]; nothing was loaded");
  }

  @Test
  void strictListsAnUnexpectedKey() {
    Map<String, Tensor> state = copyOf(missionCnn(2).stateDict());
    state.put("fc.weight", Tensor.zeros(10, 4));

    assertStrictFailure(state, "loadStateDict: unexpected: [fc.weight]; nothing was loaded");
  }

  @Test
  void strictListsAMisShapedKey() {
    Map<String, Tensor> state = copyOf(missionCnn(2).stateDict());
    state.put("0.weight", state.get("0.weight").reshape(32, 3, 3));

    assertStrictFailure(state, "loadStateDict: mis-shaped: 0.weight [32, 1, 3, 3] expected, "
        + "file has [32, 3, 3]; nothing was loaded");
  }

  @Test
  void strictListsEveryProblemAtOnce() {
    Map<String, Tensor> state = copyOf(missionCnn(2).stateDict());
    state.remove("4.bias");
    state.remove("0.bias");
    state.put("fc.weight", Tensor.zeros(10, 4));
    state.put("0.weight", state.get("0.weight").reshape(32, 3, 3));
    state.put("4.weight", state.get("4.weight").reshape(FEATURES, 10));

    assertStrictFailure(state, "loadStateDict: missing: [0.bias, 4.bias]; "
        + "unexpected: [fc.weight]; mis-shaped: 0.weight [32, 1, 3, 3] expected, file has "
        + "[32, 3, 3], 4.weight [10, 6272] expected, file has [6272, 10]; nothing was loaded");
  }

  @Test
  void nonStrictSkipsMissingAndUnexpectedKeys() {
    Sequential model = missionCnn(1);
    Map<String, float[]> before = snapshot(model);
    Map<String, Tensor> state = copyOf(missionCnn(2).stateDict());
    state.remove("0.bias");
    state.put("fc.weight", Tensor.zeros(10, 4));

    model.loadStateDict(state, false);

    assertArrayEquals(before.get("0.bias"), model.stateDict().get("0.bias").data(), "0.bias");
    for (String key : List.of("0.weight", "4.weight", "4.bias")) {
      assertArrayEquals(state.get(key).data(), model.stateDict().get(key).data(), key);
    }
  }

  @Test
  void nonStrictStillRejectsAMisShapedKeyAndWritesNothing() {
    Sequential model = missionCnn(1);
    Map<String, float[]> before = snapshot(model);
    Map<String, Tensor> state = copyOf(missionCnn(2).stateDict());
    state.remove("0.bias");
    state.put("fc.weight", Tensor.zeros(10, 4));
    state.put("4.bias", Tensor.zeros(11));

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> model.loadStateDict(state, false));

    assertEquals("loadStateDict: mis-shaped: 4.bias [10] expected, file has [11]; "
        + "nothing was loaded", error.getMessage());
    assertUnchanged(before, model);
  }

  @Test
  void aNullTensorIsRejectedByNameBeforeWriting() {
    Sequential model = missionCnn(1);
    Map<String, float[]> before = snapshot(model);
    Map<String, Tensor> state = copyOf(missionCnn(2).stateDict());
    state.put("4.bias", null);

    NullPointerException error = assertThrows(NullPointerException.class,
        () -> model.loadStateDict(state, true));

    assertTrue(error.getMessage().contains("'4.bias'"), error.getMessage());
    assertUnchanged(before, model);
  }

  /** A strict load of {@code state} fails with {@code message} and leaves the model as it was. */
  private static void assertStrictFailure(Map<String, Tensor> state, String message) {
    Sequential model = missionCnn(1);
    Map<String, float[]> before = snapshot(model);

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> model.loadStateDict(state, true));

    assertEquals(message, error.getMessage());
    assertUnchanged(before, model);
  }

  /** The per-logit bound of the class-level tolerance comment, from the model's own layers. */
  private static float[] logitBounds(Sequential model, Tensor input) {
    Tensor features = input;
    for (int layer = 0; layer < 4; layer++) {
      features = model.get(layer).forward(features);
    }
    float[] h = features.data();
    float[] weight = model.stateDict().get("4.weight").data();
    float[] bias = model.stateDict().get("4.bias").data();
    int batch = input.size(0);
    int classes = bias.length;
    float[] bounds = new float[batch * classes];
    for (int n = 0; n < batch; n++) {
      for (int i = 0; i < classes; i++) {
        double magnitude = Math.abs(bias[i]);
        for (int j = 0; j < FEATURES; j++) {
          magnitude += Math.abs((double) weight[i * FEATURES + j] * h[n * FEATURES + j]);
        }
        bounds[n * classes + i] = (float) (2 * (FEATURES + 10) * EPSILON * magnitude);
      }
    }
    return bounds;
  }

  /** Swaps rows and columns of each 3×3 kernel in a {@code [C_out, 1, 3, 3]} weight. */
  private static void transposeEachKernel(float[] weight) {
    for (int base = 0; base < weight.length; base += 9) {
      for (int row = 0; row < 3; row++) {
        for (int column = row + 1; column < 3; column++) {
          float upper = weight[base + row * 3 + column];
          weight[base + row * 3 + column] = weight[base + column * 3 + row];
          weight[base + column * 3 + row] = upper;
        }
      }
    }
  }

  private static Sequential missionCnn(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    return new Sequential(
        new Conv2d(1, 32, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1},
            true, random),
        new ReLU(),
        new MaxPool2d(2, 2),
        new Flatten(),
        new Linear(FEATURES, 10, true, random));
  }

  private static Map<String, Tensor> copyOf(Map<String, Tensor> state) {
    Map<String, Tensor> copy = new LinkedHashMap<>();
    state.forEach((name, tensor) -> copy.put(name, tensor.copy()));
    return copy;
  }

  private static Map<String, float[]> snapshot(Module model) {
    Map<String, float[]> values = new LinkedHashMap<>();
    model.stateDict().forEach((name, tensor) -> values.put(name, tensor.data().clone()));
    return values;
  }

  private static void assertUnchanged(Map<String, float[]> before, Module model) {
    before.forEach((name, values) ->
        assertArrayEquals(values, model.stateDict().get(name).data(), name + " was written"));
  }

  private static int[] rawBits(Tensor tensor) {
    float[] values = tensor.data();
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }

  private static Path resource(String name) {
    try {
      var url = StateDictTest.class.getResource("/fixtures/" + name);
      assertTrue(url != null, "missing test resource /fixtures/" + name);
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }
}
