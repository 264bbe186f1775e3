#!/usr/bin/python3
"""Oracle for ser.dsp.LogMel: torchaudio 0.13 MelSpectrogram + AmplitudeToDB("power") on chosen inputs.

Run with Debian's python (torch 1.13, torchaudio 0.13):  /usr/bin/python3 tools/reference/make_mel_fixtures.py

Writes engine/src/test/resources/fixtures/mel/:
  cases.tsv                 name, config file, input, torch float32 output, float64 output (one case a line)
  <config>.yaml             every config the cases use (same keys as config/features/mel-seed.yaml)
  <input>.input.npy         float32 samples (variants of a case share their input)
  <name>.logmel.npy         float32 [n_mels, frames], torchaudio's output
  <name>.logmel64.npy       the same computed in float64 (stored as float32): the exact answer, which tells
                            where torch's own float32 rounding is larger than the tolerance (values ~110 dB
                            or more below the maximum), so that the test may allow that much there
  fbank-<scale>.npy         torchaudio.functional.melscale_fbanks for the seed sizes, [n_freqs, n_mels]
  hann-<n>.npy              torch.hann_window(n) (periodic), float32
  ravdess-full.tsv          wav path under ravdess-16k, expected .npy: whole clips, audio NOT stored here
                            (the Java test reads the WAV from ser.shared and skips when it is absent)
"""
import os
import sys
import wave

import numpy as np
import torch
import torchaudio

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "engine", "src", "test", "resources", "fixtures", "mel")
RAVDESS = os.path.join(ROOT, "..", "shared", "data", "ravdess-16k")  # where surefire points ser.shared
if not os.path.isdir(RAVDESS):
    RAVDESS = "/work/shared/data/ravdess-16k"

SEED = dict(sample_rate=16000, n_fft=1024, win_length=640, hop_length=320, n_mels=128, f_min=0.0, f_max=8000.0,
            power=2.0, mel_scale="htk", norm=None, top_db=None, center=True, pad_mode="reflect")
CONFIGS = {
    "seed": SEED,
    "slaney": dict(SEED, mel_scale="slaney", norm="slaney"),
    "topdb": dict(SEED, top_db=80.0),
    "constant": dict(SEED, pad_mode="constant"),
    "nocenter": dict(SEED, center=False),
    "small": dict(SEED, sample_rate=8000, n_fft=256, win_length=256, hop_length=100, n_mels=40, f_min=60.0,
                  f_max=3800.0, power=1.0, mel_scale="slaney", norm=None),
}


def yaml_value(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def log_mel(samples, cfg, dtype=torch.float32):
    mel = torchaudio.transforms.MelSpectrogram(
        sample_rate=cfg["sample_rate"], n_fft=cfg["n_fft"], win_length=cfg["win_length"],
        hop_length=cfg["hop_length"], f_min=cfg["f_min"], f_max=cfg["f_max"], n_mels=cfg["n_mels"],
        power=cfg["power"], center=cfg["center"], pad_mode=cfg["pad_mode"], norm=cfg["norm"],
        mel_scale=cfg["mel_scale"]).to(dtype)
    to_db = torchaudio.transforms.AmplitudeToDB(stype="power", top_db=cfg["top_db"])
    with torch.no_grad():
        return np.ascontiguousarray(to_db(mel(torch.from_numpy(samples).to(dtype))).numpy(), dtype=np.float32)


def read_wav(path):
    """16-bit PCM mono, scaled by 1/32768 as torchaudio.load does."""
    with wave.open(path, "rb") as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1 and w.getframerate() == 16000, path
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return (pcm.astype(np.float32) / 32768.0).astype(np.float32)


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, cfg in CONFIGS.items():
        with open(os.path.join(OUT, name + ".yaml"), "w") as f:
            f.writelines(f"{k}: {yaml_value(v)}\n" for k, v in cfg.items())

    rng = np.random.default_rng(20240611)
    speech = [read_wav(os.path.join(RAVDESS, p)) for p in (
        "Actor_01/03-01-05-02-01-01-01.wav",   # angry, strong, male
        "Actor_10/03-01-03-01-02-02-10.wav",   # happy, female
        "Actor_15/03-01-04-02-01-02-15.wav")]  # sad, strong, male
    # 1.5 s excerpts from where the speech is, not the leading silence.
    excerpts = [s[16000:16000 + 24000] for s in speech]
    t = np.arange(16001) / 16000.0
    cases = [  # (name, config, samples); a variant names its input "<input>~<variant>"
        ("speech1", "seed", excerpts[0]),
        ("speech2", "seed", excerpts[1]),
        ("speech3", "seed", excerpts[2]),
        ("speech1~slaney", "slaney", excerpts[0]),
        ("speech2~topdb", "topdb", excerpts[1]),
        ("silence", "seed", np.zeros(8000, np.float32)),
        ("square", "seed", np.where(np.sin(2 * np.pi * 220.0 * t[:16000]) >= 0, 1.0, -1.0).astype(np.float32)),
        ("noise", "seed", (0.1 * rng.standard_normal(16000)).astype(np.float32)),
        ("chirp-16001", "seed", (0.5 * np.sin(2 * np.pi * (50.0 + 3950.0 * t / 2) * t)).astype(np.float32)),
        ("speech3-4799", "seed", excerpts[2][:4799]),
        ("min-reflect-513", "seed", excerpts[0][5000:5513]),
        ("short-300-constant", "constant", excerpts[1][8000:8300]),
        ("noise-nocenter", "nocenter", (0.1 * rng.standard_normal(5000)).astype(np.float32)),
        ("speech1-small", "small", excerpts[0][::2].copy()),
    ]
    with open(os.path.join(OUT, "cases.tsv"), "w") as f:
        for name, cfg, x in cases:
            x = np.ascontiguousarray(x, dtype=np.float32)
            source, _, variant = name.partition("~")
            name = source + ("-" + variant if variant else "")
            if not variant:
                np.save(os.path.join(OUT, source + ".input.npy"), x)
            np.save(os.path.join(OUT, name + ".logmel.npy"), log_mel(x, CONFIGS[cfg]))
            np.save(os.path.join(OUT, name + ".logmel64.npy"), log_mel(x, CONFIGS[cfg], torch.float64))
            f.write(f"{name}\t{cfg}.yaml\t{source}.input.npy\t{name}.logmel.npy\t{name}.logmel64.npy\n")

    for scale, norm in (("htk", None), ("slaney", "slaney")):
        fb = torchaudio.functional.melscale_fbanks(513, 0.0, 8000.0, 128, 16000, norm, scale)
        np.save(os.path.join(OUT, f"fbank-{scale}.npy"), np.ascontiguousarray(fb.numpy(), dtype=np.float32))

    for n in (640, 400, 33):
        np.save(os.path.join(OUT, f"hann-{n}.npy"), torch.hann_window(n).numpy())

    full = ["Actor_02/03-01-01-01-01-01-02.wav", "Actor_03/03-01-03-02-02-01-03.wav",
            "Actor_04/03-01-04-01-01-02-04.wav", "Actor_05/03-01-05-01-02-02-05.wav",
            "Actor_07/03-01-03-01-01-01-07.wav", "Actor_08/03-01-05-02-02-02-08.wav",
            "Actor_12/03-01-04-02-02-01-12.wav", "Actor_16/03-01-01-01-02-01-16.wav",
            "Actor_18/03-01-05-02-01-02-18.wav", "Actor_20/03-01-03-02-01-01-20.wav"]
    with open(os.path.join(OUT, "ravdess-full.tsv"), "w") as f:
        for i, p in enumerate(full):
            out = f"ravdess-{i:02d}.logmel.npy"
            np.save(os.path.join(OUT, out), log_mel(read_wav(os.path.join(RAVDESS, p)), SEED))
            f.write(f"{p}\t{out}\n")
    size = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files, {size / 1e6:.2f} MB, to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
