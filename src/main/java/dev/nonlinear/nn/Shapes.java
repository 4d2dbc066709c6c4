package dev.nonlinear.nn;

import dev.nonlinear.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Shape checks for layer inputs, with messages that name the layer and the expected shape. */
final class Shapes {

  private Shapes() {}

  /** Requires a rank-{@code rank} tensor whose dimension {@code dim} has size {@code size}. */
  static void require(String layer, Tensor input, int rank, int dim, int size, String expected) {
    requireNonNull(input, layer, " input");
    if (input.rank() != rank || input.size(dim) != size) {
      throw new IllegalArgumentException(layer + ": input shape " + input.shapeString()
          + ", expected " + expected);
    }
  }

  /**
   * Requires {@code value} non-null, naming it {@code owner + what}. The message is built only
   * when it is thrown: {@code Objects.requireNonNull(value, owner + what)} concatenated it on
   * every call, a string per layer call in a training step.
   */
  static void requireNonNull(Object value, String owner, String what) {
    if (value == null) {
      throw new NullPointerException(owner + what);
    }
  }

  /** Requires a tensor of rank >= 1 whose last dimension has size {@code size}. */
  static void requireLastDim(String layer, Tensor input, int size) {
    requireNonNull(input, layer, " input");
    if (input.rank() < 1 || input.size(-1) != size) {
      throw new IllegalArgumentException(layer + ": input shape " + input.shapeString()
          + ", expected [*, " + size + "]");
    }
  }

  /** Requires {@code grad} to have exactly {@code shape}. */
  static void requireGradient(String layer, Tensor grad, int... shape) {
    requireNonNull(grad, layer, " gradOutput");
    if (!grad.hasShape(shape)) {
      throw new IllegalArgumentException(layer + ": gradOutput shape " + grad.shapeString()
          + ", expected the forward output's shape " + Arrays.toString(shape));
    }
  }

  /** An optimizer's parameters, copied; PyTorch refuses an empty list too. */
  static List<Parameter> nonEmpty(List<Parameter> parameters) {
    Objects.requireNonNull(parameters, "parameters");
    if (parameters.isEmpty()) {
      throw new IllegalArgumentException("parameters: the list is empty; expected at least one "
          + "parameter to optimise");
    }
    return List.copyOf(parameters);
  }

  /** Requires {@code values} to be a {@code {height, width}} pair; returns it. */
  static int[] pair(String name, int[] values) {
    Objects.requireNonNull(values, name);
    if (values.length != 2) {
      throw new IllegalArgumentException(name + " has " + values.length
          + " values: expected {height, width}");
    }
    return values;
  }

  /**
   * Runs {@code geometry}'s construction, adding the layer and the input shape to a refusal, so
   * that "output height 0" says which layer and which input it came from.
   */
  static <G> G geometry(String layer, Tensor input, java.util.function.Supplier<G> geometry) {
    try {
      return geometry.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(layer + ": input shape " + input.shapeString()
          + " does not fit: " + e.getMessage(), e);
    }
  }

  /** A tensor of {@code shape}: {@code current} when it already has it, else a new one. */
  static Tensor reuse(Tensor current, int... shape) {
    return current != null && current.hasShape(shape) ? current : Tensor.zeros(shape);
  }
}
