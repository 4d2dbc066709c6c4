package dev.nonlinear.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * ReLU and its gradient are exact, so every output is compared bit for bit (signed zeros and NaN
 * included) with a reference written here from PyTorch 1.13's observed rules:
 * {@code relu(x) = x < 0 ? +0 : x} and {@code reluBackward = x <= 0 ? +0 : gradY}.
 */
class ReluProperties {

  private static final int LANES = Backend.current().floatLanes();

  /** The largest length tried: three full vectors and a tail of three. */
  private static final int MAX_LENGTH = 3 * LANES + 3;

  private static final float[] SPECIALS = {
    Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
    Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL,
    44f, -44f, 88f, -88f, 89f, -89f, 104f, -104f, 1e4f, -1e4f, Float.MAX_VALUE, -Float.MAX_VALUE,
    1f, -1f, 0.5f, -3f, 2f
  };

  private interface Forward {
    void run(float[] x, int xOff, float[] y, int yOff, int n);
  }

  private interface Backward {
    void run(float[] x, int xOff, float[] gradY, int gyOff, float[] gradX, int gxOff, int n);
  }

  private static float referenceRelu(float x) {
    return x < 0f ? 0f : x;
  }

  private static float referenceReluGrad(float x, float gradY) {
    return x <= 0f ? 0f : gradY;
  }

  /** Values drawn half from the specials and half as arbitrary bit patterns. */
  private static float[] sample(Random random, int length) {
    float[] values = new float[length];
    for (int i = 0; i < length; i++) {
      values[i] = random.nextBoolean()
          ? SPECIALS[random.nextInt(SPECIALS.length)]
          : Float.intBitsToFloat(random.nextInt());
    }
    return values;
  }

  private static void assertBitsEqual(float expected, float actual, String where) {
    assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual),
        () -> where + ": expected " + expected + ", got " + actual);
  }

  private static void checkForward(String name, Forward kernel, long seed, int n, int offset) {
    Random random = new Random(seed);
    float[] x = sample(random, n + 2 * offset);
    float[] original = x.clone();
    float[] y = new float[n + offset + 1];
    Arrays.fill(y, 7f);

    kernel.run(x, offset, y, 1, n);

    assertArrayEquals(original, x, name + ": input changed");
    assertBitsEqual(7f, y[0], name + " wrote before its range");
    for (int i = 0; i < n; i++) {
      assertBitsEqual(referenceRelu(x[offset + i]), y[1 + i],
          name + " out of place, n=" + n + ", i=" + i + ", x=" + x[offset + i]);
    }
    for (int i = n + 1; i < y.length; i++) {
      assertBitsEqual(7f, y[i], name + " wrote past its range");
    }

    kernel.run(x, offset, x, offset, n);

    for (int i = 0; i < x.length; i++) {
      boolean inside = i >= offset && i < offset + n;
      float expected = inside ? referenceRelu(original[i]) : original[i];
      assertBitsEqual(expected, x[i], name + " in place, n=" + n + ", i=" + i);
    }
  }

  private static void checkBackward(String name, Backward kernel, long seed, int n, int offset) {
    Random random = new Random(seed);
    float[] x = sample(random, n + offset);
    float[] gradY = sample(random, n + 2);
    float[] originalGradY = gradY.clone();
    float[] gradX = new float[n + 3];
    Arrays.fill(gradX, 7f);

    kernel.run(x, offset, gradY, 2, gradX, 1, n);

    assertBitsEqual(7f, gradX[0], name + " wrote before its range");
    for (int i = 0; i < n; i++) {
      assertBitsEqual(referenceReluGrad(x[offset + i], gradY[2 + i]), gradX[1 + i],
          name + ", n=" + n + ", i=" + i + ", x=" + x[offset + i] + ", gradY=" + gradY[2 + i]);
    }
    assertBitsEqual(7f, gradX[n + 1], name + " wrote past its range");

    kernel.run(x, offset, gradY, 2, gradY, 2, n);

    for (int i = 0; i < n; i++) {
      assertBitsEqual(referenceReluGrad(x[offset + i], originalGradY[2 + i]), gradY[2 + i],
          name + " in place, n=" + n + ", i=" + i);
    }
  }

  @Test
  void everyLengthAndOffsetMatchesTheReference() {
    for (int n = 0; n <= MAX_LENGTH; n++) {
      for (int offset = 0; offset <= 2; offset++) {
        long seed = 31L * n + offset;
        checkForward("Activations.relu", Activations::relu, seed, n, offset);
        checkForward("ScalarActivations.relu", ScalarActivations::relu, seed, n, offset);
        checkBackward("Activations.reluBackward", Activations::reluBackward, seed, n, offset);
        checkBackward("ScalarActivations.reluBackward", ScalarActivations::reluBackward, seed,
            n, offset);
      }
    }
  }

  @Test
  void vectorTwinMatchesTheReference() {
    Assumptions.assumeTrue(Backend.current().kind() == Backend.Kind.VECTOR);
    for (int n = 0; n <= MAX_LENGTH; n++) {
      for (int offset = 0; offset <= 2; offset++) {
        long seed = 37L * n + offset;
        checkForward("VectorActivations.relu", VectorActivations::relu, seed, n, offset);
        checkBackward("VectorActivations.reluBackward", VectorActivations::reluBackward, seed,
            n, offset);
      }
    }
  }

  @Test
  void randomArraysMatchTheReference() {
    qt().withFixedSeed(20250131L).withExamples(300)
        .forAll(integers().between(0, 103), integers().between(0, 5), longs().all())
        .checkAssert((n, offset, seed) -> {
          checkForward("Activations.relu", Activations::relu, seed, n, offset);
          checkBackward("Activations.reluBackward", Activations::reluBackward, seed, n, offset);
        });
  }

  @Test
  void nanAndNegativesRepeatedAtEveryLengthAndOffset() {
    float[] pattern = {Float.NaN, -3f, 2f, Float.NaN, -3f};
    float[] expected = {Float.NaN, 0f, 2f, Float.NaN, 0f};
    for (int n = 0; n <= MAX_LENGTH + 5; n++) {
      for (int offset = 0; offset <= 3; offset++) {
        float[] x = new float[offset + n];
        for (int i = 0; i < n; i++) {
          x[offset + i] = pattern[i % pattern.length];
        }
        float[] y = new float[n];

        Activations.relu(x, offset, y, 0, n);

        for (int i = 0; i < n; i++) {
          assertBitsEqual(expected[i % expected.length], y[i], "n=" + n + ", i=" + i);
        }
      }
    }
  }

  @Test
  void signedZerosAndKinkFollowPyTorch() {
    float[] x = {-0f, 0f, Float.NEGATIVE_INFINITY, Float.NaN};
    float[] y = new float[4];
    Activations.relu(x, 0, y, 0, 4);
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(y[0]), "relu(-0) is -0");
    assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(y[1]), "relu(+0) is +0");
    assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(y[2]), "relu(-inf) is +0");
    assertTrue(Float.isNaN(y[3]), "relu(NaN) is NaN");

    float[] gradY = {5f, 5f, Float.NaN, 5f};
    float[] gradX = new float[4];
    Activations.reluBackward(x, 0, gradY, 0, gradX, 0, 4);
    assertArrayEquals(new float[] {0f, 0f, 0f, 5f}, gradX, "kink gives 0; NaN x passes gradY");
  }

  @Test
  void badArgumentsThrowNamingThemAndWriteNothing() {
    float[] x = {1f, -1f, 2f};
    float[] y = {9f, 9f, 9f};
    float[] untouched = y.clone();

    assertMessage(NullPointerException.class, "x", () -> Activations.relu(null, 0, y, 0, 1));
    assertMessage(NullPointerException.class, "y", () -> Activations.relu(x, 0, null, 0, 1));
    assertMessage(IllegalArgumentException.class, "n", () -> Activations.relu(x, 0, y, 0, -1));
    assertMessage(IllegalArgumentException.class, "x", () -> Activations.relu(x, 1, y, 0, 3));
    assertMessage(IllegalArgumentException.class, "x", () -> Activations.relu(x, -1, y, 0, 1));
    assertMessage(IllegalArgumentException.class, "y", () -> Activations.relu(x, 0, y, 2, 2));
    assertMessage(IllegalArgumentException.class, "y", () -> Activations.relu(x, 0, y, 4, 0));
    assertArrayEquals(untouched, y);

    assertMessage(NullPointerException.class, "gradY",
        () -> Activations.reluBackward(x, 0, null, 0, y, 0, 3));
    assertMessage(NullPointerException.class, "gradX",
        () -> Activations.reluBackward(x, 0, x, 0, null, 0, 3));
    assertMessage(IllegalArgumentException.class, "gradY",
        () -> Activations.reluBackward(x, 0, x, 1, y, 0, 3));
    assertMessage(IllegalArgumentException.class, "gradX",
        () -> Activations.reluBackward(x, 0, x, 0, y, 1, 3));
    assertMessage(IllegalArgumentException.class, "n",
        () -> Activations.reluBackward(x, 0, x, 0, y, 0, -2));
    assertArrayEquals(untouched, y);
  }

  private static void assertMessage(Class<? extends RuntimeException> type, String argument,
      Runnable call) {
    RuntimeException thrown = assertThrows(type, call::run);
    String message = String.valueOf(thrown.getMessage());
    assertTrue(message.equals(argument) || message.startsWith(argument + " ")
        || message.startsWith(argument + ":"), () -> "message should name " + argument + ": "
        + message);
  }
}
