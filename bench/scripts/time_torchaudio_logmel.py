#!/usr/bin/python3
"""The peer that ser.bench.LogMelBench is compared with: torchaudio 0.13 MelSpectrogram + AmplitudeToDB on the seed
recipe's parameters (config/features/mel-seed.yaml), on a 3 s and a 60 s clip, with 2 threads and with 1.

Run with Debian's python (torch 1.13, torchaudio 0.13):  /usr/bin/python3 bench/scripts/time_torchaudio_logmel.py
Prints, per clip and thread count, the median time per call and the speed as a multiple of real time
(audio seconds / compute seconds), the figure LogMelBench's comment tells how to compute for our side.
"""
import time

import numpy as np
import torch
import torchaudio

SAMPLE_RATE = 16000


def main():
    mel = torchaudio.transforms.MelSpectrogram(
        sample_rate=SAMPLE_RATE, n_fft=1024, win_length=640, hop_length=320, n_mels=128, f_min=0.0, f_max=8000.0,
        power=2.0, center=True, pad_mode="reflect", norm=None, mel_scale="htk")
    to_db = torchaudio.transforms.AmplitudeToDB(stype="power", top_db=None)
    rng = np.random.default_rng(1)
    for threads in (2, 1):
        torch.set_num_threads(threads)
        for seconds in (3, 60):
            clip = torch.from_numpy((0.1 * rng.standard_normal(seconds * SAMPLE_RATE)).astype(np.float32))
            calls = max(3, 300 // seconds)
            with torch.no_grad():
                for _ in range(calls):  # warm-up
                    to_db(mel(clip))
                times = []
                for _ in range(calls):
                    start = time.perf_counter()
                    to_db(mel(clip))
                    times.append(time.perf_counter() - start)
            median = float(np.median(times))
            print(f"torchaudio {torchaudio.__version__} threads={threads} clip={seconds:>2d} s: "
                  f"{median * 1e3:8.3f} ms/call  {seconds / median:8.0f}x real time")


if __name__ == "__main__":
    main()
