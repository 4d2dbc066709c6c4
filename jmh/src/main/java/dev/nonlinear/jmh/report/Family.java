package dev.nonlinear.jmh.report;

import java.util.function.Function;

/**
 * How the report lays out one benchmark family (one JMH class): where each JMH method goes, the
 * work in a row's operation, and a sentence on what is measured. A family the report does not
 * know gets {@link #generic}: every method is ours, a method named {@code fooScalar} or a fork
 * on the scalar backend is the scalar twin of {@code foo}, and no rate.
 *
 * @param name the JMH class without "Benchmark"
 * @param description what is measured, for the reader
 * @param placement the row and column of a JMH result
 * @param work the work in one operation of a row; null when the report shows no rate
 * @param rowLabel how a row is named in the table
 * @param timeLabel the time column's unit when JMH's unit would mislead (null: JMH's)
 */
record Family(String name, String description, Function<JmhResult, Placement> placement,
    Function<Row, Work> work, Function<Row, String> rowLabel, String timeLabel) {

  /** Where a result goes in the table. */
  record Placement(Row row, Column column) {
  }

  static Family generic(String name) {
    return new Family(name, "", Family::byNaming, row -> null, Row::label, null);
  }

  /** {@code fooScalar} and scalar-backend forks are the twin of {@code foo}; the rest is ours. */
  static Placement byNaming(JmhResult result) {
    String method = result.method();
    if (method.endsWith("Scalar")) {
      String twinOf = method.substring(0, method.length() - "Scalar".length());
      return new Placement(new Row(twinOf, result.params()), Column.TWIN);
    }
    Column column = result.scalarBackend() ? Column.TWIN : Column.OURS;
    return new Placement(new Row(method, result.params()), column);
  }

  /** An anchor script's result: the row it names, in the anchor's own column. */
  static Placement placeAnchor(AnchorResult result) {
    return new Placement(new Row(result.benchmark(), result.params()),
        Column.anchor(result.anchor()));
  }
}
