package dev.nonlinear.jmh;

/**
 * The product a {@link GemmBenchmark} {@code shape} parameter names: op(A) is m x k, op(B) is
 * k x n, C is m x n. Its own class so that the report can read the shapes without loading the
 * benchmark (whose static fields load native BLAS).
 */
public record GemmShape(boolean transA, boolean transB, int m, int n, int k) {

  /** The square sizes ({@code "256"}) and the 28×28 CNN's products at batch 64. */
  public static GemmShape of(String shape) {
    return switch (shape) {
      case "linear" -> new GemmShape(false, true, 64, 10, 6272);
      case "linearInputGrad" -> new GemmShape(false, false, 64, 6272, 10);
      case "linearWeightGrad" -> new GemmShape(true, false, 10, 6272, 64);
      case "conv" -> new GemmShape(false, false, 32, 784, 9);
      case "convWeightGrad" -> new GemmShape(false, true, 32, 9, 784);
      case "convInputGrad" -> new GemmShape(true, false, 9, 784, 32);
      default -> {
        int size = Integer.parseInt(shape);
        yield new GemmShape(false, false, size, size, size);
      }
    };
  }

  /** Floating-point operations of C = op(A) op(B): one multiply and one add per term. */
  public double flops() {
    return 2.0 * m * n * k;
  }
}
