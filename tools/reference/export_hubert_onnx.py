#!/usr/bin/python3
"""The ONNX Runtime peer of ser.bench.HubertBench: the same random-weight hubert_base that make_hubert_fixtures.py
--base dumps (torchaudio 0.13, seed 5), exported to ONNX, and the same weights as an engine safetensors file.

Run with Debian's python (torch 1.13, torchaudio 0.13) from anywhere:

    /usr/bin/python3 tools/reference/export_hubert_onnx.py

Writes into the ignored tools/reference/out/hubert-base-onnx/:
  hubert_base.onnx          input "waveforms" [batch, samples] float32 (16 kHz, not normalised), output
                            "last_hidden_state" [batch, frames, 768]; batch and time axes dynamic; opset 17
  torchaudio.pt             the state dict
  hubert-base.safetensors   the engine's weights file, written by `ser convert torchaudio.pt` (the launcher builds
                            the engine first if it has to)
"""
import os
import subprocess

import torch
from torchaudio.models import hubert_base

from make_hubert_fixtures import OUT, ROOT, randomise

DIR = os.path.join(OUT, "hubert-base-onnx")


def main():
    torch.set_num_threads(2)
    os.makedirs(DIR, exist_ok=True)
    model = hubert_base().eval()
    randomise(model, 5)  # the seed make_hubert_fixtures.py --base uses: the same weights as its dumps
    state = os.path.join(DIR, "torchaudio.pt")
    torch.save(model.state_dict(), state)

    class LastHiddenState(torch.nn.Module):
        """torchaudio's forward returns (features, lengths); the export wants the tensor alone."""

        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, waveforms):
            return self.inner(waveforms)[0]

    onnx = os.path.join(DIR, "hubert_base.onnx")
    example = torch.randn(1, 48000) * 0.1
    with torch.no_grad():
        torch.onnx.export(LastHiddenState(model), (example,), onnx, opset_version=17,
                          input_names=["waveforms"], output_names=["last_hidden_state"],
                          dynamic_axes={"waveforms": {0: "batch", 1: "samples"},
                                        "last_hidden_state": {0: "batch", 1: "frames"}})
    print("wrote", onnx)

    weights = os.path.join(DIR, "hubert-base.safetensors")
    subprocess.run([os.path.join(ROOT, "ser"), "convert", state, "--out", weights], check=True)


if __name__ == "__main__":
    main()
