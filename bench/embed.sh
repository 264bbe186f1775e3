#!/usr/bin/env bash
# ser embed (HuBERT base) in its steady state as a whole process, against ONNX Runtime Java on the same model and
# files in one process, in one run:
#   bench/embed.sh [FILES 40] [WARM 8]
# ser embed's steady state is (T(FILES) - T(WARM)) / (FILES - WARM) over two whole processes, which takes start-up,
# weight loading and JIT warm-up out; ONNX Runtime's is its time over the files after the first WARM, in process
# (ser.bench.OnnxEmbed, as many intra-op threads as cores). Both run one 3 s file a pass. Needs the exported model
# and the same weights in the engine's format: /usr/bin/python3 tools/reference/export_hubert_onnx.py (or
# ONNX_DIR=DIR holding hubert_base.onnx and hubert-base.safetensors). Writes bench/results/embed-<stamp>.txt.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
files=${1:-40} warm=${2:-8}
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
t_warm=$(embed "$work/warm"); t_all=$(embed "$work/all")
t_warm2=$(embed "$work/warm"); t_all2=$(embed "$work/all")
ort=$("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -Dser.hubert.onnx="$onnx" \
  -cp bench/target/benchmarks.jar ser.bench.OnnxEmbed "$work/all" "$cores" "$warm")
ort2=$("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -Dser.hubert.onnx="$onnx" \
  -cp bench/target/benchmarks.jar ser.bench.OnnxEmbed "$work/all" "$cores" "$warm")
mkdir -p bench/results
awk -v f="$files" -v w="$warm" -v tw="$t_warm" -v ta="$t_all" -v tw2="$t_warm2" -v ta2="$t_all2" -v o1="$ort" -v o2="$ort2" \
    -v stamp="$(date -u '+%Y-%m-%d %H:%M UTC')" -v cores="$cores" -v load0="$load0" -v load1="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
  s1 = (ta - tw) / (f - w); s2 = (ta2 - tw2) / (f - w); s = (s1 < s2 ? s1 : s2); o = (o1 < o2 ? o1 : o2)
  printf "# bench/embed.sh %d %d, %s, %d cores, load %s -> %s\n", f, w, stamp, cores, load0, load1
  printf "# HuBERT base, one 3 s file a pass; best of two runs each; ratio: ONNX Runtime time / ser embed time\n"
  printf "%-52s %10s %12s\n", "job", "s/file", "x real time"
  printf "%-52s %10.4f %12.1f\n", "ser embed, whole process, steady state", s, 3 / s
  printf "%-52s %10.4f %12.1f\n", "ONNX Runtime Java, in process, " cores " threads", o, 3 / o
  printf "ratio %.2f\n", o / s
  printf "# ser embed wall: %d files %.2f s and %.2f s; %d files %.2f s and %.2f s\n", w, tw, tw2, f, ta, ta2
}' | tee "bench/results/embed-$stamp.txt"
