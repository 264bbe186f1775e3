#!/usr/bin/env python3
"""PyTorch eager peer of ser.cuda.GpuCheck's timing: transformers.HubertModel on the GPU, the same weights
(the folder make_hubert_gpu_weights.py saved), batches of 3 s clips, fp32 / tf32 / bf16 autocast, all hidden
states returned (output_hidden_states=True, as ours returns them), timed with CUDA events after warm-ups.

    python3 tools/reference/bench_hubert_torch.py HF_DIR --out torch-bench.json [--batches 1,8,64]
        [--speech a.wav,b.wav --reference ref.npy]   (also PyTorch's own error per precision on those clips)
"""
import argparse
import json
import os
import statistics
import time

import torch
import transformers
from transformers import HubertModel


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("hf_dir")
    ap.add_argument("--out", required=True)
    ap.add_argument("--batches", default="1,8,64")
    ap.add_argument("--precisions", default="fp32,tf32,bf16")
    ap.add_argument("--samples", type=int, default=48000)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=10)
    ap.add_argument("--speech", default="", help="WAV files for the accuracy check, as make_hubert_gpu_weights.py")
    ap.add_argument("--reference", default="", help="its CPU float32 hidden states of those files (npy)")
    args = ap.parse_args()

    dev = torch.device("cuda")
    try:
        model = HubertModel.from_pretrained(args.hf_dir).to(dev).eval()
        weights = args.hf_dir
    except Exception as e:  # the same model make_hubert_gpu_weights.py saves: its seed, the library's init
        print(f"from_pretrained({args.hf_dir}) failed ({e!r}); building HubertModel(HubertConfig()) with seed 0", flush=True)
        from transformers import HubertConfig
        torch.manual_seed(0)
        model = HubertModel(HubertConfig()).to(dev).eval()
        weights = "HubertModel(HubertConfig()), torch.manual_seed(0)"
    report = {"torch": torch.__version__, "transformers": transformers.__version__,
              "device": torch.cuda.get_device_name(0), "attn_implementation": model.config._attn_implementation,
              "weights": weights, "samples_per_clip": args.samples, "runs": []}
    print(f"torch {torch.__version__}, transformers {transformers.__version__}, {report['device']}, "
          f"attention '{model.config._attn_implementation}'", flush=True)
    speech = ref = None
    if args.speech and args.reference and os.path.exists(args.reference):
        import numpy as np
        from make_hubert_gpu_weights import read_wav
        speech = torch.from_numpy(np.stack([read_wav(f, args.samples) for f in args.speech.split(",") if f])).to(dev)
        ref = np.load(args.reference)
        report["accuracy"] = []
    for precision in args.precisions.split(","):
        tf32 = precision == "tf32"
        torch.backends.cuda.matmul.allow_tf32 = tf32
        torch.backends.cudnn.allow_tf32 = tf32
        if speech is not None:
            # PyTorch's own error in this precision against transformers on the CPU in float32, measured as ours is:
            # per hidden state, max |difference| over max |reference|.
            with torch.inference_mode(), torch.autocast("cuda", dtype=torch.bfloat16, enabled=precision == "bf16"):
                states = model(speech, output_hidden_states=True).hidden_states
            rel = [float((s.float().cpu().numpy() - r).__abs__().max() / abs(r).max()) for s, r in zip(states, ref)]
            report["accuracy"].append({"precision": precision, "relative_per_state": rel, "worst_relative": max(rel)})
            print(f"torch {precision:5s} speech 2 x 3 s vs transformers CPU fp32: worst state rel {max(rel):.3e}", flush=True)
        for b in [int(v) for v in args.batches.split(",")]:
            g = torch.Generator().manual_seed(42)
            x = (0.1 * torch.randn(b, args.samples, generator=g)).to(dev)

            def forward():
                with torch.inference_mode(), torch.autocast("cuda", dtype=torch.bfloat16, enabled=precision == "bf16"):
                    return model(x, output_hidden_states=True).hidden_states

            t0 = time.time()
            for _ in range(args.warmup):
                forward()
            torch.cuda.synchronize()
            warm = time.time() - t0
            runs = []
            for _ in range(args.repeats):
                start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                start.record()
                forward()
                end.record()
                end.synchronize()
                runs.append(start.elapsed_time(end))
            med = statistics.median(runs)
            r = {"precision": precision, "batch": b, "median_ms": med, "min_ms": min(runs), "runs_ms": runs,
                 "x_real_time": b * args.samples / 16000 / (med / 1000), "warmup_s": warm}
            report["runs"].append(r)
            print(f"torch {precision:5s} batch {b:3d}: median {med:8.2f} ms (min {min(runs):8.2f}), "
                  f"{r['x_real_time']:8.1f}x real time", flush=True)
            del x
            torch.cuda.empty_cache()
    with open(args.out, "w") as f:
        json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
