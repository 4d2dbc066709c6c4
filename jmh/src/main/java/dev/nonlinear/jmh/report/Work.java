package dev.nonlinear.jmh.report;

/**
 * The work in one operation, from which the report derives a rate: floating-point operations
 * (GFLOP/s), elements (ns per element) or images (images per second).
 */
record Work(Kind kind, double amount) {

  enum Kind {
    FLOPS("GFLOP/s"), ELEMENTS("ns/element"), IMAGES("images/s");

    final String rateLabel;

    Kind(String rateLabel) {
      this.rateLabel = rateLabel;
    }
  }

  static Work flops(double flops) {
    return new Work(Kind.FLOPS, flops);
  }

  static Work elements(double elements) {
    return new Work(Kind.ELEMENTS, elements);
  }

  static Work images(double images) {
    return new Work(Kind.IMAGES, images);
  }

  /** The rate at {@code nsPerOp}: GFLOP/s, ns per element or images per second. */
  double rate(double nsPerOp) {
    return switch (kind) {
      case FLOPS -> amount / nsPerOp;
      case ELEMENTS -> nsPerOp / amount;
      case IMAGES -> amount / nsPerOp * 1e9;
    };
  }
}
