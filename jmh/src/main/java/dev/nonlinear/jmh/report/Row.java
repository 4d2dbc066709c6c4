package dev.nonlinear.jmh.report;

import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * A row of a family's table: one operation at one set of parameters (threads excluded: each
 * thread count has a table of its own).
 */
record Row(String name, SortedMap<String, String> params) {

  /** {@code softmax classes=1000}; the name alone without parameters. */
  String label() {
    if (params.isEmpty()) {
      return name;
    }
    return name + " " + params.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", "));
  }
}
