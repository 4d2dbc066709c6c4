package dev.nonlinear.nn;

import dev.nonlinear.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A layer or a network of layers, with an explicit backward pass.
 *
 * <p>{@link #forward(Tensor)} computes the output and keeps what the backward pass needs;
 * {@link #backward(Tensor)} takes the gradient of the loss with respect to that output, adds the
 * parameters' gradients to {@link Parameter#grad()} and returns the gradient with respect to the
 * input. Parameters are named as in PyTorch's {@code state_dict()}: {@code weight}, {@code 0.bias},
 * {@code encoder.2.weight}.
 *
 * <p>Workspaces: a module owns the tensors it returns and reuses them on the next call, so
 * training allocates nothing per batch once the batch size is steady. A returned tensor is valid
 * until the module's next {@code forward} (or {@code backward}, for gradients); copy it to keep
 * it. The input given to {@code forward} must not be changed before the matching
 * {@code backward}.
 *
 * <p>Threads: a module instance is not safe for concurrent use, not even for two concurrent
 * {@code forward} calls in eval mode, because they would write the same workspaces. To run
 * inference on several threads, give each thread its own {@link #inferenceCopy()}: copies
 * share the parameter arrays (nothing is copied but the structure) and own fresh workspaces, so
 * they may run {@code forward} at the same time, and give bit for bit what the original gives.
 * The rule that goes with it: the weights must not change while copies run (no optimizer step,
 * no {@link #loadStateDict}, no write to a parameter), since every copy reads the very arrays
 * being changed. The kernels themselves ({@code Blas}, {@code Activations} and the others) keep
 * no shared mutable state and may be called from any number of threads at once.
 */
public abstract class Module {

  private final Map<String, Parameter> parameters = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();
  private boolean training = true;
  private boolean inputGradientNeeded = true;
  private Module parent;

  /** The output for {@code input}; see the class comment for who owns it. */
  public abstract Tensor forward(Tensor input);

  /**
   * The gradient with respect to the last forward's input, given the gradient with respect to
   * its output; parameter gradients are accumulated on the way. Returns null when the input
   * gradient was switched off with {@link #inputGradientNeeded(boolean)}.
   *
   * @throws IllegalStateException if forward has not run
   */
  public abstract Tensor backward(Tensor gradOutput);

  /** This module's own parameters and its children's, under dotted names, in definition order. */
  public final Map<String, Parameter> namedParameters() {
    Map<String, Parameter> named = new LinkedHashMap<>();
    collectParameters("", named);
    return Collections.unmodifiableMap(named);
  }

  /** The parameters, in the order of {@link #namedParameters()}. */
  public final List<Parameter> parameters() {
    return List.copyOf(namedParameters().values());
  }

  /**
   * The parameter values by dotted name, in the order of {@link #namedParameters()}, as
   * PyTorch's {@code state_dict()}; {@code SafeTensors.write} saves it under PyTorch's names.
   *
   * <p>The tensors are the parameters' own, not copies: writing to one changes the model, and
   * the next optimizer step changes the map's values. Copy them ({@link Tensor#copy()}) to keep
   * a snapshot.
   */
  public final Map<String, Tensor> stateDict() {
    Map<String, Tensor> state = new LinkedHashMap<>();
    namedParameters().forEach((name, parameter) -> state.put(name, parameter.value()));
    return Collections.unmodifiableMap(state);
  }

  /**
   * Copies the values of {@code state} into the parameters of the same name, as PyTorch's
   * {@code load_state_dict}. Every key is checked before anything is written, and every problem
   * is reported in one message, so a failed load leaves the parameters as they were.
   *
   * @param strict when true, a parameter without a key ({@code missing}) and a key without a
   *     parameter ({@code unexpected}) are errors; when false they are skipped. A key present on
   *     both sides with another shape is an error either way, as in PyTorch
   * @throws IllegalArgumentException listing the missing and unexpected keys (when strict) and
   *     the mis-shaped ones, e.g. {@code missing: [4.bias]; unexpected: [fc.weight];
   *     mis-shaped: 0.weight [32, 1, 3, 3] expected, file has [32, 3, 3]}
   * @throws NullPointerException if {@code state}, or the tensor of a key this module has, is
   *     null
   */
  public final void loadStateDict(Map<String, Tensor> state, boolean strict) {
    Objects.requireNonNull(state, "state");
    Map<String, Parameter> named = namedParameters();
    checkStateDict(named, state, strict);

    named.forEach((name, parameter) -> {
      Tensor source = state.get(name);
      if (source != null) {
        System.arraycopy(source.data(), 0, parameter.value().data(), 0, source.numel());
      }
    });
  }

  private static void checkStateDict(Map<String, Parameter> named, Map<String, Tensor> state,
      boolean strict) {
    List<String> missing = new ArrayList<>();
    List<String> misShaped = new ArrayList<>();
    named.forEach((name, parameter) -> {
      if (!state.containsKey(name)) {
        missing.add(name);
        return;
      }
      Tensor source = Objects.requireNonNull(state.get(name), "state tensor '" + name + "'");
      Tensor target = parameter.value();
      if (!source.hasShape(target.shape())) {
        misShaped.add(name + " " + target.shapeString() + " expected, file has "
            + source.shapeString());
      }
    });
    List<String> unexpected = new ArrayList<>();
    for (String key : state.keySet()) {
      if (!named.containsKey(key)) {
        unexpected.add(key);
      }
    }

    List<String> problems = new ArrayList<>();
    if (strict && !missing.isEmpty()) {
      problems.add("missing: " + missing);
    }
    if (strict && !unexpected.isEmpty()) {
      problems.add("unexpected: " + unexpected);
    }
    if (!misShaped.isEmpty()) {
      problems.add("mis-shaped: " + String.join(", ", misShaped));
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("loadStateDict: " + String.join("; ", problems)
          + "; nothing was loaded");
    }
  }

  /**
   * A copy for inference on another thread: the same structure and configuration, the same
   * {@link Parameter} objects (so the same weight arrays, and the same gradient arrays), and
   * workspaces of its own, in eval mode. Cheap: no weight is copied. See the class comment for
   * the rule that comes with it: the weights must not change while copies run.
   *
   * <p>A copy is meant for {@code forward}. Its {@code backward} would work but adds to the
   * gradients it shares with the original and the other copies, so it must not run while any
   * other backward does. A copy switched back to training mode draws its dropout masks from a
   * generator of its own with a fixed seed, not from the original's.
   *
   * <p>Make copies on one thread, before the threads start (copying reads the original's
   * configuration, which is fine, but it is not meant to race with a forward on the original).
   *
   * @throws UnsupportedOperationException for a module class that does not provide copies (a
   *     subclass outside this library that does not override this method)
   */
  public Module inferenceCopy() {
    throw new UnsupportedOperationException(getClass().getName() + " does not provide "
        + "inferenceCopy(): override it to build a new instance over the same parameters");
  }

  /**
   * Puts {@code copy}, a new instance over this module's parameters, in eval mode and returns
   * it; {@link #inferenceCopy()} implementations end with it.
   */
  protected static <M extends Module> M inferenceMode(M copy) {
    copy.eval();
    return copy;
  }

  /** The direct children, by name. */
  public final Map<String, Module> namedChildren() {
    return Collections.unmodifiableMap(children);
  }

  /** Sets training mode here and in every child (Dropout and the like behave differently). */
  public Module train(boolean mode) {
    training = mode;
    children.values().forEach(child -> child.train(mode));
    return this;
  }

  /** Training mode, as PyTorch's {@code train()}. */
  public final Module train() {
    return train(true);
  }

  /** Evaluation mode, as PyTorch's {@code eval()}. */
  public final Module eval() {
    return train(false);
  }

  /** True in training mode (the default). */
  public final boolean isTraining() {
    return training;
  }

  /**
   * Whether {@link #backward(Tensor)} must compute the input gradient. A network's first layer
   * does not need it when the input is data: switching it off saves that layer's most costly
   * backward step (for a convolution, a GEMM and a col2im per image).
   */
  public Module inputGradientNeeded(boolean needed) {
    inputGradientNeeded = needed;
    return this;
  }

  /** See {@link #inputGradientNeeded(boolean)}. */
  public final boolean isInputGradientNeeded() {
    return inputGradientNeeded;
  }

  /** Zeroes every parameter's gradient. */
  public final void zeroGrad() {
    for (Parameter parameter : parameters()) {
      parameter.zeroGrad();
    }
  }

  /** The number of trainable values. */
  public final long parameterCount() {
    long count = 0;
    for (Parameter parameter : parameters()) {
      count += parameter.numel();
    }
    return count;
  }

  /** The structure as PyTorch prints it, with the parameter count at the top level. */
  @Override
  public String toString() {
    return describe("") + System.lineSeparator() + "parameters: "
        + String.format("%,d", parameterCount());
  }

  /** The arguments shown between the parentheses, e.g. {@code in_features=2, out_features=3}. */
  protected String extraRepr() {
    return "";
  }

  /** Registers a parameter under {@code name} (no dots). */
  protected final Parameter registerParameter(String name, Parameter parameter) {
    checkName(name);
    parameters.put(name, Objects.requireNonNull(parameter, "parameter"));
    return parameter;
  }

  /**
   * Registers a child module under {@code name} (no dots).
   *
   * @throws IllegalArgumentException if {@code module} already belongs to a module, or would
   *     contain this one: a module keeps the state of its last forward for its backward, so one
   *     instance cannot stand at two places of a network (use a new instance for each place)
   */
  protected final <M extends Module> M registerModule(String name, M module) {
    checkName(name);
    Objects.requireNonNull(module, "module");
    Module child = module;
    if (child.parent != null) {
      throw new IllegalArgumentException("module '" + name + "': this " + describeClass(child)
          + " instance is already part of a " + describeClass(child.parent)
          + "; a module keeps per-call state, so use a new instance at each place");
    }
    for (Module ancestor = this; ancestor != null; ancestor = ancestor.parent) {
      if (ancestor == child) {
        throw new IllegalArgumentException("module '" + name + "': a " + describeClass(child)
            + " cannot contain itself");
      }
    }

    Module replaced = children.put(name, child);
    if (replaced != null) {
      replaced.parent = null;
    }
    child.parent = this;
    return module;
  }

  private static String describeClass(Module module) {
    return module.getClass().getSimpleName();
  }

  /** Throws the error a backward without a forward deserves. */
  protected final IllegalStateException backwardBeforeForward() {
    return new IllegalStateException(getClass().getSimpleName()
        + ".backward called before forward");
  }

  private void collectParameters(String prefix, Map<String, Parameter> named) {
    parameters.forEach((name, parameter) -> named.put(prefix + name, parameter));
    children.forEach((name, child) -> child.collectParameters(prefix + name + ".", named));
  }

  private String describe(String indent) {
    String head = getClass().getSimpleName() + "(" + extraRepr();
    if (children.isEmpty()) {
      return head + ")";
    }
    List<String> lines = new ArrayList<>();
    lines.add(head);
    children.forEach((name, child) -> lines.add(indent + "  (" + name + "): "
        + child.describe(indent + "  ")));
    lines.add(indent + ")");
    return String.join(System.lineSeparator(), lines);
  }

  private static void checkName(String name) {
    if (name == null || name.isEmpty() || name.contains(".")) {
      throw new IllegalArgumentException("name = '" + name + "': expected a non-empty name "
          + "without dots");
    }
  }
}
