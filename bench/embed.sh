#!/usr/bin/env bash
# ser embed (HuBERT base) in its steady state as a whole process, against ONNX Runtime Java on the same model and
# files in one process, in one run:
#   bench/embed.sh [FILES 72] [WARM 8] [RUNS 3]
# ser embed's steady state is (T(FILES) - T(WARM)) / (FILES - WARM), the best of RUNS whole processes on each set of
# files, which takes start-up, weight loading and JIT warm-up out; ONNX Runtime's is its time over the files after the first WARM, in process
# (ser.bench.OnnxEmbed, as many intra-op threads as cores). Both run one 3 s file a pass. Needs the exported model
# and the same weights in the engine's format: /usr/bin/python3 tools/reference/export_hubert_onnx.py (or
# ONNX_DIR=DIR holding hubert_base.onnx and hubert-base.safetensors). Writes bench/results/embed-<stamp>.txt.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
files=${1:-72} warm=${2:-8} runs=${3:-3}
onnx=${ONNX_DIR:-tools/reference/out/hubert-base-onnx}
[ -f "$onnx/hubert_base.onnx" ] && [ -f "$onnx/hubert-base.safetensors" ] || {
  echo "bench/embed.sh: no $onnx/hubert_base.onnx: run /usr/bin/python3 tools/reference/export_hubert_onnx.py" >&2; exit 1; }
. tools/find-jdk.sh
ser_find_jdk
./ser --version >/dev/null
[ -f bench/target/benchmarks.jar ] || mvn -q -o -pl bench -am -DskipTests -Dser.aot.skip=true package
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/all" "$work/warm"
for i in $(seq "$files"); do
  out="$work/all/clip-$(printf %03d "$i").wav"
  "$JAVA_HOME/bin/java" -cp bench/target/benchmarks.jar ser.bench.StreamInputs wav "$out" 3 16000 1 2>/dev/null
done
# (every file holds the same speech-like sound: a forward pass over 3 s does the same work whatever the samples)
for f in $(ls "$work/all" | head -n "$warm"); do cp "$work/all/$f" "$work/warm/"; done
cores=$(nproc)
embed() { # embed DIR: wall seconds of one whole ser embed process
  /usr/bin/time -f %e -o "$work/t" ./ser embed "$1" --weights "$onnx/hubert-base.safetensors" --pool mean \
    --out "$work/out-$(basename "$1")" >/dev/null 2>"$work/err" || { tail -3 "$work/err" >&2; exit 1; }
  cat "$work/t"
}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
load0=$(cut -d' ' -f1-3 /proc/loadavg)
warm_runs="" all_runs="" ort_runs=""
for _ in $(seq "$runs"); do   # in turn, so that a change of load falls on all three
  warm_runs="$warm_runs $(embed "$work/warm")"
  all_runs="$all_runs $(embed "$work/all")"
  ort_runs="$ort_runs $("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
    -Dser.hubert.onnx="$onnx" -cp bench/target/benchmarks.jar ser.bench.OnnxEmbed "$work/all" "$cores" "$warm" 2>/dev/null)"
done
mkdir -p bench/results
awk -v f="$files" -v w="$warm" -v r="$runs" -v tw="$warm_runs" -v ta="$all_runs" -v to="$ort_runs" \
    -v stamp="$(date -u '+%Y-%m-%d %H:%M UTC')" -v cores="$cores" -v load0="$load0" -v load1="$(cut -d' ' -f1-3 /proc/loadavg)" '
function best(list,   a, n, i, m) { n = split(list, a, " "); m = a[1]; for (i = 2; i <= n; i++) if (a[i] + 0 < m + 0) m = a[i]; return m }
BEGIN {
  s = (best(ta) - best(tw)) / (f - w); o = best(to)
  printf "# bench/embed.sh %d %d %d, %s, %d cores, load %s -> %s\n", f, w, r, stamp, cores, load0, load1
  printf "# HuBERT base, one 3 s file a pass; ser embed: (best of %d whole processes on %d files - best on %d) / %d;\n", r, f, w, f - w
  printf "# ONNX Runtime: best of %d in-process runs over the files after the first %d; ratio: ONNX Runtime time / ser embed time\n", r, w
  printf "%-52s %10s %12s\n", "job", "s/file", "x real time"
  printf "%-52s %10.4f %12.1f\n", "ser embed, whole process, steady state", s, 3 / s
  printf "%-52s %10.4f %12.1f\n", "ONNX Runtime Java, in process, " cores " threads", o, 3 / o
  printf "ratio %.2f\n", o / s
  printf "# ser embed wall, %d files:%s s; %d files:%s s; ONNX Runtime s/file:%s\n", w, tw, f, ta, to
}' | tee "bench/results/embed-$stamp.txt"
