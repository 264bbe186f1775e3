#!/usr/bin/python3
"""A third peer of ser.bench.HubertBench (which runs ONNX Runtime itself): torchaudio 0.13 hubert_base (random weights, eval,
no grad), every hidden state of one clip, on a 3 s and a 10 s clip, with 2 threads and with 1.

Run with Debian's python (torch 1.13, torchaudio 0.13):  /usr/bin/python3 bench/scripts/time_torchaudio_hubert.py
Prints, per clip and thread count, the median time per call and the speed as a multiple of real time
(audio seconds / compute seconds); HubertBench and HubertProfile convert the same way.
"""
import time

import numpy as np
import torch
from torchaudio.models import hubert_base

SAMPLE_RATE = 16000


def main():
    model = hubert_base().eval()
    rng = np.random.default_rng(1)
    for threads in (2, 1):
        torch.set_num_threads(threads)
        for seconds in (3, 10):
            clip = torch.from_numpy((0.1 * rng.standard_normal((1, seconds * SAMPLE_RATE))).astype(np.float32))
            calls = max(3, 30 // seconds)
            with torch.inference_mode():
                for _ in range(2):  # warm-up
                    model.extract_features(clip)
                times = []
                for _ in range(calls):
                    start = time.perf_counter()
                    model.extract_features(clip)
                    times.append(time.perf_counter() - start)
            median = float(np.median(times))
            print(f"torchaudio hubert_base threads={threads} clip={seconds:>2d} s: "
                  f"{median * 1e3:8.1f} ms/call  {seconds / median:6.1f}x real time")


if __name__ == "__main__":
    main()
