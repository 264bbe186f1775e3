#!/usr/bin/python3
"""Inputs for bench/cli.sh, made here so the timings need no corpus: a 3 s clip, a one-hour recording and a tiny
CREMA-D-named corpus (4 speakers x 4 emotions) to train the run that `ser predict` is timed with.

    python3 bench/scripts/make_cli_inputs.py DIR
"""
import sys
import wave
from pathlib import Path

import numpy as np

RATE = 16000


def voice(seconds, f0, rng):
    """A vowel-like buzz: harmonics of a wobbling f0 under a slow envelope, plus a little noise."""
    t = np.arange(int(seconds * RATE)) / RATE
    f = f0 * (1 + 0.05 * np.sin(2 * np.pi * 3 * t))
    phase = 2 * np.pi * np.cumsum(f) / RATE
    x = sum(np.sin(k * phase) / k for k in range(1, 12))
    envelope = 0.5 * (1 - np.cos(2 * np.pi * np.minimum(t / 0.5, 1) / 2)) * (0.6 + 0.4 * np.sin(2 * np.pi * 0.7 * t))
    return 0.2 * envelope * x + 0.005 * rng.standard_normal(t.size)


def write(path, samples):
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())


def main():
    out = Path(sys.argv[1])
    (out / "corpus").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    write(out / "clip-3s.wav", voice(3.0, 140, rng))
    hour = np.tile(voice(60.0, 120, rng), 60)
    write(out / "hour.wav", hour)
    for s, speaker in enumerate((1001, 1002, 1003, 1004)):
        for e, emotion in enumerate(("NEU", "HAP", "SAD", "ANG")):
            write(out / "corpus" / f"{speaker}_DFA_{emotion}_XX.wav", voice(3.0, 110 + 30 * e + 10 * s, rng))


if __name__ == "__main__":
    main()
