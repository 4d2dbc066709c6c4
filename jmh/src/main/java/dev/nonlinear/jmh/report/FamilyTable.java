package dev.nonlinear.jmh.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A family's results at one thread count: rows in the order first seen, columns by kind. */
final class FamilyTable {

  private final Family family;
  private final int threads;
  private final Map<Row, Map<Column, Cell>> cells = new LinkedHashMap<>();
  private final List<Column> columns = new ArrayList<>(List.of(Column.OURS));

  FamilyTable(Family family, int threads) {
    this.family = family;
    this.threads = threads;
  }

  Family family() {
    return family;
  }

  int threads() {
    return threads;
  }

  /** Puts a cell; returns the cell it replaced, or null. */
  Cell put(Row row, Column column, Cell cell) {
    if (!columns.contains(column)) {
      columns.add(column);
      columns.sort(Comparator.comparing(Column::kind));
    }
    return cells.computeIfAbsent(row, r -> new LinkedHashMap<>()).put(column, cell);
  }

  List<Row> rows() {
    return List.copyOf(cells.keySet());
  }

  /** Ours first (always, so a missing result of ours shows), then the twin, then anchors. */
  List<Column> columns() {
    return List.copyOf(columns);
  }

  /** The columns ours is compared with. */
  List<Column> comparisons() {
    return columns.stream().filter(c -> c.kind() != Column.Kind.OURS).toList();
  }

  /** The cell, or null when that column has no result for that row. */
  Cell cell(Row row, Column column) {
    return cells.getOrDefault(row, Map.of()).get(column);
  }

  /**
   * How many times faster ours is than {@code other} on {@code row}: the other's time over
   * ours, so above 1 means ours is faster. NaN when either is missing.
   */
  double speedUp(Row row, Column other) {
    Cell ours = cell(row, Column.OURS);
    Cell theirs = cell(row, other);
    if (ours == null || theirs == null) {
      return Double.NaN;
    }
    return theirs.nsPerOp() / ours.nsPerOp();
  }

  /** Whether any result of ours is in the table. */
  boolean hasOurs() {
    return cells.values().stream().anyMatch(byColumn -> byColumn.containsKey(Column.OURS));
  }
}
