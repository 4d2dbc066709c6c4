package dev.nonlinear.jmh.report;

import dev.nonlinear.jmh.report.MarkdownReport.RunInfo;
import dev.nonlinear.jmh.report.Report.FamilyReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the performance report from a results folder: {@code REPORT.md} beside the JSON files
 * and one ratio chart per family in {@code charts/}. jmh/report.sh runs it after the benchmarks:
 *
 * <pre>
 * java -cp jmh/target/benchmarks.jar dev.nonlinear.jmh.report.ReportMain \
 *     [--results jmh/results] [--command "jmh/report.sh"] [--started "2026-12-03 17:03 UTC"]
 * </pre>
 *
 * Exits with status 1, saying why, when the folder holds no JMH result or an argument is wrong.
 */
public final class ReportMain {

  static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");

  private ReportMain() {
  }

  public static void main(String[] args) {
    try {
      Path report = run(args);
      System.out.println("report: " + report);
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("ReportMain: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Reads, lays out, draws and writes; returns REPORT.md's path. */
  static Path run(String[] args) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Map<String, String> options = options(args);
    Path folder = Path.of(options.getOrDefault("--results", "jmh/results"));
    ResultsReader.Results read = ResultsReader.readFolder(folder);
    if (read.jmh().isEmpty()) {
      throw new IllegalArgumentException("no JMH result in " + folder + " (" + read.warnings()
          + ")");
    }
    Report report = Report.build(read);
    Map<String, String> charts = drawCharts(report, folder);
    RunInfo run = new RunInfo(options.getOrDefault("--command", "(not given)"),
        options.getOrDefault("--started", ""), ZonedDateTime.now(ZoneOffset.UTC).format(MINUTES),
        folder.toString(), Machine.describe(Path.of("/proc/cpuinfo")),
        Runtime.getRuntime().availableProcessors());
    Path out = folder.resolve("REPORT.md");
    Files.writeString(out, MarkdownReport.render(report, MarkdownReport.Provenance.of(read), run,
        charts), StandardCharsets.UTF_8);
    report.warnings().forEach(w -> System.err.println("warning: " + w));
    return out;
  }

  /** Family name to its chart's path relative to the report. */
  private static Map<String, String> drawCharts(Report report, Path folder) throws IOException {
    Map<String, String> charts = new LinkedHashMap<>();
    for (FamilyReport family : report.families()) {
      Path chart = RatioCharts.write(family, folder.resolve("charts"));
      if (chart != null) {
        charts.put(family.family().name(), folder.relativize(chart).toString());
      }
    }
    return charts;
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i];
      if (!name.equals("--results") && !name.equals("--command") && !name.equals("--started")) {
        throw new IllegalArgumentException("unknown option " + name + "; expected --results DIR,"
            + " --command TEXT, --started TEXT");
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      options.put(name, args[i + 1]);
    }
    return options;
  }
}
