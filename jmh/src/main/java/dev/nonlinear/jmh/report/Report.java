package dev.nonlinear.jmh.report;

import dev.nonlinear.jmh.report.Family.Placement;
import dev.nonlinear.jmh.report.ResultsReader.Results;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The results laid out: per family, one table per thread count, JMH's results and the anchors'
 * joined on family, row and threads.
 *
 * @param families in display order
 * @param warnings what the reader skipped and which results replaced others
 */
record Report(List<FamilyReport> families, List<String> warnings) {

  /**
   * One family's tables.
   *
   * @param unit JMH's unit for the family ({@code us/op}), or one chosen from the anchors' times
   *     when the family has no JMH result
   * @param tables by ascending thread count
   */
  record FamilyReport(Family family, String unit, List<FamilyTable> tables) {
  }

  static Report build(Results results) {
    Map<String, Map<Integer, FamilyTable>> tables = new TreeMap<>();
    List<String> warnings = new ArrayList<>(results.warnings());
    for (JmhResult r : results.jmh()) {
      Family family = Families.of(r.family());
      Placement at = family.placement().apply(r);
      put(tables, family, r.threads(), at, Cell.of(r), warnings);
    }
    for (AnchorResult r : results.anchors()) {
      put(tables, Families.of(r.family()), r.threads(), Family.placeAnchor(r), Cell.of(r),
          warnings);
    }

    List<FamilyReport> families = new ArrayList<>();
    tables.forEach((name, byThreads) -> families.add(new FamilyReport(Families.of(name),
        unit(name, results), List.copyOf(byThreads.values()))));
    families.sort(Comparator.comparingInt((FamilyReport f) -> Families.order(f.family().name()))
        .thenComparing(f -> f.family().name()));
    return new Report(List.copyOf(families), List.copyOf(warnings));
  }

  private static void put(Map<String, Map<Integer, FamilyTable>> tables, Family family,
      int threads, Placement at, Cell cell, List<String> warnings) {
    FamilyTable table = tables.computeIfAbsent(family.name(), n -> new TreeMap<>())
        .computeIfAbsent(threads, t -> new FamilyTable(family, threads));
    Cell replaced = table.put(at.row(), at.column(), cell);
    if (replaced != null) {
      warnings.add(family.name() + " " + at.row().label() + ", " + at.column().label() + ", "
          + threads + " thread(s): " + cell.source() + " replaces " + replaced.source());
    }
  }

  /** The family's JMH unit; without JMH results, the unit that suits the anchors' times. */
  private static String unit(String family, Results results) {
    for (JmhResult r : results.jmh()) {
      if (r.family().equals(family)) {
        return r.unit();
      }
    }
    double largest = results.anchors().stream().filter(r -> r.family().equals(family))
        .mapToDouble(AnchorResult::nsPerOp).max().orElse(1);
    return largest < 1e4 ? "ns/op" : largest < 1e7 ? "us/op" : "ms/op";
  }
}
