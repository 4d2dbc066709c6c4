package dev.nonlinear.nn;

import dev.nonlinear.kernel.Bias;
import dev.nonlinear.kernel.Blas;
import dev.nonlinear.kernel.Checks;
import dev.nonlinear.kernel.ConvGeometry;
import dev.nonlinear.kernel.Convolution;
import dev.nonlinear.kernel.Parallel;
import dev.nonlinear.tensor.Tensor;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A 2-D convolution as PyTorch's {@code nn.Conv2d} (groups = 1): input {@code [N, C_in, H, W]},
 * weight {@code [C_out, C_in, kH, kW]}, bias {@code [C_out]}, output {@code [N, C_out, H_out,
 * W_out]} with PyTorch's output-size formula.
 *
 * <p>Each image is unfolded by im2col into a reused workspace and multiplied by the weight seen
 * as a {@code [C_out, C_in·kH·kW]} matrix; a 1×1 kernel with stride 1 and no padding multiplies
 * the image directly. Images run in parallel. The weight gradient is summed over fixed slabs of
 * {@value #SLAB} images and the slabs are added in order, so it is the same bit for bit whatever
 * the thread count.
 */
public final class Conv2d extends Module {

  /** Images per weight-gradient slab: enough work per task, few partial sums to add. */
  static final int SLAB = 8;

  private final int inChannels;
  private final int outChannels;
  private final int kernelH;
  private final int kernelW;
  private final int strideH;
  private final int strideW;
  private final int padH;
  private final int padW;
  private final int dilationH;
  private final int dilationW;
  private final Parameter weight;
  private final Parameter bias;

  private final Workspace columns = new Workspace();
  private ConvGeometry geometry;
  private Tensor input;
  private Tensor output;
  private Tensor gradInput;
  private float[] slabGradients = new float[0];

  /** A square-kernel convolution with stride 1, no padding, a bias, default initialisation. */
  public Conv2d(int inChannels, int outChannels, int kernelSize) {
    this(inChannels, outChannels, kernelSize, 1, 0);
  }

  /** A square-kernel convolution with a bias, default initialisation. */
  public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
    this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, new int[] {stride, stride},
        new int[] {padding, padding}, new int[] {1, 1}, true, Init.defaultGenerator());
  }

  /**
   * The general form: each of kernel, stride, padding and dilation is {@code {h, w}}; weights
   * uniform in ±1/√(C_in·kH·kW) from {@code random}, as PyTorch initialises them.
   */
  public Conv2d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding,
      int[] dilation, boolean bias, RandomGenerator random) {
    this.inChannels = Checks.positive("inChannels", inChannels);
    this.outChannels = Checks.positive("outChannels", outChannels);
    this.kernelH = Checks.positive("kernel[0]", pair("kernel", kernel)[0]);
    this.kernelW = Checks.positive("kernel[1]", kernel[1]);
    this.strideH = Checks.positive("stride[0]", pair("stride", stride)[0]);
    this.strideW = Checks.positive("stride[1]", stride[1]);
    this.padH = Checks.nonNegative("padding[0]", pair("padding", padding)[0]);
    this.padW = Checks.nonNegative("padding[1]", padding[1]);
    this.dilationH = Checks.positive("dilation[0]", pair("dilation", dilation)[0]);
    this.dilationW = Checks.positive("dilation[1]", dilation[1]);
    Objects.requireNonNull(random, "random");

    int fanIn = Checks.product("inChannels * kernel area", inChannels, kernelH * kernelW);
    Checks.product("outChannels * fanIn", outChannels, fanIn);
    this.weight = registerParameter("weight",
        new Parameter(Tensor.zeros(outChannels, inChannels, kernelH, kernelW)));
    Init.pytorchDefault(weight.value(), fanIn, random);
    if (bias) {
      this.bias = registerParameter("bias", new Parameter(Tensor.zeros(outChannels)));
      Init.pytorchDefault(this.bias.value(), fanIn, random);
    } else {
      this.bias = null;
    }
  }

  /** The weight, {@code [C_out, C_in, kH, kW]}. */
  public Parameter weight() {
    return weight;
  }

  /** The bias, {@code [C_out]}, or null. */
  public Parameter bias() {
    return bias;
  }

  @Override
  public Tensor forward(Tensor x) {
    Shapes.require("Conv2d", x, 4, 1, inChannels, "[N, " + inChannels + ", H, W]");
    ConvGeometry g = geometryFor(x.size(2), x.size(3));
    int batch = x.size(0);
    output = Shapes.reuse(output, batch, outChannels, g.outputHeight(), g.outputWidth());
    input = x;

    int columnSize = isPointwise() ? 0 : g.colRows() * g.colCols();
    columns.reserve(Parallel.threads(), columnSize);
    Parallel.forEach(batch, (worker, image) -> forwardImage(g, image, columns.get(worker, 0)));
    return output;
  }

  @Override
  public Tensor backward(Tensor gradOutput) {
    if (input == null) {
      throw backwardBeforeForward();
    }
    Shapes.requireGradient("Conv2d", gradOutput, output.shape());
    ConvGeometry g = geometry;
    int batch = input.size(0);
    int slabs = (batch + SLAB - 1) / SLAB;
    int weightSize = weight.numel();
    if (slabGradients.length < slabs * weightSize) {
      slabGradients = new float[slabs * weightSize];
    }
    if (isInputGradientNeeded()) {
      gradInput = Shapes.reuse(gradInput, input.shape());
    }

    columns.reserve(Parallel.threads(), isPointwise() ? 0 : g.colRows() * g.colCols());
    Parallel.forEach(slabs, (worker, slab) ->
        backwardSlab(g, gradOutput.data(), slab, columns.get(worker, 0)));

    addSlabGradients(slabs);
    if (bias != null) {
      int spatial = g.colCols();
      for (int image = 0; image < batch; image++) {
        Bias.accumulateChannelSums(gradOutput.data(), image * outChannels * spatial,
            outChannels, spatial, bias.grad().data(), 0);
      }
    }
    return isInputGradientNeeded() ? gradInput : null;
  }

  private void forwardImage(ConvGeometry g, int image, float[] column) {
    int spatial = g.colCols();
    int outOff = image * outChannels * spatial;
    float[] x = input.data();
    int inOff = image * g.imageSize();
    float[] b = x;
    int bOff = inOff;
    if (!isPointwise()) {
      Convolution.im2col(g, x, inOff, column, 0);
      b = column;
      bOff = 0;
    }

    Blas.sgemm(false, false, outChannels, spatial, g.colRows(), 1f, weight.value().data(), 0,
        g.colRows(), b, bOff, spatial, 0f, output.data(), outOff, spatial);
    if (bias != null) {
      Bias.addToChannels(output.data(), outOff, outChannels, spatial, bias.value().data(), 0);
    }
  }

  /** Weight-gradient partial sum of one slab into its own slot, and the slab's input gradients. */
  private void backwardSlab(ConvGeometry g, float[] gy, int slab, float[] column) {
    int spatial = g.colCols();
    int rows = g.colRows();
    int partialOff = slab * weight.numel();
    int first = slab * SLAB;
    int last = Math.min(input.size(0), first + SLAB);
    float[] x = input.data();

    for (int image = first; image < last; image++) {
      int gyOff = image * outChannels * spatial;
      int inOff = image * g.imageSize();
      float[] b = x;
      int bOff = inOff;
      if (!isPointwise()) {
        Convolution.im2col(g, x, inOff, column, 0);
        b = column;
        bOff = 0;
      }
      float beta = image == first ? 0f : 1f;
      Blas.sgemm(false, true, outChannels, rows, spatial, 1f, gy, gyOff, spatial, b, bOff,
          spatial, beta, slabGradients, partialOff, rows);

      if (isInputGradientNeeded()) {
        inputGradientOfImage(g, gy, gyOff, inOff, column);
      }
    }
  }

  private void inputGradientOfImage(ConvGeometry g, float[] gy, int gyOff, int inOff,
      float[] column) {
    int spatial = g.colCols();
    int rows = g.colRows();
    float[] w = weight.value().data();
    if (isPointwise()) {
      Blas.sgemm(true, false, rows, spatial, outChannels, 1f, w, 0, rows, gy, gyOff, spatial,
          0f, gradInput.data(), inOff, spatial);
      return;
    }
    Blas.sgemm(true, false, rows, spatial, outChannels, 1f, w, 0, rows, gy, gyOff, spatial, 0f,
        column, 0, spatial);
    Convolution.col2im(g, column, 0, gradInput.data(), inOff);
  }

  /** Adds the slabs' partial weight gradients in slab order: the same sum for any threads. */
  private void addSlabGradients(int slabs) {
    float[] grad = weight.grad().data();
    int size = grad.length;
    for (int slab = 0; slab < slabs; slab++) {
      int off = slab * size;
      for (int i = 0; i < size; i++) {
        grad[i] += slabGradients[off + i];
      }
    }
  }

  /** A 1×1 kernel, stride 1, no padding: the image is already its own column matrix. */
  private boolean isPointwise() {
    return kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padH == 0
        && padW == 0;
  }

  private ConvGeometry geometryFor(int height, int width) {
    if (geometry == null || geometry.height() != height || geometry.width() != width) {
      geometry = new ConvGeometry(inChannels, height, width, kernelH, kernelW, strideH, strideW,
          padH, padW, dilationH, dilationW);
    }
    return geometry;
  }

  @Override
  protected String extraRepr() {
    StringBuilder repr = new StringBuilder().append(inChannels).append(", ").append(outChannels)
        .append(", kernel_size=(").append(kernelH).append(", ").append(kernelW)
        .append("), stride=(").append(strideH).append(", ").append(strideW).append(")");
    if (padH != 0 || padW != 0) {
      repr.append(", padding=(").append(padH).append(", ").append(padW).append(")");
    }
    if (dilationH != 1 || dilationW != 1) {
      repr.append(", dilation=(").append(dilationH).append(", ").append(dilationW).append(")");
    }
    return bias == null ? repr.append(", bias=False").toString() : repr.toString();
  }

  private static int[] pair(String name, int[] values) {
    Objects.requireNonNull(values, name);
    if (values.length != 2) {
      throw new IllegalArgumentException(name + " has " + values.length
          + " values: expected {height, width}");
    }
    return values;
  }
}
