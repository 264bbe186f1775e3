#!/usr/bin/env bash
# Two builds' whole commands in turn, under the same load: a change measured against the code before it.
#   git worktree add /tmp/before REV && (cd /tmp/before && mvn -q -o -pl cli -am -DskipTests package)
#   bench/builds.sh /tmp/before [N]      N rounds (default 5), each running every job once with each build, in turn
# Jobs: ser mel on a 3 s clip and on a one-hour recording, ser predict on one clip, and one epoch of ser train on
# the synthetic corpus (the Mel CNN's forward and backward passes). In-process HuBERT is HubertBuilds' job.
# Writes bench/results/builds-<UTC stamp>.txt: per job, each build's median wall time and the median of the
# per-round ratios (before / after).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
before=$(cd "${1:?the before checkout, built}" && pwd)
n=${2:-5}
cd "$root"
./ser --version >/dev/null
"$before/ser" --version >/dev/null
# ./ser starts without its AOT cache when the jar is newer (a jar built with -Dser.aot.skip=true): not the command users run
for b in "$root" "$before"; do
  [ "$b/cli/target/ser.aot" -nt "$b/cli/target/ser.jar" ] || { echo "builds.sh: $b/cli/target/ser.aot is older than its ser.jar: rebuild with 'mvn -o -pl cli -am -DskipTests package'" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
"$py" bench/scripts/make_cli_inputs.py "$work"
./ser train --config config/train-mel-seed.yaml --data "$work/corpus" --out "$work/run" --set training.epochs=1 \
  --set 'split={kind: speakers, val_speakers: 1, test_speakers: 1}' >/dev/null 2>&1
clip="$work/clip-3s.wav"; hour="$work/hour.wav"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
raw="$work/raw.tsv"
: >"$raw"

# one BUILD JOB COMMAND...: wall seconds of one whole-process run, appended to the raw table
one() {
  local build=$1 job=$2; shift 2
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>"$work/err" || { echo "$job ($build) failed: $(tail -1 "$work/err")" >&2; exit 1; }
  t1=$(date +%s.%N)
  printf '%s\t%s\t%s\n' "$job" "$build" "$(echo "$t1 - $t0" | bc)" >>"$raw"
}

for round in $(seq "$n"); do
  for build in before after; do
    s=$([ $build = before ] && echo "$before/ser" || echo "$root/ser")
    one $build "ser mel, 3 s clip" "$s" mel "$clip" --out "$work/m-$build.npy"
    one $build "ser predict, one 3 s clip" "$s" predict --run "$work/run" "$clip"
    one $build "ser mel, one hour" "$s" mel "$hour" --out "$work/h-$build.npy"
    rm -rf "$work/t-$build"
    one $build "ser train, 1 epoch (Mel CNN)" "$s" train --config config/train-mel-seed.yaml --data "$work/corpus" \
      --out "$work/t-$build" --set training.epochs=1 --set 'split={kind: speakers, val_speakers: 1, test_speakers: 1}'
  done
done
cmp -s "$work/m-before.npy" "$work/m-after.npy" && same="identical" || same="DIFFERENT"

{
  echo "# bench/builds.sh $before $n, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# before: $(git -C "$before" log --oneline -1 | cut -c1-60); after: $(git log --oneline -1 | cut -c1-60)"
  echo "# ser mel outputs of the two builds: $same"
  "$py" - "$raw" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
jobs = list(dict.fromkeys(r[0] for r in rows))
print(f"{'job':32} {'before s':>9} {'after s':>9} {'before/after':>13}  quartiles of the per-round ratios")
for j in jobs:
    b = [float(r[2]) for r in rows if r[0] == j and r[1] == "before"]
    a = [float(r[2]) for r in rows if r[0] == j and r[1] == "after"]
    ratios = sorted(x / y for x, y in zip(b, a))
    q = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else [ratios[0]] * 3
    print(f"{j:32} {statistics.median(b):9.3f} {statistics.median(a):9.3f} {statistics.median(ratios):12.3f}x  {q[0]:.3f}-{q[2]:.3f}")
PY
} | tee "bench/results/builds-$stamp.txt"
