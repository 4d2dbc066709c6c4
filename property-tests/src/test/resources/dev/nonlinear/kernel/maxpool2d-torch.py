# Writes maxpool2d-torch.txt: random max_pool2d cases run through PyTorch 1.13 (Debian's
# python3-torch), for PoolingProperties.matchesPyTorchFixtures. One case per line:
#   C H W kH kW sH sW pH pW dH dW ceil | input values | OK outH outW values... indices...
#                                                    or ERR (PyTorch refuses the geometry)
# Inputs are small integers (ties), NaN and -inf. Run: /usr/bin/python3 maxpool2d-torch.py
import random

import torch

F = torch.nn.functional


def fmt(v):
    v = float(v)
    if v != v:
        return "nan"
    if v in (float("inf"), float("-inf")):
        return "inf" if v > 0 else "-inf"
    return str(int(v)) if v == int(v) else repr(v)


random.seed(7)
lines = []
while len(lines) < 160:
    c, h, w = random.randint(1, 2), random.randint(1, 8), random.randint(1, 24)
    kh, kw = random.randint(1, 4), random.randint(1, 4)
    sh, sw = random.randint(1, 3), random.randint(1, 3)
    ph, pw = random.randint(0, 2), random.randint(0, 2)
    dh, dw = random.randint(1, 3), random.randint(1, 3)
    ceil = random.random() < 0.5
    x = torch.randint(-3, 4, (1, c, h, w)).float()
    u = torch.rand(x.shape)
    x[u < 0.05] = float("nan")
    x[(u >= 0.05) & (u < 0.12)] = float("-inf")
    try:
        y, i = F.max_pool2d(x, (kh, kw), (sh, sw), (ph, pw), (dh, dw), ceil_mode=ceil,
                            return_indices=True)
        result = "OK %d %d %s %s" % (y.shape[2], y.shape[3], " ".join(map(fmt, y.flatten())),
                                     " ".join(str(int(v)) for v in i.flatten()))
    except RuntimeError:
        if random.random() < 0.8:
            continue  # keep only some refusals: they are cheap to hit
        result = "ERR"
    geometry = "%d %d %d %d %d %d %d %d %d %d %d %d" % (c, h, w, kh, kw, sh, sw, ph, pw, dh, dw,
                                                        int(ceil))
    lines.append("%s|%s|%s" % (geometry, " ".join(map(fmt, x.flatten())), result))
with open("maxpool2d-torch.txt", "w") as out:
    out.write("\n".join(lines) + "\n")
