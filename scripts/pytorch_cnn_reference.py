#!/usr/bin/python3
"""The `nonlinear train` recipe in PyTorch, to compare accuracy and speed.

Same model (Conv2d(1, 32, 3, padding=1), ReLU, MaxPool2d(2), Flatten, Linear(6272, 10)), same
loss (cross-entropy, mean), same optimiser (SGD, lr 0.01, momentum 0.9), batch 64, shuffled
each epoch, pixels / 255, on the same gzip IDX files (read with gzip and numpy, no torchvision).
Weights and order come from PyTorch's own generator, so numbers match the Java run in
distribution, not bit for bit. Run with Debian's Python (it has torch 1.13):

    /usr/bin/python3 scripts/pytorch_cnn_reference.py [--data DIR] [--epochs 1] [--threads 1]
    /usr/bin/python3 scripts/pytorch_cnn_reference.py --evaluate FILE.safetensors [--data DIR]

The second form loads weights written by `nonlinear train --save FILE` into the PyTorch model
and reports their test accuracy, which checks the file's names, shapes and byte order.

DIR defaults to /usr/share/datasets/fashion-mnist; cli/src/main/resources/dev/nonlinear/cli/
sample is the embedded sample.
"""
import argparse
import gzip
import json
import pathlib
import time

import numpy as np
import torch
from torch import nn


def read_idx(path, magic, rank):
    """An unsigned-byte IDX file as a numpy array, its header checked."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    header = np.frombuffer(raw, dtype=">i4", count=1 + rank)
    if header[0] != magic:
        raise SystemExit(f"{path}: magic {header[0]}, expected {magic}")
    dims = [int(d) for d in header[1:]]
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 * (1 + rank))
    if data.size != int(np.prod(dims)):
        raise SystemExit(f"{path}: {data.size} bytes of data for a header of {dims}")
    return data.reshape(dims)


def load(data_dir, prefix):
    images = read_idx(data_dir / f"{prefix}-images-idx3-ubyte.gz", 2051, 3)
    labels = read_idx(data_dir / f"{prefix}-labels-idx1-ubyte.gz", 2049, 1)
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


def read_safetensors(path):
    """A float32 safetensors file as a state_dict (json + numpy: no safetensors package)."""
    raw = pathlib.Path(path).read_bytes()
    header_length = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8:8 + header_length])
    header.pop("__metadata__", None)
    data = raw[8 + header_length:]
    state = {}
    for name, entry in header.items():
        if entry["dtype"] != "F32":
            raise SystemExit(f"{path}: {name} has dtype {entry['dtype']}, expected F32")
        begin, end = entry["data_offsets"]
        values = np.frombuffer(data[begin:end], dtype="<f4").reshape(entry["shape"])
        state[name] = torch.from_numpy(values.copy())
    return state


def accuracy(model, test_x, test_y):
    model.eval()
    with torch.no_grad():
        return sum(int((model(test_x[i:i + 250]).argmax(1) == test_y[i:i + 250]).sum())
                   for i in range(0, len(test_x), 250))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--evaluate", metavar="FILE", default=None)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    data_dir = pathlib.Path(args.data)
    train_x, train_y = load(data_dir, "train")
    test_x, test_y = load(data_dir, "t10k")
    if args.limit:
        train_x, train_y = train_x[:args.limit], train_y[:args.limit]

    model = nn.Sequential(nn.Conv2d(1, 32, 3, stride=1, padding=1), nn.ReLU(),
                          nn.MaxPool2d(2, 2), nn.Flatten(), nn.Linear(32 * 14 * 14, 10))
    if args.evaluate:
        model.load_state_dict(read_safetensors(args.evaluate))
        correct = accuracy(model, test_x, test_y)
        print(f"{args.evaluate}: test accuracy {100 * correct / len(test_x):.2f}% "
              f"({correct:,} of {len(test_x):,})")
        return
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s); training on "
          f"{len(train_x):,} images, testing on {len(test_x):,}")

    start = time.perf_counter()
    n = len(train_x)
    for epoch in range(1, args.epochs + 1):
        model.train()
        order = torch.randperm(n)
        epoch_start = time.perf_counter()
        loss_sum = 0.0
        for begin in range(0, n, args.batch_size):
            index = order[begin:begin + args.batch_size]
            x, y = train_x[index], train_y[index]
            loss = loss_fn(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(index)
        seconds = time.perf_counter() - epoch_start
        print(f"epoch {epoch}: mean loss {loss_sum / n:.4f}, {n / seconds:,.0f} images/s, "
              f"{seconds:.1f} s")

    correct = accuracy(model, test_x, test_y)
    total = time.perf_counter() - start
    print(f"test accuracy: {100 * correct / len(test_x):.2f}% ({correct:,} of {len(test_x):,})")
    print(f"speed: {n / seconds:,.0f} images/s (epoch {args.epochs}), total {total:.1f} s")


if __name__ == "__main__":
    main()
