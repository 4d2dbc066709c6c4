"""PyTorch 1.13 anchor for LstmBenchmark: one LSTM layer, input 100 -> hidden 256, 20 steps of
a batch of 32 (time-major), ms per call (best of 5 rounds). Forward under no_grad; forward then
backward from a fixed output gradient, parameter gradients only (the input needs none).

Run: /usr/bin/python3 jmh/pytorch/lstm.py [threads]

The thread count also goes to OpenBLAS, before torch loads it: Debian's torch runs its matrix
products (the LSTM's input and hidden products) in the system OpenBLAS, which
torch.set_num_threads does not reach and which otherwise takes every core, so that "one thread"
ran its products on two here (process CPU time twice the calling thread's).
"""
import os
import sys
import time

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
os.environ["OPENBLAS_NUM_THREADS"] = str(threads)
os.environ["OMP_NUM_THREADS"] = str(threads)

import torch  # noqa: E402  (after the environment it reads at load)
from torch import nn  # noqa: E402

torch.set_num_threads(threads)
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


def measure(name, body, repeats):
    for _ in range(3):
        body()
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeats):
            body()
        best = min(best, (time.perf_counter() - start) / repeats)
    print(f"{name:28s} {best * 1e3:9.3f} ms")


print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, "
      f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
measure("lstmForward", forward, 20)
measure("lstmForwardBackward", forward_backward, 10)
