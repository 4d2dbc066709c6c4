package dev.nonlinear.nn;

import java.util.List;

/**
 * Stochastic gradient descent with PyTorch's update rule (momentum, dampening, Nesterov, weight
 * decay), step for step:
 *
 * <pre>
 *   g = grad + weightDecay·p
 *   b = g on the first step, else momentum·b + (1 − dampening)·g
 *   g = nesterov ? g + momentum·b : b          (when momentum ≠ 0)
 *   p = p − lr·g
 * </pre>
 */
public final class SGD implements Optimizer {

  private final List<Parameter> parameters;
  private final float learningRate;
  private final float momentum;
  private final float dampening;
  private final float weightDecay;
  private final boolean nesterov;
  private final float[][] momentumBuffers;
  private boolean started;

  /** Plain SGD with momentum, as {@code torch.optim.SGD(params, lr, momentum)}. */
  public SGD(List<Parameter> parameters, float learningRate, float momentum) {
    this(parameters, learningRate, momentum, 0f, 0f, false);
  }

  /**
   * The general form.
   *
   * @throws IllegalArgumentException for a negative or non-finite rate, momentum or decay, or
   *     Nesterov without momentum or with dampening (PyTorch rejects those too)
   */
  public SGD(List<Parameter> parameters, float learningRate, float momentum, float dampening,
      float weightDecay, boolean nesterov) {
    this.parameters = Shapes.nonEmpty(parameters);
    this.learningRate = nonNegative("learningRate", learningRate);
    this.momentum = nonNegative("momentum", momentum);
    this.dampening = dampening;
    this.weightDecay = nonNegative("weightDecay", weightDecay);
    this.nesterov = nesterov;
    if (!Float.isFinite(dampening)) {
      throw new IllegalArgumentException("dampening = " + dampening + ": expected a finite value");
    }
    if (nesterov && (momentum <= 0 || dampening != 0)) {
      throw new IllegalArgumentException("nesterov = true needs momentum > 0 and dampening = 0;"
          + " got momentum = " + momentum + ", dampening = " + dampening);
    }
    this.momentumBuffers = new float[this.parameters.size()][];
    for (int i = 0; i < momentumBuffers.length; i++) {
      momentumBuffers[i] = momentum != 0 ? new float[this.parameters.get(i).numel()] : null;
    }
  }

  /** Updates every parameter from its gradient. */
  @Override
  public void step() {
    for (int i = 0; i < parameters.size(); i++) {
      update(parameters.get(i), momentumBuffers[i]);
    }
    started = true;
  }

  /** Zeroes every parameter's gradient. */
  @Override
  public void zeroGrad() {
    for (Parameter parameter : parameters) {
      parameter.zeroGrad();
    }
  }

  private void update(Parameter parameter, float[] buffer) {
    float[] p = parameter.value().data();
    float[] grad = parameter.grad().data();
    for (int j = 0; j < p.length; j++) {
      float g = weightDecay != 0 ? grad[j] + weightDecay * p[j] : grad[j];
      if (buffer != null) {
        buffer[j] = started ? momentum * buffer[j] + (1 - dampening) * g : g;
        g = nesterov ? g + momentum * buffer[j] : buffer[j];
      }
      p[j] -= learningRate * g;
    }
  }

  private static float nonNegative(String name, float value) {
    if (!(value >= 0) || Float.isInfinite(value)) {
      throw new IllegalArgumentException(name + " = " + value + ": expected a finite value >= 0");
    }
    return value;
  }
}
