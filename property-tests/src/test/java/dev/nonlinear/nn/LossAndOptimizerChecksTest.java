package dev.nonlinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Argument checks and edge values of the pointwise losses and the Adam optimizers. */
class LossAndOptimizerChecksTest {

  @Test
  void lossesRejectMismatchedShapesAndBackwardBeforeForward() {
    for (PointwiseLoss loss : List.of(new MSELoss(), new BCELoss(), new BCEWithLogitsLoss())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> loss.forward(Tensor.zeros(2, 3), Tensor.zeros(3, 2)));
      assertTrue(e.getMessage().contains("target shape [3, 2], expected the input's shape "
          + "[2, 3]"), e.getMessage());
      assertThrows(IllegalStateException.class, loss::backward);
      assertThrows(NullPointerException.class, () -> loss.forward(null, Tensor.zeros(1)));
    }
  }

  @Test
  void bceRejectsValuesOutsideTheUnitIntervalAndKeepsItsLastGradient() {
    BCELoss loss = new BCELoss(Reduction.SUM);
    loss.forward(Tensor.of(new float[] {0.25f, 0.5f}, 2), Tensor.of(new float[] {1f, 0f}, 2));
    float[] before = loss.backward().data().clone();
    for (float bad : new float[] {-0.01f, 1.01f, Float.NaN}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> loss.forward(Tensor.of(new float[] {0.5f, bad}, 2), Tensor.zeros(2)));
      assertTrue(e.getMessage().contains("BCELoss: input[1] = " + bad), e.getMessage());
    }
    assertArrayEquals(before, loss.backward().data());
  }

  /** Exact edge values: BCE's logs are clamped at −100; the logits form never overflows. */
  @Test
  void bceLossesStayFiniteAtTheEdges() {
    BCELoss bce = new BCELoss(Reduction.SUM);
    assertEquals(100f, bce.forward(Tensor.of(new float[] {0f}, 1), Tensor.of(new float[] {1f},
        1)));
    assertEquals(0f, bce.forward(Tensor.of(new float[] {1f}, 1), Tensor.of(new float[] {1f},
        1)));
    BCEWithLogitsLoss logits = new BCEWithLogitsLoss(Reduction.SUM);
    assertEquals(1000f, logits.forward(Tensor.of(new float[] {-1000f}, 1),
        Tensor.of(new float[] {1f}, 1)));
    assertEquals(-1f, logits.backward().data()[0]);
    assertEquals(0f, logits.forward(Tensor.of(new float[] {1000f}, 1),
        Tensor.of(new float[] {1f}, 1)));
  }

  @Test
  void adamRejectsBadHyperparameters() {
    List<Parameter> p = List.of(new Parameter(Tensor.zeros(2)));
    message("learningRate = -1.0", () -> new Adam(p, -1f));
    message("beta1 = 1.0: expected a value in [0, 1)",
        () -> new Adam(p, 0.1f, 1f, 0.9f, 1e-8f, 0f, false));
    message("beta2 = NaN", () -> new AdamW(p, 0.1f, 0.9f, Float.NaN, 1e-8f, 0f, false));
    message("epsilon = -1.0E-8", () -> new AdamW(p, 0.1f, 0.9f, 0.9f, -1e-8f, 0f, false));
    message("weightDecay = Infinity",
        () -> new AdamW(p, 0.1f, 0.9f, 0.9f, 1e-8f, Float.POSITIVE_INFINITY, false));
  }

  /** The first Adam step moves each value by lr·sign(g) (up to ε): m̂ = g and √v̂ = |g|. */
  @Test
  void firstAdamStepMovesByTheLearningRate() {
    Parameter p = new Parameter(Tensor.of(new float[] {1f, -2f, 3f}, 3));
    System.arraycopy(new float[] {0.5f, -4f, 1e-3f}, 0, p.grad().data(), 0, 3);
    Adam adam = new Adam(List.of(p), 0.1f);
    adam.step();
    assertEquals(1, adam.steps());
    assertArrayEquals(new float[] {0.9f, -1.9f, 2.9f}, p.value().data(), 1e-5f);
  }

  private static void message(String expected, Runnable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
