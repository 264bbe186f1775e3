#!/usr/bin/env python3
"""Joins ser.cuda.GpuCheck's JSON (gpu-check.json: ops, fixtures, training; gpu-check-base.json: base, bench;
gpu-check-train.json: train-bench), ser.cuda.GpuBench's (gpu-bench.json: one row per kernel), bench_hubert_torch.py's
(torch-bench.json) and bench_melcnn_torch.py's (--torch-melcnn torch-melcnn.json) into one text report: the checks'
counts, the Mel CNN loss curves, base accuracy per precision beside PyTorch's own, our timings beside PyTorch eager's
(same GPU, same weights, same run): HuBERT forward and the Mel CNN training step; and the kernel table.

    python3 tools/reference/gpu_report.py [--torch-melcnn torch-melcnn.json] report.txt torch-bench.json gpu-check.json
        [gpu-check-base.json gpu-bench.json gpu-check-train.json ...]
"""
import json
import sys


def load(f, empty):
    try:
        return json.load(open(f))
    except (OSError, ValueError, TypeError):
        return empty


def melcnn_lines(ours, torch_melcnn):
    lines = []
    training = ours.get("training")
    if isinstance(training, dict) and "error" in training:
        lines.append(f"section training FAILED: {training['error']}")
    elif isinstance(training, dict):
        rows = training.get("ops", [])
        bad = [r["name"] for r in rows if not r.get("passed")]
        lines.append(f"training ops: {len(rows) - len(bad)} of {len(rows)} passed" + (": failed " + "; ".join(bad[:8]) if bad else ""))
        run = training.get("melcnn", {})
        if run:
            lines.append("")
            lines.append("Mel CNN, %s steps of %s (lr %s) at batch %s: loss before each update, CPU (SIMD kernels) and CudaOps"
                         % (run.get("steps"), run.get("optimizer"), run.get("lr"), run.get("batch")))
            lines.append("  %-10s %s" % ("cpu", " ".join("%.5f" % v for v in run.get("cpu_losses", []))))
            for g in run.get("gpu", []):
                lines.append("  %-4s %-5s %s" % ("ok" if g.get("passed") else "FAIL", g.get("precision"),
                                                 " ".join("%.5f" % v for v in g.get("losses", []))))
                lines.append("  %-10s %s   (worst %.1e, tol %.0e; parameters after: worst rel %s in %s)" % (
                    "  rel", " ".join("%.1e" % v for v in g.get("relative_per_step", [])), float(g.get("relative", "nan")),
                    g.get("tolerance"), "%.1e" % float(g.get("state_worst_relative", "nan")), g.get("state_worst_tensor")))
    bench = ours.get("train-bench")
    if isinstance(bench, dict) and "error" in bench:
        lines.append(f"section train-bench FAILED: {bench['error']}")
    elif isinstance(bench, list) and bench:
        t = {(r["precision"], r["batch"]): r for r in torch_melcnn.get("runs", [])}
        lines.append("")
        lines.append("Mel CNN training step (forward, cross-entropy, backward, clipping, Adam, ending with a download), wall time,")
        lines.append("median; ours on CudaOps, PyTorch %s eager (synchronized before each clock read)" % torch_melcnn.get("torch"))
        lines.append("%-5s %5s %10s %10s %11s %12s %11s" % ("prec", "batch", "ours ms", "torch ms", "ours/torch",
                                                         "ours ex/s", "torch ex/s"))
        for r in bench:
            p = t.get((r["precision"], r["batch"]))
            lines.append("%-5s %5d %10.2f %10s %11s %12.1f %11s" % (
                r["precision"], r["batch"], r["median_ms"], "%.2f" % p["median_ms"] if p else "-",
                "%.2f" % (r["median_ms"] / p["median_ms"]) if p else "-", r["examples_per_s"],
                "%.1f" % p["examples_per_s"] if p else "-"))
    return lines


def main():
    args = sys.argv[1:]
    torch_melcnn = {}
    if args[:1] == ["--torch-melcnn"]:
        torch_melcnn = load(args[1], {})
        args = args[2:]
    sys.argv = sys.argv[:1] + args
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
    lines.append(f"checks: {ours.get('passed')} passed, {ours.get('failed')} failed (GpuBench's failures: its kernels off the CPU)")
    for section in ("ops", "fixtures", "base"):
        rows = ours.get(section)
        if isinstance(rows, dict) and "error" in rows:
            lines.append(f"section {section} FAILED: {rows['error']}")
        elif isinstance(rows, list):
            bad = [r["name"] for r in rows if not r.get("passed")]
            lines.append(f"{section}: {len(rows) - len(bad)} of {len(rows)} passed" + (": failed " + "; ".join(bad[:8]) if bad else ""))
    lines.extend(melcnn_lines(ours, torch_melcnn))
    for a in torch.get("accuracy", []):
        lines.append("PyTorch %s on speech vs transformers CPU fp32: worst state rel %.3e" % (a["precision"], a["worst_relative"]))

    base = ours.get("base", [])
    if isinstance(base, list) and base:
        lines.append("")
        lines.append("HuBERT base on CudaOps, worst state (max |diff| / max |reference|):")
        for r in base:
            t = r.get("torch_worst_relative")
            lines.append("  %-4s %-66s %.3e (tol %.0e)%s" % ("ok" if r["passed"] else "FAIL", r["name"], float(r["worst_relative"]),
                                                          r["tolerance"], "   PyTorch's own: %.3e" % t if t is not None else ""))

    t = {(r["precision"], r["batch"]): r for r in torch.get("runs", [])}
    bench = ours.get("bench", [])
    if isinstance(bench, list) and bench:
        lines.append("")
        lines.append("HuBERT base, 3 s clips; ours: wall time of Hubert.forward on CudaOps, which ends with the download of the")
        lines.append("states (all 13, or the last); PyTorch eager: CUDA-event time, all states left on the GPU")
        lines.append("%-5s %5s %12s %12s %11s %10s %10s %11s" % ("prec", "batch", "ours all ms", "ours last ms", "torch ms",
                                                              "ours xRT", "torch xRT", "torch/ours"))
        by = {}
        for r in bench:
            by.setdefault((r["precision"], r["batch"]), {})[r.get("states", "all")] = r
        for (prec, batch), s in by.items():
            a, l, p = s.get("all"), s.get("last"), t.get((prec, batch))
            lines.append("%-5s %5d %12s %12s %11s %10s %10s %11s" % (
                prec, batch, "%.2f" % a["median_ms"] if a else "-", "%.2f" % l["median_ms"] if l else "-",
                "%.2f" % p["median_ms"] if p else "-", "%.1f" % a["x_real_time"] if a else "-",
                "%.1f" % p["x_real_time"] if p else "-", "%.2f" % (p["median_ms"] / a["median_ms"]) if p and a else "-"))

    kernels = ours.get("kernels", [])
    if kernels:
        sz = ours.get("sizes", {})
        lines.append("")
        lines.append("kernels of CudaOps, HuBERT base sizes (batch %s x 3 s), wall time of queued launches; CPU: SimdOps" % sz.get("batch"))
        for k in kernels:
            if "gpu_tflops" in k:
                rate = "%8.1f TFLOP/s  CPU %9.3f ms %7.2f TFLOP/s" % (k["gpu_tflops"], k["cpu_ms"], k["cpu_tflops"])
            else:
                rate = "%8.1f GB/s     CPU %9.3f ms %7.1f GB/s" % (k["gpu_gb_s"], k["cpu_ms"], k["cpu_gb_s"])
            lines.append("  %-4s %-32s %-22s %9.4f ms %s  x%.1f" % ("ok" if k["check_passed"] else "FAIL", k["kernel"], k["shape"],
                                                                  k["gpu_ms"], rate, k["speedup"]))
    text = "\n".join(lines) + "\n"
    print(text)
    open(sys.argv[1], "w").write(text)


if __name__ == "__main__":
    main()
