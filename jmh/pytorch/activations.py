"""PyTorch 1.13 anchor for ActivationBenchmark: the same activations on 1M float32 elements, out
of place into a preallocated tensor (the `out=` forms), in ns per element. PyTorch computes the
sigmoid and tanh derivatives from the forward's output; ours take the input, so those two are
rows of their own.

Run: /usr/bin/python3 jmh/pytorch/activations.py [threads] [json-file]
"""
import torch

from anchor import Anchor, best_seconds

anchor = Anchor()
aten = torch.ops.aten
N = 1 << 20
generator = torch.Generator().manual_seed(42)
x = torch.randn(N, generator=generator) * 4
grad = torch.randn(N, generator=generator)
out = torch.empty_like(x)
y = torch.sigmoid(x)


def measure(benchmark, body, note):
    ns = best_seconds(body, repeats=200, warmup=20) * 1e9 / N
    anchor.record("Activation", benchmark, ns, note)
    print(f"{benchmark:26s} {ns:7.3f} ns/element  {note}")


print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, N = {N}")
measure("copy", lambda: out.copy_(x), "out.copy_(x)")
measure("relu", lambda: torch.clamp_min(x, 0, out=out),
        "torch.clamp_min(x, 0, out=) (torch.relu has no out=)")
measure("reluBackward", lambda: aten.threshold_backward.grad_input(grad, x, 0.0, grad_input=out),
        "threshold_backward(grad, x, 0)")
measure("sigmoid", lambda: torch.sigmoid(x, out=out), "torch.sigmoid(x, out=)")
measure("tanh", lambda: torch.tanh(x, out=out), "torch.tanh(x, out=)")
measure("gelu", lambda: aten.gelu.out(x, out=out), "gelu (erf)")
measure("geluTanh", lambda: aten.gelu.out(x, approximate="tanh", out=out), "gelu (tanh)")
measure("geluBackward", lambda: aten.gelu_backward.grad_input(grad, x, grad_input=out),
        "gelu_backward (erf)")
measure("geluTanhBackward",
        lambda: aten.gelu_backward.grad_input(grad, x, approximate="tanh", grad_input=out),
        "gelu_backward (tanh)")
measure("silu", lambda: aten.silu.out(x, out=out), "silu")
measure("mish", lambda: aten.mish.out(x, out=out), "mish")
measure("softplus", lambda: aten.softplus.out(x, 1, 20, out=out), "softplus, beta 1, threshold 20")
measure("softplusBackward",
        lambda: aten.softplus_backward.grad_input(grad, x, 1, 20, grad_input=out),
        "softplus_backward, beta 1, threshold 20")
measure("elu", lambda: aten.elu.out(x, 1, 1, 1, out=out), "elu, alpha 1")
measure("hardswish", lambda: aten.hardswish.out(x, out=out), "hardswish")
measure("sigmoidBackwardFromOutput",
        lambda: aten.sigmoid_backward.grad_input(grad, y, grad_input=out),
        "sigmoid_backward(grad, y): from the output")
measure("tanhBackwardFromOutput",
        lambda: aten.tanh_backward.grad_input(grad, y, grad_input=out),
        "tanh_backward(grad, y): from the output")
anchor.write()
