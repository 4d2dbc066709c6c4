package dev.nonlinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Conv2d against PyTorch 1.13 on the cases of {@code scripts/fixtures/make_conv_fixture.py}
 * (geometries with unequal and odd sizes, groups including depthwise, bias on and off): the
 * output and the input, weight and bias gradients of {@code <y, gy>}.
 *
 * <p>Tolerance: the fixture holds PyTorch's float64 results rounded once to float32, so they are
 * within {@code ε/2·|exact|} of the exact value (ε = 2⁻²⁴). Each of our float results is a sum of
 * {@code K} products; whatever the order of the additions, it is within {@code (K + 1)·ε·Σ|a||b|}
 * of the exact sum (K − 1 additions, one rounding per product, to first order). So every element
 * must be within {@code (K + 2)·ε·Σ|a||b|}, with {@code Σ|a||b|} computed per element by a
 * direct double loop here and K per tensor: {@code (C_in/groups)·kH·kW + 1} for the output (the
 * bias is one more term), {@code (C_out/groups)·kH·kW} for the input gradient,
 * {@code N·H_out·W_out} for the weight and bias gradients.
 */
class PyTorchConvFixtureTest {

  private static final double EPSILON = 0x1p-24;
  private static final String RESOURCE = "/fixtures/conv2d.bin";

  @Test
  void conv2dMatchesPyTorchOutputsAndGradients() throws IOException {
    ByteBuffer data = read(RESOURCE);
    int cases = data.getInt();
    assertTrue(cases >= 200, "fixture has " + cases + " cases");
    int depthwise = 0;
    int grouped = 0;
    for (int k = 0; k < cases; k++) {
      ConvCase c = ConvCase.read(data);
      c.check();
      depthwise += c.groups > 1 && c.groups == c.in ? 1 : 0;
      grouped += c.groups > 1 ? 1 : 0;
    }
    assertEquals(0, data.remaining(), "bytes left after the last case");
    assertTrue(depthwise >= 10 && grouped >= 40, depthwise + " depthwise and " + grouped
        + " grouped cases");
  }

  /** One case: its geometry and the tensors in the order the script writes them. */
  private record ConvCase(int batch, int in, int out, int height, int width, int[] kernel,
      int[] stride, int[] padding, int[] dilation, int groups, boolean hasBias, float[] x,
      float[] w, float[] b, float[] gy, float[] y, float[] gx, float[] gw, float[] gb) {

    static ConvCase read(ByteBuffer data) {
      int[] p = new int[15];
      for (int i = 0; i < p.length; i++) {
        p[i] = data.getInt();
      }
      int batch = p[0];
      int in = p[1];
      int out = p[2];
      int groups = p[13];
      boolean hasBias = p[14] == 1;
      int outH = (p[3] + 2 * p[9] - p[11] * (p[5] - 1) - 1) / p[7] + 1;
      int outW = (p[4] + 2 * p[10] - p[12] * (p[6] - 1) - 1) / p[8] + 1;
      int inputSize = batch * in * p[3] * p[4];
      int weightSize = out * (in / groups) * p[5] * p[6];
      int outputSize = batch * out * outH * outW;
      float[] x = floats(data, inputSize);
      float[] w = floats(data, weightSize);
      float[] b = hasBias ? floats(data, out) : null;
      float[] gy = floats(data, outputSize);
      float[] y = floats(data, outputSize);
      float[] gx = floats(data, inputSize);
      float[] gw = floats(data, weightSize);
      float[] gb = hasBias ? floats(data, out) : null;
      return new ConvCase(batch, in, out, p[3], p[4], new int[] {p[5], p[6]},
          new int[] {p[7], p[8]}, new int[] {p[9], p[10]}, new int[] {p[11], p[12]}, groups,
          hasBias, x, w, b, gy, y, gx, gw, gb);
    }

    void check() {
      Conv2d conv = new Conv2d(in, out, kernel, stride, padding, dilation, groups, hasBias,
          new SplittableRandom(1));
      System.arraycopy(w, 0, conv.weight().value().data(), 0, w.length);
      if (hasBias) {
        System.arraycopy(b, 0, conv.bias().value().data(), 0, b.length);
      }
      Tensor output = conv.forward(Tensor.of(x.clone(), batch, in, height, width));
      int outH = output.size(2);
      int outW = output.size(3);
      float[] actualY = output.data().clone();
      conv.zeroGrad();
      Tensor gradInput = conv.backward(Tensor.of(gy.clone(), output.shape()));

      Magnitudes m = magnitudes(outH, outW);
      int spatialTerms = batch * outH * outW;
      String name = toString();
      assertClose(name + " y", y, actualY, m.y, (in / groups) * kernel[0] * kernel[1] + 1);
      assertClose(name + " gx", gx, gradInput.data(), m.gx,
          (out / groups) * kernel[0] * kernel[1]);
      assertClose(name + " gw", gw, conv.weight().grad().data(), m.gw, spatialTerms);
      if (hasBias) {
        assertClose(name + " gb", gb, conv.bias().grad().data(), m.gb, spatialTerms);
      }
    }

    /** Σ|a||b| of every output and gradient element, by a direct loop over all taps. */
    private Magnitudes magnitudes(int outH, int outW) {
      int inPerGroup = in / groups;
      int outPerGroup = out / groups;
      Magnitudes m = new Magnitudes(new double[y.length], new double[x.length],
          new double[w.length], new double[out]);
      for (int n = 0; n < batch; n++) {
        for (int o = 0; o < out; o++) {
          for (int oh = 0; oh < outH; oh++) {
            for (int ow = 0; ow < outW; ow++) {
              int yAt = ((n * out + o) * outH + oh) * outW + ow;
              double g = Math.abs(gy[yAt]);
              m.y[yAt] += hasBias ? Math.abs(b[o]) : 0;
              m.gb[o] += g;
              for (int c = 0; c < inPerGroup; c++) {
                int channel = o / outPerGroup * inPerGroup + c;
                for (int i = 0; i < kernel[0]; i++) {
                  int ih = oh * stride[0] - padding[0] + i * dilation[0];
                  for (int j = 0; j < kernel[1]; j++) {
                    int iw = ow * stride[1] - padding[1] + j * dilation[1];
                    if (ih < 0 || ih >= height || iw < 0 || iw >= width) {
                      continue;
                    }
                    int xAt = ((n * in + channel) * height + ih) * width + iw;
                    int wAt = ((o * inPerGroup + c) * kernel[0] + i) * kernel[1] + j;
                    m.y[yAt] += Math.abs((double) w[wAt] * x[xAt]);
                    m.gx[xAt] += Math.abs(w[wAt]) * g;
                    m.gw[wAt] += g * Math.abs(x[xAt]);
                  }
                }
              }
            }
          }
        }
      }
      return m;
    }

    @Override
    public String toString() {
      return "Conv2d(" + in + ", " + out + ", kernel=" + Arrays.toString(kernel) + ", stride="
          + Arrays.toString(stride) + ", padding=" + Arrays.toString(padding) + ", dilation="
          + Arrays.toString(dilation) + ", groups=" + groups + ", bias=" + hasBias + ") on ["
          + batch + ", " + in + ", " + height + ", " + width + "]";
    }
  }

  private record Magnitudes(double[] y, double[] gx, double[] gw, double[] gb) {}

  private static void assertClose(String what, float[] expected, float[] actual,
      double[] magnitude, int terms) {
    assertEquals(expected.length, actual.length, what + " length");
    for (int i = 0; i < expected.length; i++) {
      double tolerance = (terms + 2) * EPSILON * magnitude[i];
      assertEquals(expected[i], actual[i], tolerance, what + "[" + i + "]");
    }
  }

  private static float[] floats(ByteBuffer data, int count) {
    float[] values = new float[count];
    data.asFloatBuffer().get(values);
    data.position(data.position() + 4 * count);
    return values;
  }

  private static ByteBuffer read(String resource) throws IOException {
    try (InputStream in = PyTorchConvFixtureTest.class.getResourceAsStream(resource)) {
      assertTrue(in != null, "missing test resource " + resource);
      return ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
    }
  }

  @Test
  void fixtureReadsTheDilatedExample() throws IOException {
    ByteBuffer data = read(RESOURCE);
    data.getInt();
    ConvCase first = ConvCase.read(data);
    assertArrayEquals(new int[] {1, 2}, first.dilation());
    assertEquals(2, first.y().length);
  }
}
