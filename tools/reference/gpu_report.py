#!/usr/bin/env python3
"""Joins ser.cuda.GpuCheck's gpu-check.json and bench_hubert_torch.py's JSON into one table (ours vs PyTorch eager,
same GPU, same weights, same run), printed and written as text.

    python3 tools/reference/gpu_report.py report.txt torch-bench.json gpu-check.json [gpu-check-base.json ...]
"""
import json
import sys


def main():
    ours = {"passed": 0, "failed": 0}
    for f in sys.argv[3:]:
        try:
            part = json.load(open(f))
        except (OSError, ValueError) as e:
            print(f"(no {f}: {e})")
            continue
        for k, v in part.items():
            if k in ("passed", "failed"):
                ours[k] += v
            else:
                ours[k] = v
    try:
        torch = json.load(open(sys.argv[2]))
    except (OSError, ValueError):
        torch = {"runs": []}
    lines = []
    dev = ours.get("device", {})
    lines.append(f"GPU: {dev.get('name')} (sm_{dev.get('compute_capability')}); "
                 f"torch {torch.get('torch')}, transformers {torch.get('transformers')}, "
                 f"attention '{torch.get('attn_implementation')}'")
    lines.append(f"checks: {ours.get('passed')} passed, {ours.get('failed')} failed")
    peak = ours.get("gemm_peak", {})
    if "fp32" in peak:
        lines.append("cuBLAS %s^3: fp32 %.1f, tf32 %.1f, bf16 %.1f TFLOP/s" % (
            peak.get("size"), peak.get("fp32", 0), peak.get("tf32", 0), peak.get("bf16", 0)))
    fc = ours.get("first_conv", {})
    if "conv1d_first" in fc:
        lines.append("first-conv kernels, batch %s x 3 s, ms per launch: %s" % (fc.get("batch"), ", ".join(
            "%s %.3f" % (k, v) for k, v in fc.items() if k != "batch" and isinstance(v, (int, float)))))
    for a in torch.get("accuracy", []):
        lines.append("PyTorch %s on speech vs transformers CPU fp32: worst state rel %.3e" % (a["precision"], a["worst_relative"]))
    t = {(r["precision"], r["batch"]): r for r in torch.get("runs", [])}
    lines.append("")
    lines.append("HuBERT base, all 13 hidden states, 3 s clips; median device time (CUDA events)")
    lines.append("%-5s %5s %11s %11s %10s %10s %8s %11s" % ("prec", "batch", "ours ms", "torch ms", "ours xRT",
                                                           "torch xRT", "ours TF/s", "torch/ours"))
    bench = ours.get("bench", [])
    for r in bench if isinstance(bench, list) else []:
        p = t.get((r["precision"], r["batch"]))
        lines.append("%-5s %5d %11.2f %11s %10.1f %10s %8.1f %11s" % (
            r["precision"], r["batch"], r["median_ms"], "%.2f" % p["median_ms"] if p else "-", r["x_real_time"],
            "%.1f" % p["x_real_time"] if p else "-", r["tflops"], "%.2f" % (p["median_ms"] / r["median_ms"]) if p else "-"))
    for r in bench if isinstance(bench, list) else []:
        lines.append("")
        lines.append(f"stages, {r['precision']} batch {r['batch']} (one profiled pass, {r['profiled_pass_ms']:.2f} ms):")
        for s in r["stages"]:
            lines.append("  %-36s %9.3f ms %5.1f%% %s" % (s["stage"], s["ms"], 100 * s["share"],
                                                         "%7.1f TFLOP/s" % s["tflops"] if "tflops" in s else ""))
    text = "\n".join(lines) + "\n"
    print(text)
    open(sys.argv[1], "w").write(text)


if __name__ == "__main__":
    main()
