#!/usr/bin/env python3
"""Base-size HuBERT for the GPU checks (ser.cuda.GpuCheck), and transformers' hidden states as a second reference.

Builds transformers.HubertModel(HubertConfig()) (hubert-base shapes) with torch.manual_seed(0) random weights
(the library's own initialisation), saves it with save_pretrained (config.json + model.safetensors) into OUT_DIR,
for `ser convert OUT_DIR --out W.safetensors` to turn into the engine's weights file. With --speech, also runs
the model in float32 on the CPU over those WAV files (16 kHz mono 16-bit; the first --samples samples of each,
zero-padded if shorter, int16 / 32768 as the engine reads them) as one batch, with output_hidden_states=True,
and writes the states as float32 npy [layers + 1, batch, frames, hidden] to --reference.

Run where torch 2.x and transformers 5.x are installed (the GPU machine's python3):

    python3 tools/reference/make_hubert_gpu_weights.py OUT_DIR --speech a.wav,b.wav --reference ref.npy
"""
import argparse
import json
import os
import time
import wave

import numpy as np
import torch
import transformers
from transformers import HubertConfig, HubertModel


def read_wav(path, samples):
    with wave.open(path, "rb") as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1 and w.getframerate() == 16000, path
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
    out = np.zeros(samples, dtype=np.float32)
    out[: min(samples, len(data))] = data[:samples]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--speech", default="")
    ap.add_argument("--samples", type=int, default=48000)
    ap.add_argument("--reference", default="")
    args = ap.parse_args()

    t0 = time.time()
    torch.manual_seed(args.seed)
    model = HubertModel(HubertConfig()).eval()
    try:
        model.save_pretrained(args.out_dir)  # model.safetensors
    except Exception as e:  # the same tensors under the same names, written directly
        print(f"save_pretrained failed ({e!r}); writing model.safetensors with safetensors.torch", flush=True)
        from safetensors.torch import save_file
        os.makedirs(args.out_dir, exist_ok=True)
        save_file({k: v.contiguous() for k, v in model.state_dict().items()},
                  os.path.join(args.out_dir, "model.safetensors"))
    # Every key, defaults included: the converter reads sizes from config.json and must not depend on which
    # defaults a transformers version leaves out of its diff.
    with open(os.path.join(args.out_dir, "config.json"), "w") as f:
        json.dump(json.loads(model.config.to_json_string(use_diff=False)), f, indent=1)
    params = sum(p.numel() for p in model.parameters())
    print(f"transformers {transformers.__version__}, torch {torch.__version__}: HubertModel(HubertConfig()), "
          f"seed {args.seed}, {params / 1e6:.1f} M parameters, saved to {args.out_dir} in {time.time() - t0:.1f} s",
          flush=True)

    if args.speech and args.reference:
        files = [f for f in args.speech.split(",") if f]
        x = torch.from_numpy(np.stack([read_wav(f, args.samples) for f in files]))
        t0 = time.time()
        with torch.inference_mode():
            out = model(x, output_hidden_states=True)
        states = torch.stack(out.hidden_states).float().numpy()
        np.save(args.reference, states)
        with open(os.path.splitext(args.reference)[0] + ".json", "w") as f:
            json.dump({"files": files, "samples": args.samples, "shape": list(states.shape),
                       "attn_implementation": model.config._attn_implementation,
                       "max_abs_per_state": [float(np.abs(s).max()) for s in states]}, f, indent=1)
        print(f"reference hidden states {list(states.shape)} (CPU float32, "
              f"attention '{model.config._attn_implementation}') in {time.time() - t0:.1f} s -> {args.reference}",
              flush=True)


if __name__ == "__main__":
    main()
