#!/usr/bin/env bash
# Peak memory of the streamed `ser predict --window` and `ser embed` on long synthetic recordings, under a capped
# heap, next to the whole-file paths (docs/streaming.md). Inputs are made on the fly in $WORK (default /tmp/ser-stream).
#   bench/scripts/stream_memory.sh predict RUN_DIR [BEFORE_JAR]   30 min, 44.1 kHz stereo, --window $WINDOW (1.5) --hop 1, -Xmx256m
#   bench/scripts/stream_memory.sh embed [SECONDS]               600 s, 16 kHz, random-weight HuBERT base, -Xmx1g
# RUN_DIR: a trained run (ser demo --out DIR makes one in DIR/run). BEFORE_JAR: a ser.jar of the whole-file predict
# path, run on the same input to compare its lines and memory. Needs cli/target/ser.jar and bench/target/benchmarks.jar
# (mvn -o -pl cli,bench -am -DskipTests package) and GNU time (/usr/bin/time).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$root/tools/find-jdk.sh"
ser_find_jdk
work=${WORK:-/tmp/ser-stream}
mkdir -p "$work"
java=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss4m -XX:-UseCountedLoopSafepoints)
bench=("${java[@]}" -cp "$root/bench/target/benchmarks.jar")
after="$root/cli/target/ser.jar"

# Runs "$@" under GNU time; prints exit status, peak RSS and wall time on one line after the command's last stderr line.
measure() {
  local label=$1; shift
  /usr/bin/time -f "%x %M %e" -o "$work/time.txt" "$@" >"$work/$label.out" 2>"$work/$label.err" || true
  read -r status kb secs < <(tail -n 1 "$work/time.txt")
  printf '%-28s exit %s  peak RSS %5d MB  %6.1f s  %s\n' "$label" "$status" $((kb / 1024)) "$secs" \
    "$(grep -v '^WARNING' "$work/$label.err" | tail -n 1 | cut -c1-150)"
}

case "${1:-}" in
  predict)
    run=$2 before=${3:-} window=${WINDOW:-1.5}
    wav="$work/long-30min-44k-stereo.wav"
    [ -f "$wav" ] || "${bench[@]}" ser.bench.StreamInputs wav "$wav" 1800 44100 2
    ls -l "$wav"
    measure predict-streamed-256m "${java[@]}" -Xmx256m -jar "$after" predict --run "$run" --window "$window" --hop 1 "$wav"
    echo "  lines: $(wc -l <"$work/predict-streamed-256m.out")"
    measure predict-streamed-4g "${java[@]}" -Xmx4g -jar "$after" predict --run "$run" --window "$window" --hop 1 "$wav"
    if [ -n "$before" ]; then
      measure predict-whole-file-256m "${java[@]}" -Xmx256m -jar "$before" predict --run "$run" --window "$window" --hop 1 "$wav"
      measure predict-whole-file-4g "${java[@]}" -Xmx4g -jar "$before" predict --run "$run" --window "$window" --hop 1 "$wav"
      if [ -s "$work/predict-streamed-256m.out" ] && cmp -s "$work/predict-streamed-256m.out" "$work/predict-whole-file-4g.out"; then
        echo "  streamed lines == whole-file lines ($(wc -l <"$work/predict-whole-file-4g.out") lines)"
      else
        echo "  streamed lines DIFFER from the whole-file lines"
      fi
    fi
    ;;
  embed)
    seconds=${2:-600}
    wav="$work/long-${seconds}s-16k.wav" weights="$work/hubert-base-random.safetensors"
    [ -f "$wav" ] || "${bench[@]}" ser.bench.StreamInputs wav "$wav" "$seconds" 16000 1
    [ -f "$weights" ] || "${bench[@]}" ser.bench.StreamInputs hubert-base "$weights"
    ls -l "$wav" "$weights"
    measure "embed-chunked-1g-${seconds}s" "${java[@]}" -Xmx1g -jar "$after" embed "$wav" --weights "$weights" --pool mean \
      --out "$work/embed-chunked"
    measure "embed-whole-file-1g-${seconds}s" "${java[@]}" -Xmx1g -jar "$after" embed "$wav" --weights "$weights" --pool mean \
      --chunk-seconds 0 --out "$work/embed-whole"
    ;;
  *) echo "usage: $0 predict RUN_DIR [BEFORE_JAR] | embed [SECONDS]" >&2; exit 2 ;;
esac
