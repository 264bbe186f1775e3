#!/usr/bin/python3
"""PyTorch oracle for `ser import`: state dicts saved by the seed's own code, and the logits PyTorch gives.

Run with Debian's /usr/bin/python3 (torch 1.13, torchaudio 0.13). Writes engine/src/test/resources/fixtures/import/:
  melcnn.pt            torch.save(MelCNN(4).state_dict()) after random init and random BN running statistics
  clip.wav             1 s of a synthetic 16 kHz 16-bit voice-like signal (the pipeline pads it to 3 s)
  clip.logmel.npy      torchaudio's seed log-Mel of the padded clip, [128, 151]
  hubert_mlp.pt        torch.save(HubertMLP(768, 4).state_dict()) in float16 (half the bytes of float32)
  embedding.npy        one pooled "HuBERT embedding" [768] for the MLP
  logits.json          the models' logits in eval mode: MelCNN on clip.logmel.npy, HubertMLP on embedding.npy
"""
import json
import math
import os
import wave

import numpy as np
import torch
import torch.nn as nn
import torchaudio

from make_melcnn_fixtures import MelCNN  # the seed's model, defined once for every oracle

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "engine", "src", "test", "resources", "fixtures", "import")
LABELS = ["NEU", "HAP", "SAD", "ANG"]


class HubertMLP(nn.Module):
    """The seed's head on pooled HuBERT features."""

    def __init__(self, in_dim, n_classes, hidden=256, dropout=0.2):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(in_dim, hidden), nn.ReLU(), nn.Dropout(dropout), nn.Linear(hidden, n_classes))

    def forward(self, x):
        return self.net(x)


def randomise_batch_norm(model, generator):
    """Running statistics as after training, so that eval mode is not the identity."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.copy_(torch.randn(m.num_features, generator=generator) * 5)
            m.running_var.copy_(torch.rand(m.num_features, generator=generator) * 20 + 1)
            m.weight.data.copy_(1 + 0.2 * torch.randn(m.num_features, generator=generator))
            m.bias.data.copy_(0.2 * torch.randn(m.num_features, generator=generator))
            m.num_batches_tracked.fill_(12)


def voice(seconds=1.0, rate=16000):
    """A gliding harmonic tone with a syllable envelope and a little noise: speech-like enough for a spectrogram."""
    t = np.arange(int(seconds * rate)) / rate
    f0 = 140 + 40 * np.sin(2 * math.pi * 1.5 * t)
    phase = 2 * math.pi * np.cumsum(f0) / rate
    x = sum(np.sin(k * phase) / k for k in range(1, 12))
    x *= 0.5 * (1 - np.cos(2 * math.pi * 4 * t)) * 0.2
    x += 0.003 * np.random.default_rng(5).standard_normal(len(t))
    return np.clip(x, -1, 1)


def write_wav(path, samples, rate=16000):
    pcm = np.round(samples * 32767).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())


def seed_log_mel(path):
    """The seed's front end: load, pad to 3 s, MelSpectrogram(1024, 640, 320, 128 mels, HTK), AmplitudeToDB."""
    waveform, rate = torchaudio.load(path)
    assert rate == 16000
    waveform = waveform.mean(dim=0)
    padded = torch.zeros(3 * 16000)
    padded[: min(len(waveform), len(padded))] = waveform[: len(padded)]
    mel = torchaudio.transforms.MelSpectrogram(sample_rate=16000, n_fft=1024, win_length=640, hop_length=320,
                                               n_mels=128, f_min=0.0, f_max=8000.0, power=2.0, mel_scale="htk")
    return torchaudio.transforms.AmplitudeToDB(stype="power")(mel(padded))


def main():
    os.makedirs(OUT, exist_ok=True)
    generator = torch.Generator().manual_seed(2024)
    torch.manual_seed(2024)

    cnn = MelCNN(len(LABELS))
    with torch.no_grad():
        randomise_batch_norm(cnn, generator)
    cnn.eval()
    torch.save(cnn.state_dict(), os.path.join(OUT, "melcnn.pt"))

    wav = os.path.join(OUT, "clip.wav")
    write_wav(wav, voice())
    log_mel = seed_log_mel(wav)
    np.save(os.path.join(OUT, "clip.logmel.npy"), log_mel.numpy().astype(np.float32))
    with torch.no_grad():
        cnn_logits = cnn(log_mel[None, None])[0]

    mlp = HubertMLP(768, len(LABELS)).half()
    torch.save(mlp.state_dict(), os.path.join(OUT, "hubert_mlp.pt"))
    mlp = mlp.float().eval()
    embedding = torch.randn(768, generator=generator)
    np.save(os.path.join(OUT, "embedding.npy"), embedding.numpy().astype(np.float32))
    with torch.no_grad():
        mlp_logits = mlp(embedding[None])[0]

    with open(os.path.join(OUT, "logits.json"), "w") as f:
        json.dump({"labels": LABELS, "melcnn": cnn_logits.tolist(), "hubert_mlp": mlp_logits.tolist(),
                   "torch": torch.__version__, "torchaudio": torchaudio.__version__}, f, indent=1)


if __name__ == "__main__":
    main()
