#!/usr/bin/python3
"""The `nonlinear autoencoder` recipe in PyTorch, to compare the losses it reaches.

Same network (Linear 784-128-64-32-64-128-784, ReLU between the layers, Sigmoid at the end),
same loss (MSELoss, mean), same optimiser (Adam, lr 0.001, PyTorch's defaults otherwise),
batch 64, shuffled each epoch, pixels / 255, on the same gzip IDX files. PyTorch draws its own
initial weights and orders, so the losses match the Java run in distribution, not bit for bit.
Run with Debian's Python (it has torch 1.13):

    /usr/bin/python3 scripts/pytorch_autoencoder_reference.py [--data DIR] [--epochs 5]
    /usr/bin/python3 scripts/pytorch_autoencoder_reference.py --evaluate FILE.safetensors

The second form loads weights written by `nonlinear autoencoder --save FILE` and prints their
test loss, which should equal the last test loss the Java run printed.
"""
import argparse
import pathlib
import sys
import time

import torch
from torch import nn

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from pytorch_cnn_reference import load, read_safetensors  # noqa: E402


def autoencoder():
    sizes = [784, 128, 64, 32, 64, 128, 784]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        layers.append(nn.ReLU() if i < len(sizes) - 2 else nn.Sigmoid())
    return nn.Sequential(*layers)


def test_loss(model, test_x):
    """Mean squared error per pixel over the test set, summed in double."""
    model.eval()
    total = 0.0
    with torch.no_grad():
        for i in range(0, len(test_x), 250):
            x = test_x[i:i + 250]
            total += float(((model(x) - x) ** 2).double().sum())
    return total / test_x.numel()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.001)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--evaluate", metavar="FILE", default=None)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    data_dir = pathlib.Path(args.data)
    train_x = load(data_dir, "train")[0].flatten(1)
    test_x = load(data_dir, "t10k")[0].flatten(1)
    if args.limit:
        train_x = train_x[:args.limit]
    mean = train_x.double().mean(0)
    baseline = float(((test_x.double() - mean) ** 2).mean())

    model = autoencoder()
    if args.evaluate:
        model.load_state_dict(read_safetensors(args.evaluate))
        print(f"{args.evaluate}: test loss {test_loss(model, test_x):.5f}")
        return
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s); training on "
          f"{len(train_x):,} images, testing on {len(test_x):,}")
    print(f"predicting the mean training image: test loss {baseline:.5f}")
    print(f"before training: test loss {test_loss(model, test_x):.5f}")

    n = len(train_x)
    for epoch in range(1, args.epochs + 1):
        model.train()
        order = torch.randperm(n)
        start = time.perf_counter()
        loss_sum = 0.0
        for begin in range(0, n, args.batch_size):
            x = train_x[order[begin:begin + args.batch_size]]
            loss = loss_fn(model(x), x)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(x)
        seconds = time.perf_counter() - start
        print(f"epoch {epoch}: training loss {loss_sum / n:.5f}, test loss "
              f"{test_loss(model, test_x):.5f}, {n / seconds:,.0f} images/s, {seconds:.1f} s")


if __name__ == "__main__":
    main()
