#!/usr/bin/env bash
# ser serve under load, beside the same work done by ser predict processes, in one run:
#   bench/serve.sh [N1 N8 N64 [SECONDS]]   requests at concurrency 1, 8 and 64 (default 34 136 272), each level
#                                          stopped after SECONDS (default 60) whatever it has sent
# The files: 17 synthetic 3 s clips (bench/scripts/make_cli_inputs.py); the model: the seed recipe (MelCNN on
# 128 x 151 log-Mel) trained for one epoch on them. Baselines: one `ser predict` process per file, and one
# `ser predict` process over all files. The server runs as a user runs it (./ser serve, loopback, default limits);
# the load client (bench/src/main/java/ser/bench/ServeLoad.java, run from source) checks that every request got an
# answer and that every answer equals ser predict's line for that file. Stopped with SIGTERM at the end.
# Writes bench/results/serve-<UTC stamp>.txt. Run on a quiet machine.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
. tools/find-jdk.sh
ser_find_jdk
n1=${1:-34}; n8=${2:-136}; n64=${3:-272}; seconds=${4:-60}
./ser --version >/dev/null   # builds the jar when missing
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
"$py" bench/scripts/make_cli_inputs.py "$work"
rm -f "$work/hour.wav"
./ser train --config config/train-mel-seed.yaml --data "$work/corpus" --out "$work/run" --set training.epochs=1 \
  --set 'split={kind: speakers, val_speakers: 1, test_speakers: 1}' >/dev/null 2>&1
mkdir "$work/files"
cp "$work"/corpus/*.wav "$work/clip-3s.wav" "$work/files/"
files=$(ls "$work/files" | wc -l)
now() { date +%s.%N; }

# Baselines, run in the files' folder so that "file" is the bare name, as the server's ?name= gives it.
cd "$work/files"
t0=$(now)
"$root/ser" predict --run "$work/run" *.wav >"$work/one-process.jsonl" 2>/dev/null
t1=$(now)
for f in *.wav; do "$root/ser" predict --run "$work/run" "$f" >>"$work/per-file.jsonl" 2>/dev/null; done
t2=$(now)
cd "$root"
cmp -s <(sort "$work/one-process.jsonl") <(sort "$work/per-file.jsonl") || { echo "ser predict: per-file and one-process lines differ" >&2; exit 1; }
one_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
per_s=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.2f", b - a }')

# The server: port 0, its port read from the line it prints; the start-up timed to its first healthy answer.
t3=$(now)
./ser serve --run "$work/run" --port 0 2>"$work/serve.err" &
server=$!
port=""
for _ in $(seq 600); do
  port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/serve.err")
  [ -n "$port" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.err" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "ser serve did not start" >&2; exit 1; }
url="http://127.0.0.1:$port"
until curl -sf "$url/healthz" >/dev/null; do sleep 0.05; done
t4=$(now)
start_s=$(awk -v a="$t3" -v b="$t4" 'BEGIN { printf "%.2f", b - a }')
# Warm-up, not reported: one pass over the files at concurrency 4 (the JIT compiles the model's kernels).
"$JAVA_HOME/bin/java" bench/src/main/java/ser/bench/ServeLoad.java "$url" "$work/files" "$work/one-process.jsonl" \
  4 "$files" "$seconds" >/dev/null
status=0
"$JAVA_HOME/bin/java" bench/src/main/java/ser/bench/ServeLoad.java "$url" "$work/files" "$work/one-process.jsonl" \
  1,8,64 "$n1,$n8,$n64" "$seconds" >"$work/load.tsv" 2>"$work/load.err" || status=$?
curl -s "$url/metrics" >"$work/metrics.txt"
kill -TERM "$server"
wait "$server" || true
server=""
stopped=$(tail -1 "$work/serve.err")

stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p bench/results
out="bench/results/serve-$stamp.txt"
{
  echo "# bench/serve.sh $n1 $n8 $n64 $seconds, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# $files files of 3 s; seed MelCNN recipe; server defaults (--max-batch 16 --max-wait-ms 5); clips/s ratios to the two ser predict baselines"
  echo "# server start-up to its first healthy answer: $start_s s, then a warm-up pass over the files; neither is in the serve rows (paid once)"
  {
    printf 'mode\trequests\tok\tlost\twall_s\tclips_per_s\tx_per_file_procs\tx_one_proc\tp50_ms\tp99_ms\n'
    awk -v n="$files" -v s="$per_s" 'BEGIN { printf "ser predict, one process per file\t%d\t%d\t0\t%s\t%.2f\t1.00\t-\t-\t-\n", n, n, s, n / s }'
    awk -v n="$files" -v s="$one_s" -v p="$per_s" 'BEGIN { printf "ser predict, one process, all files\t%d\t%d\t0\t%s\t%.2f\t%.2f\t1.00\t-\t-\n", n, n, s, n / s, p / s }'
    awk -F'\t' -v n="$files" -v s1="$one_s" -v p="$per_s" 'NR > 1 {
      printf "ser serve, concurrency %d\t%d\t%d\t%d\t%s\t%s\t%.1f\t%.1f\t%s\t%s\n", $1, $2, $4, $2 - $3, $7, $8, $8 / (n / p), $8 / (n / s1), $9, $10 }' "$work/load.tsv"
  } | column -t -s $'\t'
  echo "# lost = sent without an answer; ok = status 200 and equal to ser predict's line for that file"
  echo "# batches: $(grep '^ser_batch_size_count' "$work/metrics.txt" | cut -d' ' -f2) for $(grep '^ser_batch_size_sum' "$work/metrics.txt" | cut -d' ' -f2) clips"
  echo "# on SIGTERM: $stopped"
  [ -s "$work/load.err" ] && sed 's/^/# load client: /' "$work/load.err"
  true
} | tee "$out"
exit "$status"
