#!/usr/bin/python3
"""Times PyTorch 1.13 on the work of MelCnnStepBench: one MelCNN training step (forward, cross-entropy,
backward, Adam) and one inference batch of [batch, 1, 128, 151], on CPU with a fixed number of threads.
CPU time (all threads) is printed beside wall time: on a shared machine it is the steadier of the two.

    /usr/bin/python3 bench/scripts/time_pytorch_melcnn.py [--batch 128] [--threads 2] [--repeats 5]
"""
import argparse
import os
import statistics
import sys
import time

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "reference"))
from make_melcnn_fixtures import MelCNN  # noqa: E402  (the same model definition as the parity oracle)


def timed(fn, repeats):
    """Median and best wall time, and median process CPU time (all threads), in seconds."""
    fn()  # warm-up
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), min(walls), statistics.median(cpus)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)

    model = MelCNN(4)
    x = -40 + 20 * torch.randn(args.batch, 1, 128, 151)
    y = torch.arange(args.batch) % 4
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def train_step():
        model.train()
        optimiser.zero_grad()
        loss_fn(model(x), y).backward()
        optimiser.step()

    def inference():
        model.eval()
        with torch.no_grad():
            model(x)

    for name, fn in [("trainStep", train_step), ("inferenceBatch", inference)]:
        median, best, cpu = timed(fn, args.repeats)
        print(f"pytorch {torch.__version__} {name} batch={args.batch} threads={args.threads}: "
              f"median {median * 1000:.0f} ms, best {best * 1000:.0f} ms, cpu {cpu * 1000:.0f} ms")


if __name__ == "__main__":
    main()
