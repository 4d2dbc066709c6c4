"""What the PyTorch anchor scripts share: their command line, the timing loop, and their results
written twice, as text on stdout for people and as JSON for the report generator
(dev.nonlinear.jmh.report.ReportMain, run by jmh/report.sh).

A script is run as `/usr/bin/python3 jmh/pytorch/SCRIPT.py [threads] [json-file]`.

The JSON file holds one object:
  {"anchor": "PyTorch", "version": "1.13.0a0", "threads": 1,
   "results": [{"family": "Layer", "benchmark": "conv64Forward", "params": {},
                "nsPerOp": 34818000.0, "note": "nn.Conv2d(64, 64, 3, padding=1), no_grad"}]}
"family" and "benchmark" name the JMH benchmark the number stands beside (the class without
"Benchmark", and the method); "params" its JMH parameters other than threads, as strings; one op
is what that benchmark counts as one (ActivationBenchmark: one element). The report joins the two
on family, benchmark, params and threads; a result that names no JMH benchmark gets a row of its
own.
"""
import json
import sys
import time

import torch


class Anchor:
    """The thread count and output file from the command line, and the results so far."""

    def __init__(self):
        self.threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
        self.json_path = sys.argv[2] if len(sys.argv) > 2 else None
        torch.set_num_threads(self.threads)
        self.results = []

    def record(self, family, benchmark, ns_per_op, note, params=None):
        self.results.append({"family": family, "benchmark": benchmark,
                             "params": {k: str(v) for k, v in (params or {}).items()},
                             "nsPerOp": ns_per_op, "note": note})

    def write(self):
        """Writes the JSON file, when the command line named one."""
        if self.json_path is None:
            return
        document = {"anchor": "PyTorch", "version": torch.__version__,
                    "threads": torch.get_num_threads(), "results": self.results}
        with open(self.json_path, "w", encoding="utf-8") as out:
            json.dump(document, out, indent=1)
            out.write("\n")


def best_seconds(body, repeats, rounds=5, warmup=3):
    """Seconds per call of body: the best of `rounds` rounds of `repeats` calls, after `warmup`
    calls. The best round, not the mean: the other rounds lost time to something else."""
    for _ in range(warmup):
        body()
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter_ns()
        for _ in range(repeats):
            body()
        best = min(best, (time.perf_counter_ns() - start) / repeats)
    return best / 1e9
