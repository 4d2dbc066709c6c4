package dev.nonlinear.nn;

import java.util.List;

/**
 * AdamW, as {@code torch.optim.AdamW} (PyTorch 1.13), step for step: Adam whose weight decay is
 * decoupled from the gradient, {@code p = p·(1 − lr·λ)} before the Adam step, with optional
 * AMSGrad. Not supported: {@code maximize}, {@code capturable}, per-group settings.
 */
public final class AdamW implements Optimizer {

  private final AdamUpdate update;

  /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01, no AMSGrad. */
  public AdamW(List<Parameter> parameters, float learningRate) {
    this(parameters, learningRate, 0.9f, 0.999f, 1e-8f, 0.01f, false);
  }

  /**
   * The general form.
   *
   * @throws IllegalArgumentException for a negative or non-finite rate, eps or decay, or a beta
   *     outside [0, 1)
   */
  public AdamW(List<Parameter> parameters, float learningRate, float beta1, float beta2,
      float epsilon, float weightDecay, boolean amsgrad) {
    update = new AdamUpdate(parameters, learningRate, beta1, beta2, epsilon, weightDecay,
        amsgrad, true);
  }

  /** Updates every parameter from its gradient. */
  @Override
  public void step() {
    update.step();
  }

  /** Zeroes every parameter's gradient. */
  @Override
  public void zeroGrad() {
    update.zeroGrad();
  }

  /** The number of steps taken. */
  public long steps() {
    return update.steps();
  }
}
