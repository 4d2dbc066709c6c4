package dev.nonlinear.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * AvgPool2d and AdaptiveAvgPool2d against PyTorch 1.13 on the cases of
 * {@code scripts/fixtures/make_pool_fixture.py}: outputs and input gradients of {@code <y, gy>}.
 *
 * <p>The test first rebuilds each window and divisor from PyTorch's rules in double precision
 * and checks that this reference agrees with the fixture (float64 results rounded once to
 * float32, so within {@code ε/2} relative, ε = 2⁻²⁴; 2ε is allowed). Tolerance for the layers:
 * an output sums K pixels in float and divides once, so it is within {@code (K + 1)·ε·Σ|x|/d} of
 * the exact value; a pixel's gradient adds M shares {@code gy/d}, each rounded once, so it is
 * within {@code (M + 1)·ε·Σ|gy|/d}; one more ε covers the fixture's rounding.
 */
class PyTorchPoolFixtureTest {

  private static final double EPSILON = 0x1p-24;
  private static final String RESOURCE = "/fixtures/avgpool2d.bin";

  /** The pixels and divisor of the window of output (oh, ow): {firstH, endH, firstW, endW, d}. */
  interface Windows {
    int[] window(int oh, int ow);
  }

  @Test
  void avgAndAdaptiveAvgPoolMatchPyTorch() throws IOException {
    ByteBuffer data = read();
    int avgCases = data.getInt();
    int ceilCases = 0;
    int overrides = 0;
    for (int k = 0; k < avgCases; k++) {
      int[] p = ints(data, 13);
      ceilCases += p[10];
      overrides += p[12] > 0 ? 1 : 0;
      checkAvgCase(data, p);
    }
    int adaptiveCases = data.getInt();
    int global = 0;
    for (int k = 0; k < adaptiveCases; k++) {
      int[] p = ints(data, 6);
      global += p[4] == 1 && p[5] == 1 ? 1 : 0;
      checkAdaptiveCase(data, p);
    }
    assertEquals(0, data.remaining(), "bytes left after the last case");
    assertTrue(avgCases >= 150 && adaptiveCases >= 60, avgCases + " avg_pool2d and "
        + adaptiveCases + " adaptive cases");
    assertTrue(ceilCases >= 30 && overrides >= 20 && global >= 10, ceilCases + " ceil-mode, "
        + overrides + " divisor-override, " + global + " global cases");
  }

  private static void checkAvgCase(ByteBuffer data, int[] p) {
    int[] kernel = {p[4], p[5]};
    int[] stride = {p[6], p[7]};
    int[] padding = {p[8], p[9]};
    boolean ceil = p[10] == 1;
    boolean includePad = p[11] == 1;
    int override = p[12];
    AvgPool2d pool = new AvgPool2d(kernel, stride, padding, ceil, includePad, override);
    Windows windows = (oh, ow) -> {
      int startH = oh * stride[0] - padding[0];
      int startW = ow * stride[1] - padding[1];
      int paddedEndH = Math.min(startH + kernel[0], p[2] + padding[0]);
      int paddedEndW = Math.min(startW + kernel[1], p[3] + padding[1]);
      int[] w = {Math.max(startH, 0), Math.min(paddedEndH, p[2]), Math.max(startW, 0),
          Math.min(paddedEndW, p[3]), 0};
      w[4] = override > 0 ? override : includePad
          ? (paddedEndH - startH) * (paddedEndW - startW) : (w[1] - w[0]) * (w[3] - w[2]);
      return w;
    };
    check(pool, data, p, windows, pool.toString().lines().findFirst().orElseThrow() + " on "
        + Arrays.toString(Arrays.copyOf(p, 4)));
  }

  private static void checkAdaptiveCase(ByteBuffer data, int[] p) {
    int outH = p[4];
    int outW = p[5];
    Windows windows = (oh, ow) -> {
      int[] w = {Math.floorDiv(oh * p[2], outH), Math.ceilDiv((oh + 1) * p[2], outH),
          Math.floorDiv(ow * p[3], outW), Math.ceilDiv((ow + 1) * p[3], outW), 0};
      w[4] = (w[1] - w[0]) * (w[3] - w[2]);
      return w;
    };
    AdaptiveAvgPool2d pool = new AdaptiveAvgPool2d(outH, outW);
    check(pool, data, p, windows, pool.toString().lines().findFirst().orElseThrow() + " on "
        + Arrays.toString(Arrays.copyOf(p, 4)));
  }

  private static void check(Module pool, ByteBuffer data, int[] p, Windows windows,
      String name) {
    int planes = p[0] * p[1];
    int height = p[2];
    int width = p[3];
    float[] x = floats(data, planes * height * width);
    Tensor output = pool.forward(Tensor.of(x.clone(), p[0], p[1], height, width));
    int outH = output.size(2);
    int outW = output.size(3);
    float[] gy = floats(data, output.numel());
    float[] y = floats(data, output.numel());
    float[] gx = floats(data, x.length);
    float[] actualY = output.data().clone();
    float[] actualGx = pool.backward(Tensor.of(gy.clone(), output.shape())).data();

    double[] gxReference = new double[x.length];
    double[] gxMagnitude = new double[x.length];
    int[] shares = new int[x.length];
    for (int plane = 0; plane < planes; plane++) {
      for (int oh = 0; oh < outH; oh++) {
        for (int ow = 0; ow < outW; ow++) {
          int[] w = windows.window(oh, ow);
          int at = (plane * outH + oh) * outW + ow;
          double sum = 0;
          double magnitude = 0;
          for (int ih = w[0]; ih < w[1]; ih++) {
            for (int iw = w[2]; iw < w[3]; iw++) {
              int pixel = (plane * height + ih) * width + iw;
              sum += x[pixel];
              magnitude += Math.abs(x[pixel]);
              gxReference[pixel] += (double) gy[at] / w[4];
              gxMagnitude[pixel] += Math.abs((double) gy[at] / w[4]);
              shares[pixel]++;
            }
          }
          int terms = (w[1] - w[0]) * (w[3] - w[2]);
          String what = name + " y[" + at + "]";
          assertEquals(sum / w[4], y[at], 2 * EPSILON * Math.abs(sum / w[4]), what + " reference");
          assertEquals(y[at], actualY[at], (terms + 2) * EPSILON * magnitude / w[4], what);
        }
      }
    }
    for (int i = 0; i < x.length; i++) {
      String what = name + " gx[" + i + "]";
      assertEquals(gxReference[i], gx[i], 2 * EPSILON * gxMagnitude[i], what + " reference");
      assertEquals(gx[i], actualGx[i], (shares[i] + 2) * EPSILON * gxMagnitude[i], what);
    }
  }

  private static int[] ints(ByteBuffer data, int count) {
    int[] values = new int[count];
    for (int i = 0; i < count; i++) {
      values[i] = data.getInt();
    }
    return values;
  }

  private static float[] floats(ByteBuffer data, int count) {
    float[] values = new float[count];
    data.asFloatBuffer().get(values);
    data.position(data.position() + 4 * count);
    return values;
  }

  private static ByteBuffer read() throws IOException {
    try (InputStream in = PyTorchPoolFixtureTest.class.getResourceAsStream(RESOURCE)) {
      assertTrue(in != null, "missing test resource " + RESOURCE);
      return ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
    }
  }
}
