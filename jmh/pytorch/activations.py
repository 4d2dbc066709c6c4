"""PyTorch 1.13 anchor for ActivationBenchmark: torch.relu / sigmoid / tanh (and GELU) on 1M
float32 elements, one thread, out of place into a preallocated tensor, in ns per element.

Run: /usr/bin/python3 jmh/pytorch/activations.py
"""
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
N = 1 << 20
generator = torch.Generator().manual_seed(42)
x = torch.randn(N, generator=generator) * 4
out = torch.empty_like(x)
grad = torch.randn(N, generator=generator)


def measure(name, body, repeats=200, rounds=5):
    for _ in range(20):
        body()
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter_ns()
        for _ in range(repeats):
            body()
        best = min(best, (time.perf_counter_ns() - start) / repeats / N)
    print(f"{name:24s} {best:7.3f} ns/element")


print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, N = {N}")
measure("copy", lambda: out.copy_(x))
measure("relu (clamp_min, out=)", lambda: torch.clamp_min(x, 0, out=out))
measure("relu (torch.relu)", lambda: torch.relu(x))
measure("sigmoid", lambda: torch.sigmoid(x, out=out))
measure("tanh", lambda: torch.tanh(x, out=out))
measure("gelu", lambda: F.gelu(x))
measure("sigmoid_backward", lambda: torch.ops.aten.sigmoid_backward(grad, out))
measure("tanh_backward", lambda: torch.ops.aten.tanh_backward(grad, out))
measure("threshold_backward", lambda: torch.ops.aten.threshold_backward(grad, x, 0.0))
