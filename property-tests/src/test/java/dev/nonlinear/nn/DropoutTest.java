package dev.nonlinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Dropout: identity in evaluation, the inverted scaling in training (checked statistically),
 * backward through the same mask, reproducible masks, and argument checks.
 */
class DropoutTest {

  private static final long SEED = 0xd509L;

  @Test
  void evaluationIsTheIdentity() {
    Dropout dropout = new Dropout(0.7f, new SplittableRandom(SEED));
    dropout.eval();
    Tensor x = Tensor.of(GradientCheck.uniform(new SplittableRandom(1), 103), 103);
    float[] before = x.data().clone();

    assertSame(x, dropout.forward(x));
    assertArrayEquals(before, x.data());
    Tensor g = Tensor.of(GradientCheck.uniform(new SplittableRandom(2), 103), 103);
    assertSame(g, dropout.backward(g));
  }

  @Test
  void zeroProbabilityIsTheIdentityInTraining() {
    Dropout dropout = new Dropout(0f, new SplittableRandom(SEED));
    Tensor x = Tensor.of(GradientCheck.uniform(new SplittableRandom(3), 17), 17);
    assertSame(x, dropout.forward(x));
  }

  /**
   * Over n ones, the number of kept elements is Binomial(n, 1 − p), so the output mean
   * kept/(n(1 − p)) has mean 1 and standard deviation √(p / ((1 − p) n)); both it and the
   * dropped fraction (standard deviation √(p(1 − p)/n)) must lie within 5 standard deviations,
   * which a correct layer misses with probability below 1e-6 (and the seed is fixed). A layer
   * that forgot the 1/(1 − p) scale has mean 1 − p, dozens of deviations away.
   */
  @Test
  void trainingKeepsTheMeanAndDropsAboutP() {
    int n = 200_000;
    Tensor ones = Tensor.zeros(n);
    ones.fill(1f);
    for (float p : new float[] {0.1f, 0.5f, 0.9f}) {
      Dropout dropout = new Dropout(p, new SplittableRandom(SEED + (long) (p * 10)));
      float[] y = dropout.forward(ones).data();
      float scale = (float) (1 / (1 - (double) p));
      int dropped = 0;
      double sum = 0;
      for (float value : y) {
        assertTrue(value == 0f || value == scale, "value " + value + " is 0 or 1/(1-p)");
        dropped += value == 0f ? 1 : 0;
        sum += value;
      }
      double meanDeviation = Math.sqrt(p / ((1 - (double) p) * n));
      assertEquals(1.0, sum / n, 5 * meanDeviation, "mean for p = " + p);
      double dropDeviation = Math.sqrt(p * (1 - (double) p) / n);
      assertEquals(p, (double) dropped / n, 5 * dropDeviation, "dropped fraction for p = " + p);
    }
  }

  @Test
  void backwardUsesTheForwardMask() {
    SplittableRandom values = new SplittableRandom(4);
    Dropout dropout = new Dropout(0.4f, new SplittableRandom(SEED));
    float scale = (float) (1 / (1 - 0.4));
    int n = 2 * 8 + 3;
    Tensor x = Tensor.of(nonZero(values, n), n);
    float[] y = dropout.forward(x).data().clone();
    Tensor g = Tensor.of(nonZero(values, n), n);
    float[] gx = dropout.backward(g).data();

    int dropped = 0;
    for (int i = 0; i < n; i++) {
      if (y[i] == 0f) {
        dropped++;
        assertEquals(g.data()[i] * 0f, gx[i], "dropped element " + i + " gets no gradient");
      } else {
        assertEquals(x.data()[i] * scale, y[i], "kept element " + i);
        assertEquals(g.data()[i] * scale, gx[i], "gradient of kept element " + i);
      }
    }
    assertTrue(dropped > 0 && dropped < n, "the mask drops some and keeps some: " + dropped);
  }

  @Test
  void eachForwardDrawsAFreshMaskAndASeedRepeatsThem() {
    Tensor ones = Tensor.zeros(64);
    ones.fill(1f);
    Dropout first = new Dropout(0.5f, new SplittableRandom(SEED));
    Dropout second = new Dropout(0.5f, new SplittableRandom(SEED));
    float[] a1 = first.forward(ones).data().clone();
    float[] a2 = first.forward(ones).data().clone();
    assertTrue(!java.util.Arrays.equals(a1, a2), "two forwards draw two masks");
    assertArrayEquals(a1, second.forward(ones).data());
    assertArrayEquals(a2, second.forward(ones).data());

    Init.manualSeed(SEED);
    float[] seeded = new Dropout(0.5f).forward(ones).data().clone();
    Init.manualSeed(SEED);
    assertArrayEquals(seeded, new Dropout(0.5f).forward(ones).data());
  }

  @Test
  void probabilityOneZeroesEverythingAsPyTorchDoes() {
    Dropout dropout = new Dropout(1f, new SplittableRandom(SEED));
    float[] y = dropout.forward(Tensor.of(new float[] {2f, -3f, Float.NaN}, 3)).data();
    assertArrayEquals(new float[] {0f, -0f, Float.NaN}, y);
    float[] gx = dropout.backward(Tensor.of(new float[] {1f, 1f, 1f}, 3)).data();
    assertArrayEquals(new float[] {0f, 0f, 0f}, gx);
  }

  @Test
  void argumentsAndStateAreChecked() {
    for (float p : new float[] {-0.1f, 1.01f, Float.NaN}) {
      var error = assertThrows(IllegalArgumentException.class, () -> new Dropout(p));
      assertTrue(error.getMessage().startsWith("p = " + p + ": expected a probability in [0, 1]"),
          error.getMessage());
    }
    Dropout dropout = new Dropout(0.5f, new SplittableRandom(SEED));
    assertThrows(IllegalStateException.class, () -> dropout.backward(Tensor.zeros(3)));
    dropout.forward(Tensor.zeros(2, 3));
    var error = assertThrows(IllegalArgumentException.class,
        () -> dropout.backward(Tensor.zeros(3, 2)));
    assertTrue(error.getMessage().contains("Dropout: gradOutput shape [3, 2]"),
        error.getMessage());
    assertThrows(NullPointerException.class, () -> dropout.forward(null));
    dropout.inputGradientNeeded(false);
    assertNull(dropout.backward(Tensor.zeros(2, 3)));
    assertEquals("Dropout(p=0.5, inplace=False)", dropout.toString().lines().findFirst()
        .orElseThrow());
  }

  private static float[] nonZero(SplittableRandom random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) ((0.5 + random.nextDouble()) * (random.nextBoolean() ? 1 : -1));
    }
    return values;
  }
}
