"""PyTorch 1.13 anchor for LayerBenchmark: the same layers and shapes, ms per call (best of 5
rounds).

Run: /usr/bin/python3 jmh/pytorch/layers.py [threads] [json-file]
"""
import torch
from torch import nn

from anchor import Anchor, best_seconds

anchor = Anchor()
torch.manual_seed(3)
conv64 = nn.Conv2d(64, 64, 3, padding=1)
conv64_input = torch.rand(8, 64, 56, 56) * 2 - 1
first_conv = nn.Conv2d(1, 32, 3, padding=1)
images = torch.rand(64, 1, 28, 28) * 2 - 1
first_conv_grad = torch.rand(64, 32, 28, 28) * 2 - 1
pool = nn.MaxPool2d(2, 2)
pool_input = torch.rand(8, 64, 56, 56) * 2 - 1


def first_conv_forward_backward():
    first_conv.zero_grad()
    first_conv(images).backward(first_conv_grad)


def measure(benchmark, body, repeats, note):
    best = best_seconds(body, repeats)
    anchor.record("Layer", benchmark, best * 1e9, note)
    print(f"{benchmark:28s} {best * 1e3:9.3f} ms")


print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
with torch.no_grad():
    measure("conv64Forward", lambda: conv64(conv64_input), 5, "Conv2d(64, 64, 3, padding=1)")
measure("firstConvForwardBackward", first_conv_forward_backward, 20,
        "Conv2d(1, 32, 3, padding=1), forward and backward")
with torch.no_grad():
    measure("maxPoolForward", lambda: pool(pool_input), 20, "MaxPool2d(2, 2)")
anchor.write()
