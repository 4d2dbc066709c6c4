package dev.nonlinear.jmh.report;

import java.util.SortedMap;

/**
 * One result from an anchor script's JSON (see {@code jmh/pytorch/anchor.py}), named after the
 * JMH benchmark it stands beside.
 *
 * @param anchor the outside implementation and its version ({@code PyTorch 1.13.0a0})
 * @param family the JMH family ({@code Layer})
 * @param benchmark the JMH method it stands beside, or a name of its own
 * @param params JMH parameters other than threads
 * @param threads the threads the anchor ran on
 * @param nsPerOp nanoseconds per operation, an operation as the JMH benchmark counts one
 * @param note what the script ran, for the reader
 * @param source the file it came from
 */
record AnchorResult(String anchor, String family, String benchmark,
    SortedMap<String, String> params, int threads, double nsPerOp, String note, String source) {
}
