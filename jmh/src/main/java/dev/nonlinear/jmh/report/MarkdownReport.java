package dev.nonlinear.jmh.report;

import dev.nonlinear.jmh.report.Report.FamilyReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** REPORT.md: the run's circumstances, then per family a chart and one table per thread count. */
final class MarkdownReport {

  /**
   * Where and how the results were taken.
   *
   * @param command the command that produced them, as the user would type it
   * @param started when the run started (empty when unknown)
   * @param generated when this report was written
   * @param folder the results folder, as shown to the reader
   * @param cpu the CPU from /proc/cpuinfo
   * @param processors the processors this JVM sees ({@code nproc})
   */
  record RunInfo(String command, String started, String generated, String folder, String cpu,
      int processors) {
  }

  private MarkdownReport() {
  }

  /** The whole report; {@code charts} maps a family to its chart's path relative to the report. */
  static String render(Report report, Provenance provenance, RunInfo run,
      Map<String, String> charts) {
    StringBuilder md = new StringBuilder();
    header(md, provenance, run);
    for (FamilyReport family : report.families()) {
      family(md, family, charts.get(family.family().name()));
    }
    warnings(md, report.warnings());
    return md.toString();
  }

  /** What the header lists about the results the report was built from. */
  record Provenance(Set<String> jdks, Set<String> settings, Set<String> anchors,
      Set<Integer> threads) {

    static Provenance of(ResultsReader.Results read) {
      return new Provenance(distinct(read.jmh(), JmhResult::jdk),
          distinct(read.jmh(), JmhResult::settings),
          distinct(read.anchors(), AnchorResult::anchor),
          Stream.concat(read.jmh().stream().map(JmhResult::threads),
              read.anchors().stream().map(AnchorResult::threads))
              .collect(Collectors.toCollection(TreeSet::new)));
    }

    private static <T> Set<String> distinct(List<T> items, Function<T, String> field) {
      return items.stream().map(field).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static void header(StringBuilder md, Provenance provenance, RunInfo run) {
    md.append("# Performance report\n\n");
    md.append("Written ").append(run.generated())
        .append(" by `ReportMain` from the JSON files in `").append(run.folder()).append("`.\n\n");
    md.append("- Command: `").append(run.command()).append('`');
    if (!run.started().isEmpty()) {
      md.append(", started ").append(run.started());
    }
    md.append("\n- CPU: ").append(run.cpu()).append(" (/proc/cpuinfo)\n");
    md.append("- Threads in the tables: ").append(joinAnd(provenance.threads()))
        .append(" (`nproc` here: ").append(run.processors()).append(")\n");
    md.append("- JDK: ").append(listOrNone(provenance.jdks())).append('\n');
    md.append("- JMH: ").append(listOrNone(provenance.settings()))
        .append("; ± is JMH's 99.9 % interval\n");
    md.append("- Outside anchors run by scripts: ").append(provenance.anchors().isEmpty()
        ? "none in this folder"
        : String.join("; ", provenance.anchors()) + " (best of 5 rounds, no interval)");
    md.append("\n\n");
    md.append("How to read it: every ratio is the speed-up of nonlinear over the column it names,"
        + " that column's time divided by ours: above 1× ours is faster, below 1× slower."
        + " In parentheses after a time, the rate the family's work gives (GFLOP/s, ns per"
        + " element or images per second). B/op is the bytes allocated per operation"
        + " (`gc.alloc.rate.norm` under `-prof gc`). — marks a number this run did not"
        + " produce. A ratio means something only when both sides ran in the same run on a"
        + " quiet machine.\n");
  }

  private static void family(StringBuilder md, FamilyReport family, String chart) {
    md.append("\n## ").append(family.family().name()).append("\n\n");
    if (!family.family().description().isEmpty()) {
      md.append(family.family().description()).append("\n\n");
    }
    if (chart != null) {
      md.append("![").append(family.family().name()).append(": speed-up of nonlinear](")
          .append(chart).append(")\n\n");
    }
    for (FamilyTable table : family.tables()) {
      table(md, family, table);
    }
  }

  private static void table(StringBuilder md, FamilyReport family, FamilyTable table) {
    md.append("### ").append(table.threads()).append(table.threads() == 1 ? " thread" : " threads")
        .append("\n\n");
    if (!table.hasOurs()) {
      md.append("No result of ours at this thread count (these benchmarks run on one thread).\n\n");
    }
    List<Column> allocated = allocationColumns(table);
    boolean notes = hasNotes(table);
    List<String> header = new ArrayList<>(List.of(family.family().name()));
    for (Column column : table.columns()) {
      header.add(column.label() + " " + timeHeader(family));
      if (allocated.contains(column)) {
        header.add(column.kind() == Column.Kind.OURS ? "B/op" : "B/op twin");
      }
    }
    table.comparisons().forEach(c -> header.add("vs " + c.label()));
    if (notes) {
      header.add("anchor notes");
    }
    row(md, header);
    row(md, header.stream().map(h -> "---").toList());
    for (Row row : table.rows()) {
      row(md, cells(family, table, row, allocated, notes));
    }
    md.append('\n');
  }

  private static List<String> cells(FamilyReport family, FamilyTable table, Row row,
      List<Column> allocated, boolean notes) {
    List<String> cells = new ArrayList<>(List.of(family.family().rowLabel().apply(row)));
    Work work = family.family().work().apply(row);
    for (Column column : table.columns()) {
      Cell cell = table.cell(row, column);
      cells.add(time(cell, family.unit(), work));
      if (allocated.contains(column)) {
        cells.add(cell == null ? Format.NONE : Format.sig3(cell.allocBytesPerOp()));
      }
    }
    table.comparisons().forEach(c -> cells.add(Format.ratio(table.speedUp(row, c))));
    if (notes) {
      cells.add(table.columns().stream().map(c -> table.cell(row, c))
          .filter(c -> c != null && !c.note().isEmpty()).map(Cell::note)
          .collect(Collectors.joining("; ")));
    }
    return cells;
  }

  /** "432 ± 69.9 (77.7)": the time, JMH's error, the rate of the row's work. */
  private static String time(Cell cell, String unit, Work work) {
    if (cell == null) {
      return Format.NONE;
    }
    StringBuilder text = new StringBuilder(Format.time(cell.nsPerOp(), unit));
    if (!Double.isNaN(cell.errorNs())) {
      text.append(" ± ").append(Format.time(cell.errorNs(), unit));
    }
    if (work != null) {
      text.append(" (").append(Format.sig3(work.rate(cell.nsPerOp()))).append(')');
    }
    return text.toString();
  }

  /** "µs (GFLOP/s)": the time unit, and the rate unit when the family's rows have work. */
  private static String timeHeader(FamilyReport family) {
    String unit = family.family().timeLabel() != null
        ? family.family().timeLabel()
        : Format.unitLabel(family.unit());
    String rates = rateLabels(family);
    return rates.isEmpty() ? unit : unit + " (" + rates + ")";
  }

  /** The rate units of the family's rows, e.g. "GFLOP/s or ns/element" for the layers. */
  private static String rateLabels(FamilyReport family) {
    return family.tables().stream()
        .flatMap(t -> t.rows().stream())
        .map(r -> family.family().work().apply(r))
        .filter(w -> w != null)
        .map(w -> w.kind().rateLabel)
        .distinct()
        .collect(Collectors.joining(" or "));
  }

  /**
   * Ours always (— when not measured), the scalar twin when the run measured it: the promise of
   * reused buffers is about our code; the anchors' allocation is theirs.
   */
  private static List<Column> allocationColumns(FamilyTable table) {
    List<Column> columns = new ArrayList<>(List.of(Column.OURS));
    boolean twinMeasured = table.rows().stream().map(r -> table.cell(r, Column.TWIN))
        .anyMatch(c -> c != null && !Double.isNaN(c.allocBytesPerOp()));
    if (twinMeasured) {
      columns.add(Column.TWIN);
    }
    return columns;
  }

  private static boolean hasNotes(FamilyTable table) {
    return table.rows().stream().flatMap(r -> table.columns().stream().map(c -> table.cell(r, c)))
        .anyMatch(c -> c != null && !c.note().isEmpty());
  }

  private static void warnings(StringBuilder md, List<String> warnings) {
    if (warnings.isEmpty()) {
      return;
    }
    md.append("\n## Warnings\n\n");
    warnings.forEach(w -> md.append("- ").append(w).append('\n'));
  }

  private static void row(StringBuilder md, List<String> cells) {
    md.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }

  private static String joinAnd(Set<Integer> threads) {
    List<String> names = threads.stream().map(String::valueOf).toList();
    if (names.size() <= 1) {
      return names.isEmpty() ? Format.NONE : names.get(0);
    }
    return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.getLast();
  }

  private static String listOrNone(Set<String> items) {
    return items.isEmpty() ? "none in this folder" : String.join("; ", items);
  }
}
