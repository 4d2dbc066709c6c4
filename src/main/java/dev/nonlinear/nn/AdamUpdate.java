package dev.nonlinear.nn;

import java.util.List;

/**
 * The update Adam and AdamW share, as PyTorch 1.13's single-tensor step. Per element, at step t:
 *
 * <pre>
 *   p = p·(1 − lr·λ)                           (AdamW: decoupled decay)
 *   g = grad + λ·p                             (Adam: decay folded into the gradient)
 *   m = β1·m + (1 − β1)·g
 *   v = β2·v + (1 − β2)·g²
 *   v̂ = max(v̂, v) with AMSGrad, else v
 *   p = p − (lr / (1 − β1^t)) · m / (√v̂ / √(1 − β2^t) + ε)
 * </pre>
 *
 * <p>The bias corrections and the step size are computed in double, as PyTorch's Python code
 * does, and used as floats; the moments are float, as in PyTorch.
 */
final class AdamUpdate {

  private final List<Parameter> parameters;
  private final float learningRate;
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float weightDecay;
  private final boolean amsgrad;
  private final boolean decoupled;
  private final float[][] firstMoments;
  private final float[][] secondMoments;
  private final float[][] maxSecondMoments;
  private long step;

  AdamUpdate(List<Parameter> parameters, float learningRate, float beta1, float beta2,
      float epsilon, float weightDecay, boolean amsgrad, boolean decoupled) {
    this.parameters = Shapes.nonEmpty(parameters);
    this.learningRate = nonNegative("learningRate", learningRate);
    this.beta1 = unitInterval("beta1", beta1);
    this.beta2 = unitInterval("beta2", beta2);
    this.epsilon = nonNegative("epsilon", epsilon);
    this.weightDecay = nonNegative("weightDecay", weightDecay);
    this.amsgrad = amsgrad;
    this.decoupled = decoupled;
    int count = this.parameters.size();
    firstMoments = new float[count][];
    secondMoments = new float[count][];
    maxSecondMoments = new float[count][];
    for (int i = 0; i < count; i++) {
      int size = this.parameters.get(i).numel();
      firstMoments[i] = new float[size];
      secondMoments[i] = new float[size];
      maxSecondMoments[i] = amsgrad ? new float[size] : null;
    }
  }

  void step() {
    step++;
    double correction1 = 1 - Math.pow(beta1, step);
    double correction2 = 1 - Math.pow(beta2, step);
    float stepSize = (float) (learningRate / correction1);
    float correction2Sqrt = (float) Math.sqrt(correction2);
    for (int i = 0; i < parameters.size(); i++) {
      update(parameters.get(i), firstMoments[i], secondMoments[i], maxSecondMoments[i], stepSize,
          correction2Sqrt);
    }
  }

  void zeroGrad() {
    for (Parameter parameter : parameters) {
      parameter.zeroGrad();
    }
  }

  long steps() {
    return step;
  }

  private void update(Parameter parameter, float[] m, float[] v, float[] vMax, float stepSize,
      float correction2Sqrt) {
    float[] p = parameter.value().data();
    float[] grad = parameter.grad().data();
    float decayFactor = 1 - learningRate * weightDecay;
    for (int j = 0; j < p.length; j++) {
      float g = grad[j];
      if (decoupled) {
        p[j] *= decayFactor;
      } else if (weightDecay != 0) {
        g += weightDecay * p[j];
      }
      m[j] = beta1 * m[j] + (1 - beta1) * g;
      v[j] = beta2 * v[j] + (1 - beta2) * g * g;
      float second = v[j];
      if (vMax != null) {
        vMax[j] = Math.max(vMax[j], v[j]);
        second = vMax[j];
      }
      float denominator = (float) Math.sqrt(second) / correction2Sqrt + epsilon;
      p[j] -= stepSize * (m[j] / denominator);
    }
  }

  private static float nonNegative(String name, float value) {
    if (!(value >= 0) || Float.isInfinite(value)) {
      throw new IllegalArgumentException(name + " = " + value + ": expected a finite value >= 0");
    }
    return value;
  }

  private static float unitInterval(String name, float value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(name + " = " + value + ": expected a value in [0, 1)");
    }
    return value;
  }
}
