"""PyTorch 1.13 anchor for CnnTrainingBenchmark: one SGD step (zero_grad, forward,
cross-entropy, backward, step) of the 28x28 CNN on a batch of 64 random images, in ms per step
and images per second.

Run: /usr/bin/python3 jmh/pytorch/cnn_train_step.py [threads] [json-file]
"""
import torch
from torch import nn

from anchor import Anchor, best_seconds

anchor = Anchor()
torch.manual_seed(7)
model = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2),
                      nn.Flatten(), nn.Linear(32 * 14 * 14, 10))
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
images = torch.rand(64, 1, 28, 28)
labels = torch.randint(0, 10, (64,))
# The Java model skips the gradient of its input, as PyTorch does for data without
# requires_grad: nothing to do here.


def step():
    optimizer.zero_grad()
    loss = loss_fn(model(images), labels)
    loss.backward()
    optimizer.step()


best = best_seconds(step, repeats=50, warmup=50)
anchor.record("CnnTraining", "trainStep", best * 1e9, "one SGD step, batch 64")
print(f"torch {torch.__version__}, threads {torch.get_num_threads()}: "
      f"{best * 1e3:.3f} ms per step, {64 / best:,.0f} images/s (best of 5 rounds of 50)")
anchor.write()
