package dev.nonlinear.jmh.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The CPU as /proc/cpuinfo describes it. */
final class Machine {

  /** The flags that decide the vector width and FMA, in the order the report lists them. */
  private static final List<String> VECTOR_FLAGS = List.of("sse4_2", "avx", "avx2", "fma",
      "avx512f");

  private Machine() {
  }

  /** "AMD EPYC, 2 logical CPUs, flags sse4_2 avx avx2 fma, no avx512f". */
  static String describe(Path cpuinfo) {
    List<String> lines;
    try {
      lines = Files.readAllLines(cpuinfo);
    } catch (IOException e) {
      return "unknown (" + cpuinfo + " unreadable: " + e.getMessage() + ")";
    }
    String model = field(lines, "model name");
    long processors = lines.stream().filter(l -> l.startsWith("processor")).count();
    return (model == null ? "unknown model" : model) + ", " + processors + " logical CPUs, "
        + vectorFlags(field(lines, "flags"));
  }

  private static String field(List<String> lines, String name) {
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  private static String vectorFlags(String flags) {
    List<String> present = flags == null ? List.of() : Arrays.asList(flags.split("\\s+"));
    List<String> has = new ArrayList<>();
    List<String> lacks = new ArrayList<>();
    for (String flag : VECTOR_FLAGS) {
      (present.contains(flag) ? has : lacks).add(flag);
    }
    return "flags " + (has.isEmpty() ? "none of " + VECTOR_FLAGS : String.join(" ", has))
        + (lacks.isEmpty() ? "" : ", no " + String.join(" ", lacks));
  }
}
