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
 * A 2-D convolution as PyTorch's {@code nn.Conv2d}: input {@code [N, C_in, H, W]}, weight
 * {@code [C_out, C_in/groups, kH, kW]}, bias {@code [C_out]}, output {@code [N, C_out, H_out,
 * W_out]} with PyTorch's output-size formula.
 *
 * <p>Groups split the channels into {@code groups} equal, independent convolutions: output
 * channels of group {@code g} see only input channels of group {@code g}. With
 * {@code groups = C_in} (and {@code C_out} a multiple of it) this is a depthwise convolution.
 *
 * <p>Each group of each image is unfolded by im2col into a reused workspace and multiplied by
 * the group's slice of the weight, seen as a {@code [C_out/groups, (C_in/groups)·kH·kW]} matrix;
 * a 1×1 kernel with stride 1 and no padding multiplies the group's channels of the image
 * directly. Images run in parallel. The weight gradient is summed over fixed slabs of
 * {@value #SLAB} images and the slabs are added in order, so it is the same bit for bit whatever
 * the thread count.
 *
 * <p>A depthwise group is a GEMM with one row ({@code C_out/groups = 1}) and {@code kH·kW} terms:
 * it runs through the general GEMM, which is not built for such thin shapes; a direct depthwise
 * kernel would be faster and does not exist yet.
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
  private final int groups;
  private final int inPerGroup;
  private final int outPerGroup;
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
    this(inChannels, outChannels, kernelSize, stride, padding, 1);
  }

  /** A square-kernel grouped convolution with a bias, default initialisation. */
  public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding,
      int groups) {
    this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, new int[] {stride, stride},
        new int[] {padding, padding}, new int[] {1, 1}, groups, true, Init.defaultGenerator());
  }

  /**
   * The general form with one group: each of kernel, stride, padding and dilation is
   * {@code {h, w}}; weights uniform in ±1/√(C_in·kH·kW) from {@code random}, as PyTorch
   * initialises them.
   */
  public Conv2d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding,
      int[] dilation, boolean bias, RandomGenerator random) {
    this(inChannels, outChannels, kernel, stride, padding, dilation, 1, bias, random);
  }

  /**
   * The general form: each of kernel, stride, padding and dilation is {@code {h, w}};
   * {@code groups} must divide both channel counts; weights uniform in ±1/√((C_in/groups)·kH·kW)
   * from {@code random}, as PyTorch initialises them.
   */
  public Conv2d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding,
      int[] dilation, int groups, boolean bias, RandomGenerator random) {
    this(inChannels, outChannels, kernel, stride, padding, dilation, groups, bias, random, false);
  }

  /**
   * As the general form; with {@code kernelRowOnly} (for {@link Conv1d}, whose kernel height is
   * 1) the weight is shaped {@code [C_out, C_in/groups, kW]} as PyTorch's Conv1d weight, the
   * same values in the same order.
   */
  Conv2d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding,
      int[] dilation, int groups, boolean bias, RandomGenerator random, boolean kernelRowOnly) {
    this.inChannels = Checks.positive("inChannels", inChannels);
    this.outChannels = Checks.positive("outChannels", outChannels);
    this.kernelH = Checks.positive("kernel[0]", Shapes.pair("kernel", kernel)[0]);
    this.kernelW = Checks.positive("kernel[1]", kernel[1]);
    this.strideH = Checks.positive("stride[0]", Shapes.pair("stride", stride)[0]);
    this.strideW = Checks.positive("stride[1]", stride[1]);
    this.padH = Checks.nonNegative("padding[0]", Shapes.pair("padding", padding)[0]);
    this.padW = Checks.nonNegative("padding[1]", padding[1]);
    this.dilationH = Checks.positive("dilation[0]", Shapes.pair("dilation", dilation)[0]);
    this.dilationW = Checks.positive("dilation[1]", dilation[1]);
    this.groups = Checks.positive("groups", groups);
    requireDivisible("inChannels", inChannels, groups);
    requireDivisible("outChannels", outChannels, groups);
    this.inPerGroup = inChannels / groups;
    this.outPerGroup = outChannels / groups;
    Objects.requireNonNull(random, "random");

    int fanIn = Checks.product("inChannels / groups * kernel area", inPerGroup,
        Checks.product("kernel area", kernelH, kernelW));
    Checks.product("outChannels * fanIn", outChannels, fanIn);
    Tensor weightValue = kernelRowOnly ? Tensor.zeros(outChannels, inPerGroup, kernelW)
        : Tensor.zeros(outChannels, inPerGroup, kernelH, kernelW);
    this.weight = registerParameter("weight", new Parameter(weightValue));
    Init.pytorchDefault(weight.value(), fanIn, random);
    if (bias) {
      this.bias = registerParameter("bias", new Parameter(Tensor.zeros(outChannels)));
      Init.pytorchDefault(this.bias.value(), fanIn, random);
    } else {
      this.bias = null;
    }
  }

  /** A convolution over {@code source}'s parameters, with workspaces of its own. */
  private Conv2d(Conv2d source) {
    this.inChannels = source.inChannels;
    this.outChannels = source.outChannels;
    this.kernelH = source.kernelH;
    this.kernelW = source.kernelW;
    this.strideH = source.strideH;
    this.strideW = source.strideW;
    this.padH = source.padH;
    this.padW = source.padW;
    this.dilationH = source.dilationH;
    this.dilationW = source.dilationW;
    this.groups = source.groups;
    this.inPerGroup = source.inPerGroup;
    this.outPerGroup = source.outPerGroup;
    this.weight = registerParameter("weight", source.weight);
    this.bias = source.bias == null ? null : registerParameter("bias", source.bias);
  }

  @Override
  public Conv2d inferenceCopy() {
    return inferenceMode(new Conv2d(this));
  }

  /** The weight, {@code [C_out, C_in/groups, kH, kW]}. */
  public Parameter weight() {
    return weight;
  }

  /** The bias, {@code [C_out]}, or null. */
  public Parameter bias() {
    return bias;
  }

  /** The number of channel groups. */
  public int groups() {
    return groups;
  }

  @Override
  public Tensor forward(Tensor x) {
    Shapes.require("Conv2d", x, 4, 1, inChannels, "[N, " + inChannels + ", H, W]");
    ConvGeometry g = Shapes.geometry("Conv2d", x, () -> geometryFor(x.size(2), x.size(3)));
    int batch = x.size(0);
    output = Shapes.reuse(output, batch, outChannels, g.outputHeight(), g.outputWidth());
    input = x;

    columns.reserve(Parallel.threads(), columnSize(g));
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

    columns.reserve(Parallel.threads(), columnSize(g));
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

  /**
   * Output of one image, group by group: {@code y_g = W_g · col_g}, where {@code W_g} is the
   * group's {@code outPerGroup} rows of the weight and {@code col_g} the group's input channels
   * unfolded (or, pointwise, the channels themselves).
   */
  private void forwardImage(ConvGeometry g, int image, float[] column) {
    int spatial = g.colCols();
    int rows = g.colRows();
    int outOff = image * outChannels * spatial;
    float[] x = input.data();
    float[] w = weight.value().data();
    for (int group = 0; group < groups; group++) {
      int inOff = image * inChannels * g.height() * g.width() + group * g.imageSize();
      float[] b = x;
      int bOff = inOff;
      if (!isPointwise()) {
        Convolution.im2col(g, x, inOff, column, 0);
        b = column;
        bOff = 0;
      }
      Blas.sgemm(false, false, outPerGroup, spatial, rows, 1f, w, group * outPerGroup * rows,
          rows, b, bOff, spatial, 0f, output.data(), outOff + group * outPerGroup * spatial,
          spatial);
    }
    if (bias != null) {
      Bias.addToChannels(output.data(), outOff, outChannels, spatial, bias.value().data(), 0);
    }
  }

  /** Weight-gradient partial sum of one slab into its own slot, and the slab's input gradients. */
  private void backwardSlab(ConvGeometry g, float[] gy, int slab, float[] column) {
    int first = slab * SLAB;
    int last = Math.min(input.size(0), first + SLAB);
    for (int image = first; image < last; image++) {
      for (int group = 0; group < groups; group++) {
        backwardGroup(g, gy, slab, image, group, image == first, column);
      }
    }
  }

  /**
   * One group of one image: {@code dW_g += dy_g · col_g^T} into the slab's slot (overwriting on
   * the slab's first image), then, if needed, {@code dx_g = col2im(W_g^T · dy_g)}.
   */
  private void backwardGroup(ConvGeometry g, float[] gy, int slab, int image, int group,
      boolean firstOfSlab, float[] column) {
    int spatial = g.colCols();
    int rows = g.colRows();
    int gyOff = image * outChannels * spatial + group * outPerGroup * spatial;
    int inOff = image * inChannels * g.height() * g.width() + group * g.imageSize();
    int weightOff = group * outPerGroup * rows;
    float[] x = input.data();
    float[] b = x;
    int bOff = inOff;
    if (!isPointwise()) {
      Convolution.im2col(g, x, inOff, column, 0);
      b = column;
      bOff = 0;
    }
    float beta = firstOfSlab ? 0f : 1f;
    Blas.sgemm(false, true, outPerGroup, rows, spatial, 1f, gy, gyOff, spatial, b, bOff, spatial,
        beta, slabGradients, slab * weight.numel() + weightOff, rows);

    if (!isInputGradientNeeded()) {
      return;
    }
    float[] w = weight.value().data();
    if (isPointwise()) {
      Blas.sgemm(true, false, rows, spatial, outPerGroup, 1f, w, weightOff, rows, gy, gyOff,
          spatial, 0f, gradInput.data(), inOff, spatial);
      return;
    }
    Blas.sgemm(true, false, rows, spatial, outPerGroup, 1f, w, weightOff, rows, gy, gyOff,
        spatial, 0f, column, 0, spatial);
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

  /**
   * A 1×1 kernel, stride 1, no padding: each group's channels of the image are already its
   * column matrix (with any dilation, which a 1×1 kernel never uses).
   */
  private boolean isPointwise() {
    return kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padH == 0
        && padW == 0;
  }

  /** Floats of one group's column matrix; none when the image is used directly. */
  private int columnSize(ConvGeometry g) {
    return isPointwise() ? 0 : g.colSize();
  }

  /** The geometry of one group: its {@code C_in/groups} channels of an image. */
  private ConvGeometry geometryFor(int height, int width) {
    if (geometry == null || geometry.height() != height || geometry.width() != width) {
      Checks.product("inChannels * height * width", Checks.product("inChannels * height",
          inChannels, height), width);
      geometry = new ConvGeometry(inPerGroup, height, width, kernelH, kernelW, strideH, strideW,
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
    if (groups != 1) {
      repr.append(", groups=").append(groups);
    }
    return bias == null ? repr.append(", bias=False").toString() : repr.toString();
  }

  private static void requireDivisible(String name, int channels, int groups) {
    if (channels % groups != 0) {
      throw new IllegalArgumentException(name + " = " + channels + ": expected a multiple of "
          + "groups = " + groups);
    }
  }
}
