package dev.nonlinear.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nonlinear.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Images#resize} against PyTorch 1.13's {@code interpolate(mode="bilinear",
 * align_corners=False)} ({@code scripts/fixtures/make_resize_fixture.py}): shrinking, enlarging,
 * the same size, mixed, to and from 1×1, and a 41 → 224 stretch.
 *
 * <p>Tolerance: both sides compute the same source pixels and the same float weight λ (the
 * coordinate arithmetic is copied, double then float); they differ only in how the four values
 * are mixed, PyTorch {@code a(1 − λ) + bλ} and here {@code a + (b − a)λ}, each of which is within
 * about 3 roundings of the exact mix of its inputs per axis, so about 6 over two axes, plus the
 * rounding of {@code 1 − λ}. With m the largest |value| of the input, {@value #ULPS} ulps of m
 * bounds the difference (measured: at most 2); a wrong tap or weight is off by a large fraction
 * of m, and an all-float source coordinate (the first version) was off by 20 ulps.
 */
class PyTorchResizeFixtureTest {

  private static final int ULPS = 8;

  private static final String[] CASES = {
      "shrink", "enlarge", "same", "mixed", "to_one", "from_one", "from_row", "large_ratio",
      "photo_like"};

  @Test
  void matchesPyTorchBilinearWithHalfPixelCentres() throws IOException {
    Map<String, Tensor> fixture = readFixture("/fixtures/resize_bilinear.txt");
    for (String name : CASES) {
      Tensor input = fixture.get(name + ".input");
      Tensor expected = fixture.get(name + ".output");
      assertTrue(input != null && expected != null, "fixture has case " + name);
      Tensor actual = Images.resize(input, expected.size(2), expected.size(3));

      assertArrayEquals(expected.shape(), actual.shape(), name + " shape");
      float largest = largestMagnitude(input);
      double tolerance = ULPS * Math.ulp(largest);
      for (int i = 0; i < expected.numel(); i++) {
        assertEquals(expected.data()[i], actual.data()[i], tolerance, name + "[" + i + "]");
      }
    }
  }

  @Test
  void sameSizeIsExactlyPyTorchs() throws IOException {
    Map<String, Tensor> fixture = readFixture("/fixtures/resize_bilinear.txt");
    Tensor input = fixture.get("same.input");
    Tensor actual = Images.resize(input, input.size(2), input.size(3));

    assertArrayEquals(fixture.get("same.output").data(), actual.data());
  }

  private static float largestMagnitude(Tensor tensor) {
    float largest = 0;
    for (float value : tensor.data()) {
      largest = Math.max(largest, Math.abs(value));
    }
    return largest;
  }

  /** Lines {@code name d0,d1,... v v v}: a tensor per name. */
  private static Map<String, Tensor> readFixture(String resource) throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    try (InputStream in = PyTorchResizeFixtureTest.class.getResourceAsStream(resource)) {
      assertTrue(in != null, "missing fixture " + resource);
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        String[] fields = line.trim().split(" ");
        String[] dims = fields[1].split(",");
        int[] shape = new int[dims.length];
        for (int d = 0; d < dims.length; d++) {
          shape[d] = Integer.parseInt(dims[d]);
        }
        float[] values = new float[fields.length - 2];
        for (int i = 0; i < values.length; i++) {
          values[i] = Float.parseFloat(fields[i + 2]);
        }
        tensors.put(fields[0], Tensor.of(values, shape));
      }
    }
    return tensors;
  }
}
