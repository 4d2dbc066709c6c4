package dev.nonlinear.jmh.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Numbers as the report prints them: three significant digits, "—" where there is none. */
final class Format {

  static final String NONE = "—";

  private Format() {
  }

  /** 0.132, 13.2, 10.0, 432, 30,800: three significant digits, thousands grouped. */
  static String sig3(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return NONE;
    }
    if (value == 0) {
      return "0";
    }
    BigDecimal rounded = new BigDecimal(value).round(new MathContext(3));
    int integerDigits = (int) Math.floor(Math.log10(Math.abs(rounded.doubleValue()))) + 1;
    int decimals = Math.max(0, 3 - integerDigits);
    return String.format(Locale.ROOT, "%,." + decimals + "f", rounded);
  }

  /** A speed-up: 0.82×, 9.60×, 13.5×. */
  static String ratio(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return NONE;
    }
    return String.format(Locale.ROOT, value >= 10 ? "%.1f×" : "%.2f×", value);
  }

  /** A time in nanoseconds, in JMH's {@code unit}. */
  static String time(double ns, String unit) {
    return sig3(ns / ResultsReader.nanosecondsPer(unit));
  }

  /** µs for {@code us/op}. */
  static String unitLabel(String unit) {
    return switch (unit) {
      case "ns/op" -> "ns";
      case "us/op" -> "µs";
      case "ms/op" -> "ms";
      case "s/op" -> "s";
      default -> unit;
    };
  }
}
