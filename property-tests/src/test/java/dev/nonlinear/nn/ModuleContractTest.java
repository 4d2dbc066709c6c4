package dev.nonlinear.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** What a user may get wrong when wiring modules, and the errors that say so. */
class ModuleContractTest {

  @Test
  void oneInstanceAtTwoPlacesIsRefused() {
    ReLU relu = new ReLU();
    Linear first = new Linear(3, 3, true, new SplittableRandom(1));
    Sequential model = new Sequential(first, relu);

    var error = assertThrows(IllegalArgumentException.class, () -> model.add(relu));
    assertTrue(error.getMessage().contains("ReLU instance is already part of a Sequential"),
        error.getMessage());
    assertEquals(2, model.size());
    assertThrows(IllegalArgumentException.class, () -> new Sequential(first, first));
  }

  @Test
  void aModuleNestedInsideAnAddedOneIsFoundToo() {
    Linear shared = new Linear(2, 2, true, new SplittableRandom(2));
    Sequential outer = new Sequential(new Sequential(shared, new ReLU()));
    assertThrows(IllegalArgumentException.class, () -> outer.add(new Sequential(shared)));
    assertEquals(6, outer.parameterCount());
  }

  @Test
  void aModuleAddedToANestedSequentialAfterwardsIsFoundToo() {
    ReLU relu = new ReLU();
    Sequential inner = new Sequential(new Linear(4, 4, true, new SplittableRandom(3)));
    Sequential outer = new Sequential(new Linear(4, 4, true, new SplittableRandom(4)), relu,
        inner);
    assertThrows(IllegalArgumentException.class, () -> inner.add(relu));
    assertThrows(IllegalArgumentException.class, () -> inner.add(outer));
    assertEquals(1, inner.size());
  }

  @Test
  void optimizersRefuseAnEmptyParameterList() {
    var error = assertThrows(IllegalArgumentException.class,
        () -> new SGD(java.util.List.of(), 0.1f, 0f));
    assertTrue(error.getMessage().startsWith("parameters: the list is empty"), error.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Adam(java.util.List.of(), 0.1f));
  }

  @Test
  void aFailedLossLeavesNothingForBackward() {
    CrossEntropyLoss loss = new CrossEntropyLoss();
    Tensor logits = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
    loss.forward(logits, new int[] {0, 1});
    assertThrows(IllegalArgumentException.class, () -> loss.forward(logits, new int[] {0, 2}));
    assertThrows(IllegalStateException.class, loss::backward);
  }

  @Test
  void flattenRefusesAGradientOfAnotherShape() {
    Flatten flatten = new Flatten();
    flatten.forward(Tensor.zeros(2, 3, 4));
    var error = assertThrows(IllegalArgumentException.class,
        () -> flatten.backward(Tensor.zeros(24)));
    assertTrue(error.getMessage().contains("[2, 12]"), error.getMessage());
  }

  @Test
  void maxPoolChecksItsPairs() {
    var error = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(new int[] {2},
        null, new int[] {0, 0}, new int[] {1, 1}, false));
    assertTrue(error.getMessage().startsWith("kernel has 1 values"), error.getMessage());
    assertThrows(NullPointerException.class, () -> new MaxPool2d(new int[] {2, 2}, null, null,
        new int[] {1, 1}, false));
  }

  @Test
  void aTooSmallInputNamesTheLayerAndTheShape() {
    Conv2d conv = new Conv2d(1, 2, 3);
    var error = assertThrows(IllegalArgumentException.class,
        () -> conv.forward(Tensor.zeros(1, 1, 2, 2)));
    assertTrue(error.getMessage().startsWith("Conv2d: input shape [1, 1, 2, 2] does not fit"),
        error.getMessage());
    MaxPool2d pool = new MaxPool2d(3);
    error = assertThrows(IllegalArgumentException.class,
        () -> pool.forward(Tensor.zeros(1, 1, 2, 2)));
    assertTrue(error.getMessage().startsWith("MaxPool2d: input shape [1, 1, 2, 2]"),
        error.getMessage());
  }

  @Test
  void tensorSizesAreReportedExactly() {
    var error = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(65536, 65536));
    assertTrue(error.getMessage().contains("holds 4294967296 elements"), error.getMessage());
    Tensor empty = Tensor.zeros(0);
    assertEquals(0, empty.reshape(Integer.MAX_VALUE, Integer.MAX_VALUE, 0).numel());
  }
}
