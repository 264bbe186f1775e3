#!/usr/bin/env bash
# Whole commands, timed as a user runs them (JVM start-up, class loading, warm-up, I/O), beside their Python peers,
# in one run, so that every figure can be read as a ratio to a baseline measured minutes apart:
#   bench/cli.sh [N]        best of N runs per command (default 5; the one-hour jobs run 2 times)
# Writes bench/results/cli-<UTC stamp>.txt (the table) and .tsv (one row per job: best and every run, seconds, peak
# resident MB). Inputs are synthetic (bench/scripts/make_cli_inputs.py). The torchaudio peer needs Debian's
# python3-torchaudio; without it those rows are left out. Run on a quiet machine.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
n=${1:-5}
./ser --version >/dev/null   # builds the jar and its AOT cache when missing
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3   # Debian's, where python3-torchaudio installs
"$py" bench/scripts/make_cli_inputs.py "$work"
./ser train --config config/train-mel-seed.yaml --data "$work/corpus" --out "$work/run" --set training.epochs=1 \
  --set 'split={kind: speakers, val_speakers: 1, test_speakers: 1}' >/dev/null 2>&1
peer=yes
"$py" -c 'import torchaudio' 2>/dev/null || peer=no

stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p bench/results
tsv="bench/results/cli-$stamp.tsv"
printf 'job\tbest_s\tpeak_mb\truns_s\n' >"$tsv"

# time_job NAME RUNS COMMAND...: best wall time of RUNS whole-process runs, and the peak resident memory of that run
time_job() {
  local name=$1 runs=$2; shift 2
  local best="" mb="" all=""
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || { echo "$name failed: $(tail -1 "$work/err")" >&2; return 1; }
    read -r s kb <"$work/time"
    all="$all $s"
    if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$s; mb=$((kb / 1024)); fi
  done
  printf '%s\t%s\t%s\t%s\n' "$name" "$best" "$mb" "${all# }" >>"$tsv"
}

clip="$work/clip-3s.wav"; hour="$work/hour.wav"
time_job "ser mel, 3 s clip" "$n" ./ser mel "$clip" --out "$work/a.npy"
SER_NO_AOT=1 time_job "ser mel, 3 s clip, no AOT cache" "$n" ./ser mel "$clip" --out "$work/b.npy"
[ $peer = yes ] && time_job "torchaudio script, 3 s clip" "$n" "$py" bench/scripts/mel_command.py "$clip" "$work/c.npy"
time_job "ser predict, one 3 s clip" "$n" ./ser predict --run "$work/run" "$clip"
SER_NO_AOT=1 time_job "ser predict, one 3 s clip, no AOT cache" "$n" ./ser predict --run "$work/run" "$clip"
time_job "ser mel, one-hour recording" 2 ./ser mel "$hour" --out "$work/d.npy"
[ $peer = yes ] && time_job "torchaudio script, one-hour recording" 2 "$py" bench/scripts/mel_command.py "$hour" "$work/e.npy"

{
  echo "# bench/cli.sh $n, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# best wall time of whole processes; peak resident memory of that run"
  column -t -s $'\t' "$tsv"
} | tee "bench/results/cli-$stamp.txt"
