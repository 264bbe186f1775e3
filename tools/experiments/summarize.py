#!/usr/bin/env python3
"""Tables of the cross-corpus protocol (tools/experiments/cross-corpus.sh) from the runs' metrics.json files.

Usage: summarize.py DIR...   each DIR holds one recipe's runs as DIR/seed-N/{ravdess-emovo,emovo-ravdess,both}
Prints, per DIR, UAR / accuracy / macro-F1 as mean ± sample std over the seeds found, and writes nothing else.
With --json, prints one JSON object instead (what docs/cross-corpus.md's tables were made from).
"""
import glob, json, os, statistics, sys

CELLS = [
    ("RAVDESS→EMOVO", "ravdess-emovo/eval-emovo/metrics.json", None),
    ("EMOVO→RAVDESS", "emovo-ravdess/eval-ravdess/metrics.json", None),
    ("both→RAVDESS spk", "both/test/metrics.json", "ravdess-16k"),
    ("both→EMOVO spk", "both/test/metrics.json", "emovo-16k"),
]


def scores(path, corpus):
    with open(path) as f:
        m = json.load(f)
    if corpus is not None:
        m = m.get("per_corpus", {}).get(corpus)
        if m is None:
            return None
    return {k: m[k] for k in ("uar", "accuracy", "macro_f1")}


def cell(values):
    if not values:
        return "–"
    mean = statistics.mean(values)
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{100 * mean:.1f} ± {100 * sd:.1f}"


def summarize(d):
    out = {}
    seeds = sorted(glob.glob(os.path.join(d, "seed-*")))
    for name, rel, corpus in CELLS:
        per_seed = []
        for s in seeds:
            p = os.path.join(s, rel)
            if os.path.isfile(p):
                v = scores(p, corpus)
                if v:
                    per_seed.append(v)
        out[name] = {k: [v[k] for v in per_seed] for k in ("uar", "accuracy", "macro_f1")}
    loco = [statistics.mean(p) for p in zip(out["RAVDESS→EMOVO"]["uar"], out["EMOVO→RAVDESS"]["uar"])]
    out["LOCO mean UAR"] = {"uar": loco}
    return out


def main(args):
    as_json = "--json" in args
    dirs = [a for a in args if a != "--json"]
    result = {d: summarize(d) for d in dirs}
    if as_json:
        print(json.dumps(result, indent=1))
        return
    for d, r in result.items():
        n = len(r["RAVDESS→EMOVO"]["uar"])
        print(f"{d} ({n} seeds)")
        for name, v in r.items():
            line = f"  {name:18s} UAR {cell(v['uar'])}"
            if "accuracy" in v:
                line += f"  acc {cell(v['accuracy'])}  F1 {cell(v['macro_f1'])}"
            print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
