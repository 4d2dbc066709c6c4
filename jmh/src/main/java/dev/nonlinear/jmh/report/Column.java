package dev.nonlinear.jmh.report;

/**
 * A column of a family's table: ours, our scalar twin, or an anchor (an implementation from
 * outside, or another way to write the same kernel).
 */
record Column(String label, Kind kind) {

  enum Kind { OURS, TWIN, ANCHOR }

  static final Column OURS = new Column("nonlinear", Kind.OURS);
  static final Column TWIN = new Column("scalar twin", Kind.TWIN);

  static Column anchor(String label) {
    return new Column(label, Kind.ANCHOR);
  }
}
