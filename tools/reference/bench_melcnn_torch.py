#!/usr/bin/env python3
"""PyTorch eager peer of ser.cuda.GpuCheck's train-bench section: one training step of the seed's MelCNN (the model
of make_melcnn_fixtures.py, as ser.nn.MelCnn: 3 x (conv 3x3 pad 1 -> BN -> ReLU -> maxpool 2), dropout 0.2,
linear to 4 classes; input [n, 1, 128, 151]) at each batch size and precision: zero_grad, forward, cross-entropy,
backward, gradient clipping to norm 1, Adam (lr 1e-3), then loss.item() -- as ours, whose step ends with a download.
Wall time with torch.cuda.synchronize() before each clock read, median of --repeats after --warmup steps.
Precisions: fp32 (TF32 off for matmul and cuDNN), tf32 (both on), bf16 (autocast around forward and loss).

    python3 tools/reference/bench_melcnn_torch.py --out torch-melcnn.json [--batches 32,128] [--device cuda]
    /usr/bin/python3 tools/reference/bench_melcnn_torch.py --device cpu --batches 2 --repeats 1 --out /tmp/t.json   (smoke test)
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.nn as nn


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_melcnn_fixtures import MelCNN  # noqa: E402  the oracle's model, the one the parity fixtures come from


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--batches", default="32,128")
    ap.add_argument("--precisions", default="fp32,tf32,bf16")
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=10)
    args = ap.parse_args()

    dev = torch.device(args.device)
    cuda = dev.type == "cuda"
    sync = torch.cuda.synchronize if cuda else (lambda: None)
    report = {"torch": torch.__version__, "device": torch.cuda.get_device_name(0) if cuda else "cpu",
              "model": "MelCNN(4), dropout 0.2, input [n, 1, 128, 151]", "optimizer": "adam", "lr": 1e-3,
              "clip_grad_norm": 1.0, "cudnn_benchmark": False, "runs": []}
    print(f"torch {torch.__version__}, {report['device']}", flush=True)
    loss_fn = nn.CrossEntropyLoss()
    for b in [int(v) for v in args.batches.split(",")]:
        for precision in args.precisions.split(","):
            tf32 = precision == "tf32"
            if cuda:
                torch.backends.cuda.matmul.allow_tf32 = tf32
                torch.backends.cudnn.allow_tf32 = tf32
            bf16 = precision == "bf16"
            torch.manual_seed(3)
            model = MelCNN(4).to(dev).train()
            opt = torch.optim.Adam(model.parameters(), lr=1e-3)
            g = torch.Generator().manual_seed(9 + b)
            x = (-40 + 15 * torch.randn(b, 1, 128, 151, generator=g)).to(dev)
            y = torch.randint(0, 4, (b,), generator=g).to(dev)

            def step():
                opt.zero_grad(set_to_none=True)
                with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=bf16):
                    loss = loss_fn(model(x), y)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                return loss.item()

            t0 = time.perf_counter()
            for _ in range(args.warmup):
                step()
            sync()
            warm = time.perf_counter() - t0
            runs, losses = [], []
            for _ in range(args.repeats):
                sync()
                t0 = time.perf_counter()
                losses.append(step())
                sync()
                runs.append((time.perf_counter() - t0) * 1000)
            med = statistics.median(runs)
            r = {"precision": precision, "batch": b, "median_ms": med, "min_ms": min(runs), "runs_ms": runs,
                 "examples_per_s": b / (med / 1000), "warmup_s": warm, "last_loss": losses[-1]}
            report["runs"].append(r)
            print(f"torch MelCNN step (Adam) {precision:5s} batch {b:4d}: median {med:9.2f} ms (min {min(runs):9.2f}), "
                  f"{r['examples_per_s']:9.1f} examples/s, loss {losses[-1]:.4f}", flush=True)
            del model, opt, x, y
            if cuda:
                torch.cuda.empty_cache()
    with open(args.out, "w") as f:
        json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
