package dev.nonlinear.jmh.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads a results folder: JMH's JSON files (a top-level array) and the anchor scripts' JSON files
 * (an object with an {@code "anchor"} key), whatever their names.
 */
final class ResultsReader {

  static final String SCALAR_BACKEND = "-Dnonlinear.backend=scalar";
  private static final String THREADS_PROPERTY = "-Dnonlinear.threads=";
  private static final String ALLOCATION = "gc.alloc.rate.norm";

  private ResultsReader() {
  }

  /** Everything read from one folder. */
  record Results(List<JmhResult> jmh, List<AnchorResult> anchors, List<String> warnings) {
  }

  /**
   * The *.json files directly in {@code folder}, oldest first (then by name), so that where two
   * files hold the same result the newer one is read last and wins: a family rerun alone
   * replaces what an earlier run left under another file name.
   */
  static Results readFolder(Path folder) throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(folder)) {
      files = listing.filter(f -> f.getFileName().toString().endsWith(".json")).toList();
    }
    Map<Path, FileTime> modified = new HashMap<>();
    for (Path file : files) {
      modified.put(file, Files.getLastModifiedTime(file));
    }
    files = files.stream()
        .sorted(Comparator.comparing((Path f) -> modified.get(f)).thenComparing(f -> f))
        .toList();
    Results results = new Results(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (Path file : files) {
      readFile(file, results);
    }
    return results;
  }

  private static void readFile(Path file, Results into) throws IOException {
    String name = file.getFileName().toString();
    String text = Files.readString(file, StandardCharsets.UTF_8);
    try {
      JsonElement root = JsonParser.parseString(text);
      if (root.isJsonArray()) {
        into.jmh().addAll(parseJmh(root.getAsJsonArray(), name));
      } else if (root.isJsonObject() && root.getAsJsonObject().has("anchor")) {
        into.anchors().addAll(parseAnchor(root.getAsJsonObject(), name));
      } else {
        into.warnings().add(name + ": neither JMH's array nor an anchor object; skipped");
      }
    } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
      into.warnings().add(name + ": unreadable (" + e.getMessage() + "); skipped");
    }
  }

  static List<JmhResult> parseJmh(String json, String source) {
    return parseJmh(JsonParser.parseString(json).getAsJsonArray(), source);
  }

  static List<AnchorResult> parseAnchor(String json, String source) {
    return parseAnchor(JsonParser.parseString(json).getAsJsonObject(), source);
  }

  private static List<JmhResult> parseJmh(JsonArray array, String source) {
    List<JmhResult> results = new ArrayList<>();
    for (JsonElement element : array) {
      results.add(jmhResult(element.getAsJsonObject(), source));
    }
    return results;
  }

  private static JmhResult jmhResult(JsonObject o, String source) {
    String benchmark = o.get("benchmark").getAsString();
    String mode = o.get("mode").getAsString();
    if (!mode.equals("avgt")) {
      throw new IllegalStateException(benchmark + " ran in mode " + mode + ", not avgt");
    }
    List<String> jvmArgs = strings(o.getAsJsonArray("jvmArgs"));
    SortedMap<String, String> params = params(o.getAsJsonObject("params"));
    String threadsParam = params.remove("threads");

    JsonObject primary = o.getAsJsonObject("primaryMetric");
    String unit = primary.get("scoreUnit").getAsString();
    double toNs = nanosecondsPer(unit);
    double score = primary.get("score").getAsDouble() * toNs;
    double error = number(primary, "scoreError") * toNs;
    return new JmhResult(family(benchmark), method(benchmark), params,
        threads(threadsParam, jvmArgs), jvmArgs.contains(SCALAR_BACKEND), score, error,
        allocation(o.getAsJsonObject("secondaryMetrics")), unit, jdk(o), settings(o), source);
  }

  private static List<AnchorResult> parseAnchor(JsonObject o, String source) {
    String anchor = o.get("anchor").getAsString() + " " + o.get("version").getAsString();
    int threads = o.get("threads").getAsInt();
    List<AnchorResult> results = new ArrayList<>();
    for (JsonElement element : o.getAsJsonArray("results")) {
      JsonObject r = element.getAsJsonObject();
      SortedMap<String, String> params = params(r.getAsJsonObject("params"));
      String note = r.has("note") ? r.get("note").getAsString() : "";
      results.add(new AnchorResult(anchor, r.get("family").getAsString(),
          r.get("benchmark").getAsString(), params, threads, r.get("nsPerOp").getAsDouble(), note,
          source));
    }
    return results;
  }

  /** {@code GemmBenchmark} from {@code dev.nonlinear.jmh.GemmBenchmark.vector}, less the suffix. */
  static String family(String benchmark) {
    String[] parts = benchmark.split("\\.");
    String className = parts[parts.length - 2];
    return className.endsWith("Benchmark")
        ? className.substring(0, className.length() - "Benchmark".length())
        : className;
  }

  private static String method(String benchmark) {
    return benchmark.substring(benchmark.lastIndexOf('.') + 1);
  }

  /**
   * The threads a result ran on: its {@code threads} parameter; else the library's thread
   * property in the fork's arguments; else 1, which is right for the benchmarks that have
   * neither because their kernels do not split work (a benchmark that does must take a
   * {@code threads} parameter, which jmh/report.sh sets to 1 and nproc).
   */
  static int threads(String threadsParam, List<String> jvmArgs) {
    if (threadsParam != null) {
      return Integer.parseInt(threadsParam);
    }
    int threads = 1;
    for (String arg : jvmArgs) {
      if (arg.startsWith(THREADS_PROPERTY)) {
        threads = Integer.parseInt(arg.substring(THREADS_PROPERTY.length()));
      }
    }
    return threads;
  }

  static double nanosecondsPer(String unit) {
    return switch (unit) {
      case "ns/op" -> 1;
      case "us/op" -> 1e3;
      case "ms/op" -> 1e6;
      case "s/op" -> 1e9;
      default -> throw new IllegalStateException("unknown JMH score unit " + unit);
    };
  }

  private static double allocation(JsonObject secondary) {
    if (secondary == null || !secondary.has(ALLOCATION)) {
      return Double.NaN;
    }
    return number(secondary.getAsJsonObject(ALLOCATION), "score");
  }

  /** JMH writes "NaN" as a string when it has no error (one iteration). */
  private static double number(JsonObject o, String key) {
    JsonElement value = o.get(key);
    if (value == null || value.isJsonNull()) {
      return Double.NaN;
    }
    try {
      return value.getAsDouble();
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static String jdk(JsonObject o) {
    return o.get("jdkVersion").getAsString() + " (" + o.get("vmName").getAsString() + " "
        + o.get("vmVersion").getAsString() + ")";
  }

  private static String settings(JsonObject o) {
    return o.get("forks").getAsInt() + " fork, warm-up " + o.get("warmupIterations").getAsInt()
        + " × " + o.get("warmupTime").getAsString() + ", measurement "
        + o.get("measurementIterations").getAsInt() + " × "
        + o.get("measurementTime").getAsString();
  }

  private static SortedMap<String, String> params(JsonObject o) {
    SortedMap<String, String> params = new TreeMap<>();
    if (o != null) {
      for (Map.Entry<String, JsonElement> entry : o.entrySet()) {
        params.put(entry.getKey(), entry.getValue().getAsString());
      }
    }
    return params;
  }

  private static List<String> strings(JsonArray array) {
    List<String> strings = new ArrayList<>();
    if (array != null) {
      array.forEach(e -> strings.add(e.getAsString()));
    }
    return strings;
  }
}
