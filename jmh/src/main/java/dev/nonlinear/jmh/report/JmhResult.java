package dev.nonlinear.jmh.report;

import java.util.SortedMap;

/**
 * One result from JMH's JSON: a benchmark method at one set of parameters.
 *
 * @param family the benchmark class without "Benchmark" ({@code Gemm} for {@code GemmBenchmark})
 * @param method the benchmark method
 * @param params JMH parameters other than {@code threads}
 * @param threads the {@code threads} parameter, else {@code -Dnonlinear.threads}, else 1
 * @param scalarBackend whether the fork ran with {@code -Dnonlinear.backend=scalar}
 * @param nsPerOp the score in nanoseconds per operation
 * @param errorNs JMH's 99.9 % half-interval in nanoseconds; NaN when JMH gave none
 * @param allocBytesPerOp {@code gc.alloc.rate.norm} from {@code -prof gc}; NaN when not measured
 * @param unit JMH's score unit ({@code us/op}), which the report keeps for the family
 * @param jdk the JDK that ran the fork
 * @param settings forks, warm-up and measurement iterations, as a sentence
 * @param source the file it came from
 */
record JmhResult(String family, String method, SortedMap<String, String> params, int threads,
    boolean scalarBackend, double nsPerOp, double errorNs, double allocBytesPerOp, String unit,
    String jdk, String settings, String source) {
}
