package dev.nonlinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.nonlinear.kernel.Activations;
import dev.nonlinear.kernel.Backend;
import dev.nonlinear.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The activation layers: gradients against finite differences, outputs equal to the kernels'
 * (so each layer calls the right kernel with its parameters), values and gradients against
 * PyTorch 1.13 ({@code scripts/fixtures/make_activation_fixture.py}), and bad arguments.
 *
 * <p>Tolerance against PyTorch: both sides are within a few ulp of the exact function (ours:
 * docs/activation-accuracy.md, at worst 1e-6 absolute for GELU), so forward values agree within
 * {@code 2e-6 + 1e-6·|y|}; a gradient is a slope of that accuracy times {@code gradY}, so within
 * {@code 2e-6·(1 + |gradY|) + 1e-6·|gradX|}. A wrong formula or parameter is off by far more.
 */
class ActivationModuleProperties {

  private static final long SEED = 0x61637469766174L;

  /** The lane counts the kernels' vector bodies may use, ±1, and a prime. */
  private static final int[] SIZES = {0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 19, 35, 103};

  /** Each layer under the fixture's key, with the kernel calls it must make. */
  private static final Map<String, Case> CASES = new LinkedHashMap<>();

  static {
    elementwise("ReLU", ReLU::new, Activations::relu,
        (x, y, gy, gx, n) -> Activations.reluBackward(x, 0, gy, 0, gx, 0, n));
    elementwise("LeakyReLU", LeakyReLU::new,
        (x, xo, y, yo, n) -> Activations.leakyRelu(x, 0, y, 0, n, 0.01f),
        (x, y, gy, gx, n) -> Activations.leakyReluBackward(x, 0, gy, 0, gx, 0, n, 0.01f));
    elementwise("LeakyReLU_0.2", () -> new LeakyReLU(0.2f),
        (x, xo, y, yo, n) -> Activations.leakyRelu(x, 0, y, 0, n, 0.2f),
        (x, y, gy, gx, n) -> Activations.leakyReluBackward(x, 0, gy, 0, gx, 0, n, 0.2f));
    elementwise("ELU", ELU::new, (x, xo, y, yo, n) -> Activations.elu(x, 0, y, 0, n, 1f),
        (x, y, gy, gx, n) -> Activations.eluBackward(x, 0, gy, 0, gx, 0, n, 1f));
    elementwise("ELU_0.5", () -> new ELU(0.5f),
        (x, xo, y, yo, n) -> Activations.elu(x, 0, y, 0, n, 0.5f),
        (x, y, gy, gx, n) -> Activations.eluBackward(x, 0, gy, 0, gx, 0, n, 0.5f));
    elementwise("SELU", SELU::new, Activations::selu,
        (x, y, gy, gx, n) -> Activations.seluBackward(x, 0, gy, 0, gx, 0, n));
    elementwise("CELU", CELU::new, (x, xo, y, yo, n) -> Activations.celu(x, 0, y, 0, n, 1f),
        (x, y, gy, gx, n) -> Activations.celuBackward(x, 0, gy, 0, gx, 0, n, 1f));
    elementwise("CELU_2", () -> new CELU(2f),
        (x, xo, y, yo, n) -> Activations.celu(x, 0, y, 0, n, 2f),
        (x, y, gy, gx, n) -> Activations.celuBackward(x, 0, gy, 0, gx, 0, n, 2f));
    elementwise("GELU", GELU::new, Activations::gelu,
        (x, y, gy, gx, n) -> Activations.geluBackward(x, 0, gy, 0, gx, 0, n));
    elementwise("GELU_tanh", () -> new GELU("tanh"), Activations::geluTanh,
        (x, y, gy, gx, n) -> Activations.geluTanhBackward(x, 0, gy, 0, gx, 0, n));
    elementwise("SiLU", SiLU::new, Activations::silu,
        (x, y, gy, gx, n) -> Activations.siluBackward(x, 0, gy, 0, gx, 0, n));
    elementwise("Mish", Mish::new, Activations::mish,
        (x, y, gy, gx, n) -> Activations.mishBackward(x, 0, gy, 0, gx, 0, n));
    elementwise("Softplus", Softplus::new,
        (x, xo, y, yo, n) -> Activations.softplus(x, 0, y, 0, n, 1f, 20f),
        (x, y, gy, gx, n) -> Activations.softplusBackward(x, 0, gy, 0, gx, 0, n, 1f, 20f));
    elementwise("Softplus_2_6", () -> new Softplus(2f, 6f),
        (x, xo, y, yo, n) -> Activations.softplus(x, 0, y, 0, n, 2f, 6f),
        (x, y, gy, gx, n) -> Activations.softplusBackward(x, 0, gy, 0, gx, 0, n, 2f, 6f));
    elementwise("Sigmoid", Sigmoid::new, Activations::sigmoid,
        (x, y, gy, gx, n) -> Activations.sigmoidBackwardFromOutput(y, 0, gy, 0, gx, 0, n));
    elementwise("Tanh", Tanh::new, Activations::tanh,
        (x, y, gy, gx, n) -> Activations.tanhBackwardFromOutput(y, 0, gy, 0, gx, 0, n));
    elementwise("Hardtanh", Hardtanh::new,
        (x, xo, y, yo, n) -> Activations.hardtanh(x, 0, y, 0, n, -1f, 1f),
        (x, y, gy, gx, n) -> Activations.hardtanhBackward(x, 0, gy, 0, gx, 0, n, -1f, 1f));
    elementwise("Hardtanh_-3_1", () -> new Hardtanh(-3f, 1f),
        (x, xo, y, yo, n) -> Activations.hardtanh(x, 0, y, 0, n, -3f, 1f),
        (x, y, gy, gx, n) -> Activations.hardtanhBackward(x, 0, gy, 0, gx, 0, n, -3f, 1f));
    elementwise("Hardsigmoid", Hardsigmoid::new, Activations::hardsigmoid,
        (x, y, gy, gx, n) -> Activations.hardsigmoidBackward(x, 0, gy, 0, gx, 0, n));
    elementwise("Hardswish", Hardswish::new, Activations::hardswish,
        (x, y, gy, gx, n) -> Activations.hardswishBackward(x, 0, gy, 0, gx, 0, n));
    elementwise("Softsign", Softsign::new, Activations::softsign,
        (x, y, gy, gx, n) -> Activations.softsignBackward(x, 0, gy, 0, gx, 0, n));
    rowwise("Softmax", Softmax::new, dev.nonlinear.kernel.Softmax::softmax,
        dev.nonlinear.kernel.Softmax::softmaxBackward);
    rowwise("LogSoftmax", LogSoftmax::new, dev.nonlinear.kernel.Softmax::logSoftmax,
        dev.nonlinear.kernel.Softmax::logSoftmaxBackward);
  }

  static Stream<String> cases() {
    return CASES.keySet().stream();
  }

  /**
   * Inputs in ±([0.1, 0.9] ∪ [1.1, 2.9] ∪ [3.1, 5]): at least 0.1 from every kink of these
   * layers (0, ±1, ±3, Softplus(2, 6)'s x = 3, Hardtanh(-3, 1)'s ends), more than the largest
   * step of the difference quotient (1e-2), so it never straddles two pieces.
   */
  @ParameterizedTest
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(String name) {
    Case c = CASES.get(name);
    qt().withFixedSeed(SEED).withExamples(12)
        .forAll(integers().between(1, 5), integers().between(1, 23), longs().all())
        .checkAssert((rows, cols, seed) -> {
          SplittableRandom random = new SplittableRandom(seed);
          Tensor x = Tensor.of(awayFromKinks(random, rows * cols), rows, cols);
          GradientCheck.check(c.module().get(), x, random);
        });
  }

  @ParameterizedTest
  @MethodSource("cases")
  void outputAndGradientAreTheKernels(String name) {
    Case c = CASES.get(name);
    SplittableRandom random = new SplittableRandom(SEED);
    Module module = c.module().get();
    for (int size : SIZES) {
      int rows = 1 + random.nextInt(3);
      float[] x = normal(random, rows * size, 4);
      float[] gy = normal(random, rows * size, 1);
      Tensor input = Tensor.of(x.clone(), rows, size);

      Tensor y = module.forward(input);
      float[] expectedY = new float[x.length];
      c.forward().apply(x, expectedY, rows, size);
      assertArrayEquals(expectedY, y.data(), name + " forward, " + rows + "x" + size);

      Tensor gx = module.backward(Tensor.of(gy.clone(), rows, size));
      float[] expectedGx = new float[x.length];
      c.backward().apply(x, expectedY, gy, expectedGx, rows, size);
      assertArrayEquals(expectedGx, gx.data(), name + " backward, " + rows + "x" + size);
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void matchesPyTorch(String name) throws IOException {
    Fixture fixture = Fixture.load();
    Module module = CASES.get(name).module().get();
    assertEquals(fixture.reprs.get(name), module.toString().lines().findFirst().orElseThrow(),
        "repr");
    Tensor x = fixture.tensor(name + ".x");
    float[] expectedY = fixture.tensor(name + ".y").data();
    float[] gy = fixture.tensor(name + ".gy").data();
    float[] expectedGx = fixture.tensor(name + ".gx").data();

    float[] y = module.forward(x).data();
    for (int i = 0; i < y.length; i++) {
      double tolerance = 2e-6 + 1e-6 * Math.abs(expectedY[i]);
      assertEquals(expectedY[i], y[i], tolerance, name + " y[" + i + "], x = " + x.data()[i]);
    }
    float[] gx = module.backward(Tensor.of(gy, x.shape())).data();
    for (int i = 0; i < gx.length; i++) {
      double tolerance = 2e-6 * (1 + Math.abs(gy[i])) + 1e-6 * Math.abs(expectedGx[i]);
      assertEquals(expectedGx[i], gx[i], tolerance, name + " gx[" + i + "], x = " + x.data()[i]);
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void workspacesAreReusedAndTheInputGradientCanBeSkipped(String name) {
    Module module = CASES.get(name).module().get();
    SplittableRandom random = new SplittableRandom(SEED + 1);
    Tensor x = Tensor.of(normal(random, 12, 2), 3, 4);
    Tensor gy = Tensor.of(normal(random, 12, 1), 3, 4);
    Tensor y = module.forward(x);
    Tensor gx = module.backward(gy);
    assertSame(y, module.forward(x));
    assertSame(gx, module.backward(gy));

    module.inputGradientNeeded(false);
    float[] before = gx.data().clone();
    assertNull(module.backward(gy));
    assertArrayEquals(before, gx.data(), "the skipped gradient left the old one alone");
  }

  @ParameterizedTest
  @MethodSource("cases")
  void misuseIsReportedWithTheLayerName(String name) {
    Module module = CASES.get(name).module().get();
    IllegalStateException early = assertThrows(IllegalStateException.class,
        () -> module.backward(Tensor.zeros(2, 3)));
    assertTrue(early.getMessage().contains("before forward"), early.getMessage());
    NullPointerException nullInput = assertThrows(NullPointerException.class,
        () -> module.forward(null));
    assertTrue(nullInput.getMessage().startsWith(module.getClass().getSimpleName()),
        nullInput.getMessage());

    module.forward(Tensor.zeros(2, 3));
    IllegalArgumentException wrongShape = assertThrows(IllegalArgumentException.class,
        () -> module.backward(Tensor.zeros(3, 2)));
    assertTrue(wrongShape.getMessage().contains("expected the forward output's shape [2, 3]"),
        wrongShape.getMessage());
  }

  @Test
  void badParametersAreRejectedNamingThem() {
    expectArgument("negativeSlope = NaN", () -> new LeakyReLU(Float.NaN));
    expectArgument("negativeSlope = Infinity", () -> new LeakyReLU(Float.POSITIVE_INFINITY));
    expectArgument("alpha = -Infinity", () -> new ELU(Float.NEGATIVE_INFINITY));
    expectArgument("alpha = 0.0", () -> new CELU(0f));
    expectArgument("alpha = -1.0", () -> new CELU(-1f));
    expectArgument("alpha = NaN", () -> new CELU(Float.NaN));
    expectArgument("approximate = 'fast'", () -> new GELU("fast"));
    assertThrows(NullPointerException.class, () -> new GELU(null));
    expectArgument("beta = 0.0", () -> new Softplus(0f, 20f));
    expectArgument("beta = Infinity", () -> new Softplus(Float.POSITIVE_INFINITY, 20f));
    expectArgument("threshold = NaN", () -> new Softplus(1f, Float.NaN));
    expectArgument("min = 1.0, max = -1.0", () -> new Hardtanh(1f, -1f));
    expectArgument("min = NaN", () -> new Hardtanh(Float.NaN, 1f));
    expectArgument("max = NaN", () -> new Hardtanh(-1f, Float.NaN));
  }

  @Test
  void softmaxTakesOnlyTheLastDimension() {
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    expectArgument("dim = 0 with input shape [2, 3]", () -> new Softmax(0).forward(x));
    expectArgument("dim = -2", () -> new LogSoftmax(-2).forward(x));
    expectArgument("expected at least one dimension", () -> new Softmax().forward(
        Tensor.of(new float[] {1})));
    assertArrayEquals(new Softmax().forward(x).data(), new Softmax(1).forward(x).data());
    assertEquals("LogSoftmax(dim=1)", new LogSoftmax(1).toString().lines().findFirst().get());
  }

  @Test
  void emptyRowsAndEmptyBatchesPass() {
    for (String name : CASES.keySet()) {
      Module module = CASES.get(name).module().get();
      for (int[] shape : new int[][] {{0, 4}, {3, 0}}) {
        Tensor y = module.forward(Tensor.zeros(shape));
        assertTrue(y.hasShape(shape), name);
        assertNotNull(module.backward(Tensor.zeros(shape)), name);
      }
    }
  }

  private static void expectArgument(String messageStart, Executable executable) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, executable);
    assertTrue(e.getMessage().contains(messageStart), e.getMessage());
  }

  private static float[] awayFromKinks(SplittableRandom random, int size) {
    float[][] bands = {{0.1f, 0.9f}, {1.1f, 2.9f}, {3.1f, 5f}};
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      float[] band = bands[random.nextInt(bands.length)];
      float magnitude = (float) (band[0] + (band[1] - band[0]) * random.nextDouble());
      values[i] = random.nextBoolean() ? magnitude : -magnitude;
    }
    return values;
  }

  private static float[] normal(SplittableRandom random, int size, double scale) {
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      double u = random.nextDouble();
      double v = random.nextDouble();
      values[i] = (float) (scale * Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v));
    }
    return values;
  }

  // ---- the kernel calls each layer must make ----------------------------------------------

  /** A facade forward call, as {@code Activations.relu(x, xOff, y, yOff, n)}. */
  interface ForwardKernel {
    void apply(float[] x, int xOff, float[] y, int yOff, int n);
  }

  /** A backward call with offsets 0, given the forward input and output. */
  interface BackwardKernel {
    void apply(float[] x, float[] y, float[] gradY, float[] gradX, int n);
  }

  /** As {@code Softmax.softmax(x, xOff, y, yOff, rows, cols)}. */
  interface RowForward {
    void apply(float[] x, int xOff, float[] y, int yOff, int rows, int cols);
  }

  /** As {@code Softmax.softmaxBackward(y, yOff, gradY, gyOff, gradX, gxOff, rows, cols)}. */
  interface RowBackward {
    void apply(float[] y, int yOff, float[] gradY, int gyOff, float[] gradX, int gxOff,
        int rows, int cols);
  }

  interface MatrixForward {
    void apply(float[] x, float[] y, int rows, int cols);
  }

  interface MatrixBackward {
    void apply(float[] x, float[] y, float[] gradY, float[] gradX, int rows, int cols);
  }

  record Case(Supplier<Module> module, MatrixForward forward, MatrixBackward backward) {}

  private static void elementwise(String name, Supplier<Module> module, ForwardKernel forward,
      BackwardKernel backward) {
    CASES.put(name, new Case(module,
        (x, y, rows, cols) -> forward.apply(x, 0, y, 0, rows * cols),
        (x, y, gy, gx, rows, cols) -> backward.apply(x, y, gy, gx, rows * cols)));
  }

  private static void rowwise(String name, Supplier<Module> module, RowForward forward,
      RowBackward backward) {
    CASES.put(name, new Case(module,
        (x, y, rows, cols) -> forward.apply(x, 0, y, 0, rows, cols),
        (x, y, gy, gx, rows, cols) -> backward.apply(y, 0, gy, 0, gx, 0, rows, cols)));
  }

  // ---- the PyTorch fixture ------------------------------------------------------------------

  /** Lines {@code key.name dim,dim v v ...} and {@code repr key text}. */
  private record Fixture(Map<String, Tensor> tensors, Map<String, String> reprs) {

    private static Fixture cached;

    static synchronized Fixture load() throws IOException {
      if (cached != null) {
        return cached;
      }
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      Map<String, String> reprs = new LinkedHashMap<>();
      try (InputStream in = ActivationModuleProperties.class.getResourceAsStream(
          "/fixtures/activations.txt")) {
        assertNotNull(in, "fixtures/activations.txt on the test class path");
        BufferedReader reader = new BufferedReader(new InputStreamReader(in,
            StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          String[] parts = line.split(" ", 3);
          if (parts[0].equals("repr")) {
            reprs.put(parts[1], parts[2]);
          } else {
            tensors.put(parts[0], parse(parts[1], parts[2]));
          }
        }
      }
      cached = new Fixture(tensors, reprs);
      return cached;
    }

    Tensor tensor(String key) {
      Tensor t = tensors.get(key);
      assertNotNull(t, "fixture has " + key);
      return t.copy();
    }

    private static Tensor parse(String shapeText, String valuesText) {
      String[] dims = shapeText.split(",");
      int[] shape = new int[dims.length];
      for (int i = 0; i < dims.length; i++) {
        shape[i] = Integer.parseInt(dims[i]);
      }
      String[] words = valuesText.trim().split(" ");
      float[] values = new float[words.length];
      for (int i = 0; i < words.length; i++) {
        values[i] = Float.parseFloat(words[i]);
      }
      return Tensor.of(values, shape);
    }
  }
}
