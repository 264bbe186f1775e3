#!/usr/bin/python3
"""The Python peer of `ser mel IN.wav --out OUT.npy`, timed as a whole process by bench/cli.sh (interpreter start
and imports included): torchaudio 0.13 MelSpectrogram + AmplitudeToDB on config/features/mel-seed.yaml's
parameters, saved as [n_mels, frames] float32 .npy.

    python3 bench/scripts/mel_command.py IN.wav OUT.npy
"""
import sys

import numpy as np
import torch
import torchaudio


def main():
    torch.set_num_threads(2)
    waveform, rate = torchaudio.load(sys.argv[1])
    mel = torchaudio.transforms.MelSpectrogram(
        sample_rate=rate, n_fft=1024, win_length=640, hop_length=320, n_mels=128, f_min=0.0, f_max=8000.0,
        power=2.0, center=True, pad_mode="reflect", norm=None, mel_scale="htk")
    to_db = torchaudio.transforms.AmplitudeToDB(stype="power", top_db=None)
    with torch.no_grad():
        db = to_db(mel(waveform.mean(dim=0)))
    np.save(sys.argv[2], db.numpy().astype(np.float32))


if __name__ == "__main__":
    main()
