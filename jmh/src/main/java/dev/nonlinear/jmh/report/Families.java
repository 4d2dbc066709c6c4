package dev.nonlinear.jmh.report;

import dev.nonlinear.jmh.GemmShape;
import dev.nonlinear.jmh.report.Family.Placement;
import java.util.List;
import java.util.Map;

/**
 * The families the report knows, in the order it shows them. The shapes behind the rates are the
 * benchmarks' own: GEMM's come from {@link GemmShape}; the layer and kernel shapes
 * are restated here from the benchmarks' class comments, since those classes keep them in setup
 * code.
 */
final class Families {

  private static final String SCALAR_FORK = "a fork with " + ResultsReader.SCALAR_BACKEND;

  /** 8 × 64 × 56 × 56: the pooling input of ConvPoolBenchmark and LayerBenchmark. */
  private static final double POOL_INPUT = 8.0 * 64 * 56 * 56;

  static final List<Family> KNOWN = List.of(cnnTraining(), gemm(), layer(), activation(),
      convPool());

  private Families() {
  }

  /** The family called {@code name}, or a generic one. */
  static Family of(String name) {
    return KNOWN.stream().filter(f -> f.name().equals(name)).findFirst()
        .orElseGet(() -> Family.generic(name));
  }

  /** Known families first, in {@link #KNOWN}'s order, then the others by name. */
  static int order(String name) {
    for (int i = 0; i < KNOWN.size(); i++) {
      if (KNOWN.get(i).name().equals(name)) {
        return i;
      }
    }
    return KNOWN.size();
  }

  private static Family cnnTraining() {
    return new Family("CnnTraining", "One SGD step (forward, loss, backward, update) of the 28×28"
        + " CNN on 64 images (`CnnTrainingBenchmark`); the scalar twin is `trainStepScalar`, "
        + SCALAR_FORK + ". PyTorch: `jmh/pytorch/cnn_train_step.py`, the same step.",
        Family::byNaming, row -> Work.images(64), Row::label, null);
  }

  private static Family gemm() {
    return new Family("Gemm", "`Blas.sgemm`, row-major C = op(A)·op(B) (`GemmBenchmark`);"
        + " GFLOP/s = 2mnk / time. The scalar twin is the same facade in " + SCALAR_FORK + "."
        + " OpenBLAS: netlib's `BLAS.getInstance()` (the system's native BLAS; netlib falls back"
        + " to Java and logs it when none loads) with `OPENBLAS_NUM_THREADS` = the table's"
        + " threads. netlib VectorBLAS: netlib's pure-Java Vector API BLAS, one thread in every"
        + " table.", Families::placeGemm, Families::gemmWork, Families::gemmLabel, null);
  }

  private static Placement placeGemm(JmhResult result) {
    Row row = new Row("sgemm", result.params());
    Column column = switch (result.method()) {
      case "vector" -> Column.OURS;
      case "scalar" -> Column.TWIN;
      case "openblas" -> Column.anchor("OpenBLAS");
      case "vectorblas" -> Column.anchor("netlib VectorBLAS");
      default -> Column.anchor(result.method());
    };
    return new Placement(row, column);
  }

  private static Work gemmWork(Row row) {
    String shape = row.params().get("shape");
    return shape == null ? null : Work.flops(GemmShape.of(shape).flops());
  }

  /** {@code linear: 64×10×6272, A·Bᵀ}. */
  private static String gemmLabel(Row row) {
    String shape = row.params().get("shape");
    if (shape == null) {
      return row.label();
    }
    GemmShape p = GemmShape.of(shape);
    String op = (p.transA() ? "Aᵀ" : "A") + "·" + (p.transB() ? "Bᵀ" : "B");
    return shape + ": " + p.m() + "×" + p.n() + "×" + p.k() + ", " + op;
  }

  private static Family layer() {
    return new Family("Layer", "Layers at issue 5's shapes (`LayerBenchmark`): Conv2d 64→64 3×3"
        + " pad 1 on 8×64×56×56 forward; the CNN's first Conv2d (1→32) on 64×1×28×28, forward and"
        + " backward without the input gradient; MaxPool2d(2) on 8×64×56×56. GFLOP/s counts the"
        + " convolutions' multiply-adds (forward, plus the weight gradient's); ns/element is per"
        + " input element. PyTorch: `jmh/pytorch/layers.py`.",
        Family::byNaming, Families::layerWork, Row::label, null);
  }

  private static Work layerWork(Row row) {
    return switch (row.name()) {
      case "conv64Forward" -> Work.flops(convFlops(8, 64, 64, 56, 56));
      case "firstConvForwardBackward" -> Work.flops(2 * convFlops(64, 1, 32, 28, 28));
      case "maxPoolForward" -> Work.elements(POOL_INPUT);
      default -> null;
    };
  }

  /** A 3×3 "same" convolution: 2 flops per multiply-add, 9 taps per input channel. */
  private static double convFlops(int batch, int in, int out, int height, int width) {
    return 2.0 * batch * out * height * width * in * 9;
  }

  private static Family activation() {
    return new Family("Activation", "1M floats out of place (`ActivationBenchmark`), time per"
        + " element; the scalar twin is the same benchmark in " + SCALAR_FORK + ". JDK lanewise:"
        + " the JDK's own `lanewise(EXP)` / `lanewise(TANH)` form of the same function. PyTorch:"
        + " `jmh/pytorch/activations.py`, `out=` forms; it computes the sigmoid and tanh"
        + " derivatives from the output, hence rows of their own.",
        Families::placeActivation, row -> null, Row::label, "ns/element");
  }

  private static Placement placeActivation(JmhResult result) {
    Map<String, String> jdkForms = Map.of("sigmoidLanewiseExp", "sigmoid", "tanhLanewise",
        "tanh");
    String function = jdkForms.get(result.method());
    if (function == null) {
      return Family.byNaming(result);
    }
    return new Placement(new Row(function, result.params()), Column.anchor("JDK lanewise"));
  }

  private static Family convPool() {
    return new Family("ConvPool", "Convolution and pooling kernels, one thread"
        + " (`ConvPoolBenchmark`); the scalar twins (`…Scalar`) run in " + SCALAR_FORK + "."
        + " ns/element per element of the column matrix (im2col, col2im, 3×3 pad 1), of the input"
        + " (pooling, 8×64×56×56) or of the logits (softmax, 64 rows).",
        Family::byNaming, Families::convPoolWork, Row::label, null);
  }

  private static Work convPoolWork(Row row) {
    return switch (row.name()) {
      case "im2col", "col2im" -> Work.elements(columnElements(row.params().get("image")));
      case "maxPool2d", "maxPool2dBackward" -> Work.elements(POOL_INPUT);
      case "softmax" -> Work.elements(64.0 * Integer.parseInt(row.params().get("classes")));
      default -> null;
    };
  }

  /** C·9 rows by H·W columns: a 3×3 kernel, stride 1, padding 1 keeps H and W. */
  private static double columnElements(String image) {
    String[] dims = image.split("x");
    return 9.0 * Integer.parseInt(dims[0]) * Integer.parseInt(dims[1])
        * Integer.parseInt(dims[2]);
  }
}
