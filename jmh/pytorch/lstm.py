"""PyTorch 1.13 anchor for LstmBenchmark: one LSTM layer, input 100 -> hidden 256, 20 steps of
a batch of 32 (time-major), ms per call (best of 5 rounds). Forward under no_grad; forward then
backward from a fixed output gradient, parameter gradients only (the input needs none).

Run: OPENBLAS_NUM_THREADS=T /usr/bin/python3 jmh/pytorch/lstm.py [T] [json-file]

Debian's torch runs the LSTM's matrix products in the system OpenBLAS, which
torch.set_num_threads does not reach: jmh/report.sh sets OPENBLAS_NUM_THREADS to the same
thread count, and this script does when it is run without it.
"""
import os
import sys

if "OPENBLAS_NUM_THREADS" not in os.environ:
    os.environ["OPENBLAS_NUM_THREADS"] = sys.argv[1] if len(sys.argv) > 1 else "1"

import torch  # noqa: E402  (after the environment OpenBLAS reads when torch loads it)
from torch import nn  # noqa: E402

from anchor import Anchor, best_seconds  # noqa: E402

anchor = Anchor()
torch.manual_seed(3)
steps, batch, inputs, hidden = 20, 32, 100, 256
lstm = nn.LSTM(inputs, hidden)
x = torch.rand(steps, batch, inputs) * 2 - 1
grad_output = torch.rand(steps, batch, hidden) * 2 - 1


def forward():
    with torch.no_grad():
        lstm(x)


def forward_backward():
    lstm.zero_grad()
    out, _ = lstm(x)
    out.backward(grad_output)


def measure(benchmark, body, repeats, note):
    best = best_seconds(body, repeats)
    anchor.record("Lstm", benchmark, best * 1e9, note)
    print(f"{benchmark:28s} {best * 1e3:9.3f} ms")


print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, "
      f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
measure("forward", forward, 20, "nn.LSTM(100, 256), 20 x 32, no_grad")
measure("forwardBackward", forward_backward, 10,
        "nn.LSTM(100, 256), 20 x 32, backward from a fixed output gradient")
anchor.write()
