package dev.nonlinear.nn;

import dev.nonlinear.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Modules run one after the other, named {@code 0}, {@code 1}, ... as in PyTorch. Backward runs
 * them in reverse. Sequentials nest.
 */
public final class Sequential extends Module {

  private final List<Module> layers = new ArrayList<>();

  /** A sequence of the given modules, in order. */
  public Sequential(Module... modules) {
    for (Module module : modules) {
      add(module);
    }
  }

  /** Appends a module under the next index. */
  public Sequential add(Module module) {
    registerModule(Integer.toString(layers.size()), module);
    layers.add(module);
    if (layers.size() == 1) {
      module.inputGradientNeeded(isInputGradientNeeded());
    }
    return this;
  }

  /** A sequence of inference copies of this one's modules (see {@link Module#inferenceCopy}). */
  @Override
  public Sequential inferenceCopy() {
    Sequential copy = new Sequential();
    for (Module layer : layers) {
      copy.add(layer.inferenceCopy());
    }
    return inferenceMode(copy);
  }

  /** The module at {@code index}. */
  public Module get(int index) {
    return layers.get(index);
  }

  /** The number of modules. */
  public int size() {
    return layers.size();
  }

  @Override
  public Module inputGradientNeeded(boolean needed) {
    super.inputGradientNeeded(needed);
    if (!layers.isEmpty()) {
      layers.get(0).inputGradientNeeded(needed);
    }
    return this;
  }

  @Override
  public Tensor forward(Tensor input) {
    Tensor x = input;
    for (Module layer : layers) {
      x = layer.forward(x);
    }
    return x;
  }

  @Override
  public Tensor backward(Tensor gradOutput) {
    Tensor grad = gradOutput;
    for (int i = layers.size() - 1; i >= 0; i--) {
      grad = layers.get(i).backward(grad);
    }
    return grad;
  }
}
