package dev.nonlinear.kernel;

import dev.nonlinear.kernel.ActivationCases.Case;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures the error of every activation and derivative against its double reference over the
 * whole float range: every {@code stride}-th bit pattern (default 97, about 44 million floats,
 * NaN patterns skipped), run through the facade (the vector body on the vector backend), with
 * the scalar twin checked to give the same bits. Not a test (its name does not match the
 * surefire includes); run it with
 *
 * <pre>
 * mvn -q -B -pl src,property-tests -am test-compile
 * java --add-modules jdk.incubator.vector \
 *     -cp target/lib/classes:property-tests/target/test-classes \
 *     dev.nonlinear.kernel.ActivationSweep [stride] [docs/activation-accuracy.md]
 * </pre>
 */
public final class ActivationSweep {

  private static final int CHUNK = 1 << 20;

  /**
   * Ulps are reported for references of magnitude >= 1e-30 only: below, results built from a
   * gradually underflowing e^x carry few significant bits, and count against the absolute floor.
   */
  private static final double ULP_REPORT_FLOOR = 1e-30;

  private ActivationSweep() {}

  /** The worst errors seen for one kernel. */
  private static final class Worst {
    double ulps;
    float ulpsAt = Float.NaN;
    double absolute;
    float absoluteAt = Float.NaN;
    long outOfBound;
    long twinMismatches;
    long count;

    void add(float x, float got, double expected, double bound) {
      count++;
      if (Float.isNaN(got) || Double.isNaN(expected)) {
        if (Float.isNaN(got) != Double.isNaN(expected)) {
          outOfBound++;
          ulps = Double.POSITIVE_INFINITY;
          ulpsAt = x;
        }
        return;
      }
      double error = got == expected ? 0 : Math.abs(got - expected);
      if (error > bound) {
        outOfBound++;
      }
      if (error > absolute) {
        absolute = error;
        absoluteAt = x;
      }
      if (Math.abs(expected) >= ULP_REPORT_FLOOR) {
        double inUlps = error / Math.ulp((float) expected);
        if (inUlps > ulps) {
          ulps = inUlps;
          ulpsAt = x;
        }
      }
    }
  }

  public static void main(String[] args) throws IOException {
    int stride = args.length > 0 ? Integer.parseInt(args[0]) : 97;
    Path out = args.length > 1 ? Path.of(args[1]) : null;

    float[] samples = samples(stride);
    List<String> rows = new ArrayList<>();
    for (Case c : ActivationCases.all()) {
      Worst forward = new Worst();
      Worst backward = new Worst();
      sweep(c, samples, forward, backward);
      rows.add(row(c.name(), "forward", c.ulps(), c.absolute(), forward));
      rows.add(row(c.name(), c.fromOutput() ? "backward from y" : "backward", c.slopeUlps(),
          c.slopeAbsolute(), backward));
      System.out.println(rows.get(rows.size() - 2));
      System.out.println(rows.get(rows.size() - 1));
    }

    if (out != null) {
      Files.writeString(out, report(stride, samples.length, rows));
    }
  }

  private static float[] samples(int stride) {
    List<Float> list = new ArrayList<>();
    for (long bits = Integer.MIN_VALUE; bits <= Integer.MAX_VALUE; bits += stride) {
      float x = Float.intBitsToFloat((int) bits);
      if (!Float.isNaN(x)) {
        list.add(x);
      }
    }
    float[] values = new float[list.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = list.get(i);
    }
    return values;
  }

  private static void sweep(Case c, float[] samples, Worst forward, Worst backward) {
    float[] x = new float[CHUNK];
    float[] y = new float[CHUNK];
    float[] twin = new float[CHUNK];
    float[] ones = new float[CHUNK];
    java.util.Arrays.fill(ones, 1f);
    for (int start = 0; start < samples.length; start += CHUNK) {
      int n = Math.min(CHUNK, samples.length - start);
      System.arraycopy(samples, start, x, 0, n);

      c.facade().run(x, 0, y, 0, n);
      c.scalar().run(x, 0, twin, 0, n);
      for (int i = 0; i < n; i++) {
        double expected = c.reference().applyAsDouble(x[i]);
        if (c.exact()) {
          expected = (float) expected;
        }
        forward.add(x[i], y[i], expected, c.tolerance(expected));
        if (Float.floatToIntBits(y[i]) != Float.floatToIntBits(twin[i])) {
          forward.twinMismatches++;
        }
      }

      float[] input = x;
      if (c.fromOutput()) {
        input = y.clone();
      }
      float[] gradX = new float[n];
      c.facadeBackward().run(input, 0, ones, 0, gradX, 0, n);
      c.scalarBackward().run(input, 0, ones, 0, twin, 0, n);
      for (int i = 0; i < n; i++) {
        double expected = c.derivative().applyAsDouble(input[i]);
        if (c.exactSlope()) {
          expected = (float) expected;
        }
        backward.add(input[i], gradX[i], expected, c.slopeTolerance(expected));
        if (Float.floatToIntBits(gradX[i]) != Float.floatToIntBits(twin[i])) {
          backward.twinMismatches++;
        }
      }
    }
  }

  private static String row(String name, String direction, double ulps, double absolute,
      Worst w) {
    String bound = ulps == 0 && absolute == 0 ? "exact"
        : (format(ulps) + " ulp" + (absolute > 0 ? " or " + absolute + " abs" : ""));
    return String.format(Locale.ROOT, "| %s | %s | %s | %s (x = %s) | %.3g (x = %s) | %d | %d |",
        name, direction, bound, format(w.ulps), w.ulpsAt, w.absolute, w.absoluteAt,
        w.outOfBound, w.twinMismatches);
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  private static String report(int stride, int count, List<String> rows) {
    StringBuilder text = new StringBuilder();
    text.append("# Activation accuracy\n\n");
    text.append("Measured by `ActivationSweep` (property-tests) on ").append(
        Backend.current()).append(": every ").append(stride).append("th float bit pattern, ")
        .append(count).append(" inputs (NaN patterns skipped), each run through the facade ")
        .append("and compared with a double-precision reference written from the definition. ")
        .append("Backward kernels are run with gradY = 1, so they show the slope.\n\n")
        .append("Max ulp: error divided by the ulp of the reference rounded to float, over ")
        .append("references of magnitude >= 1e-30 (below that, a gradually underflowing e^x ")
        .append("leaves few significant bits; every result is also allowed 1e-37 absolute). ")
        .append("Near a zero crossing of the function the ulp count is large by nature: see ")
        .append("the absolute error. Out of bound: inputs whose ")
        .append("error exceeds the bound the property tests use. Twin mismatches: inputs where ")
        .append("the scalar twin gave different bits from the facade (vector body).\n\n");
    text.append("| function | kernel | bound | max ulp (worst x) | max abs error (worst x) ")
        .append("| out of bound | twin mismatches |\n");
    text.append("|---|---|---|---|---|---|---|\n");
    for (String row : rows) {
      text.append(row).append('\n');
    }
    return text.toString();
  }
}
