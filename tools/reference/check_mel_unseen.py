#!/usr/bin/python3
"""Checks `./ser mel` against torchaudio 0.13 on clips no test has seen: N random RAVDESS files of actors 15-20
(the committed fixtures use other excerpts), whole files, the seed config.

Run from the repository root with Debian's python (torch 1.13, torchaudio 0.13):
    /usr/bin/python3 tools/reference/check_mel_unseen.py [N] [--data ../shared/data/ravdess-16k]
Prints the worst |difference| in dB within 80 dB of each clip's maximum and everywhere, and exits 1 if either
tolerance (0.01 dB, 0.1 dB) is broken.
"""
import argparse
import glob
import os
import random
import subprocess
import sys
import tempfile

import numpy as np
import torchaudio


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=20)
    ap.add_argument("--data", default="../shared/data/ravdess-16k")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    files = sorted(glob.glob(os.path.join(args.data, "Actor_1[5-9]", "*.wav")) +
                   glob.glob(os.path.join(args.data, "Actor_20", "*.wav")))
    if not files:
        sys.exit(f"no RAVDESS files under {args.data}")
    picked = random.Random(args.seed).sample(files, min(args.n, len(files)))
    mel = torchaudio.transforms.MelSpectrogram(
        sample_rate=16000, n_fft=1024, win_length=640, hop_length=320, n_mels=128, f_min=0.0, f_max=8000.0,
        power=2.0, center=True, pad_mode="reflect", norm=None, mel_scale="htk")
    to_db = torchaudio.transforms.AmplitudeToDB(stype="power", top_db=None)
    worst_near, worst_all = 0.0, 0.0
    with tempfile.TemporaryDirectory() as out:
        for f in picked:
            npy = os.path.join(out, os.path.basename(f) + ".npy")
            subprocess.run(["./ser", "mel", f, "--out", npy], check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            wave, rate = torchaudio.load(f)
            ref = to_db(mel(wave.mean(0))).numpy()
            ours = np.load(npy)
            assert ours.shape == ref.shape, (f, ours.shape, ref.shape)
            diff = np.abs(ours - ref)
            worst_near = max(worst_near, float(diff[ref >= ref.max() - 80].max()))
            worst_all = max(worst_all, float(diff.max()))
    print(f"{len(picked)} unseen clips: max |ours - torchaudio| {worst_near:.5f} dB within 80 dB of the maximum, "
          f"{worst_all:.5f} dB everywhere (tolerances 0.01 and 0.1)")
    sys.exit(0 if worst_near <= 0.01 and worst_all <= 0.1 else 1)


if __name__ == "__main__":
    main()
