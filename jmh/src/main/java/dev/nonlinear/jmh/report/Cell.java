package dev.nonlinear.jmh.report;

/**
 * One measured time in a table.
 *
 * @param nsPerOp nanoseconds per operation
 * @param errorNs JMH's 99.9 % half-interval; NaN for anchors and single iterations
 * @param allocBytesPerOp bytes allocated per operation ({@code -prof gc}); NaN when not measured
 * @param note what an anchor ran; empty for JMH results
 * @param source the file it came from
 */
record Cell(double nsPerOp, double errorNs, double allocBytesPerOp, String note, String source) {

  static Cell of(JmhResult r) {
    return new Cell(r.nsPerOp(), r.errorNs(), r.allocBytesPerOp(), "", r.source());
  }

  static Cell of(AnchorResult r) {
    return new Cell(r.nsPerOp(), Double.NaN, Double.NaN, r.note(), r.source());
  }
}
