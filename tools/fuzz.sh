#!/usr/bin/env bash
# Fuzzes the readers with Jazzer (docs/reliability.md, "Fuzzing"):
#   tools/fuzz.sh TARGET MINUTES
# TARGET is "all" or one of the names below; MINUTES may be a fraction (0.15 is 9 s). Each target runs in its own
# JVM, since Jazzer fuzzes one @FuzzTest per run. Findings fail the run, and Jazzer saves each finding's input
# under engine/src/test/resources/<package>/<Class>Inputs/<method>/, where plain `mvn test` replays it from then on.
# A summary line per target (executions, coverage, result) goes to stdout, the fuzzer's log to engine/target/fuzz/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/tools/find-jdk.sh"
ser_find_jdk
cd "$root"

targets=(
  AudioReaderFuzzTest#read
  SafetensorsFuzzTest#read
  TorchCheckpointFuzzTest#load
  TorchCheckpointFuzzTest#pickle
  NpyFuzzTest#read
  JsonFuzzTest#parse
  TrainConfigFuzzTest#parse
)
if [ $# -ne 2 ]; then
  echo "usage: tools/fuzz.sh TARGET MINUTES   (TARGET: all, or one of: ${targets[*]})" >&2
  exit 2
fi
if [ "$1" = all ]; then chosen=("${targets[@]}"); else chosen=("$1"); fi
seconds=$(awk -v m="$2" 'BEGIN { s = int(m * 60 + 0.5); print (s < 1 ? 1 : s) }')

mvn -q -B -ntp -pl engine -am test-compile >&2
mkdir -p engine/target/fuzz
failed=0
for target in "${chosen[@]}"; do
  log="engine/target/fuzz/${target/\#/.}.log"
  status=ok
  JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${seconds}s" mvn -B -ntp -o -pl engine surefire:test -Dtest="$target" \
    -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1 || { status=FINDING; failed=1; }
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  runs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$done_line")
  cov=$(sed -nE 's/.* cov: ([0-9]+) ft: ([0-9]+).*/\1 edges, \2 features/p' <<<"$done_line")
  echo "$target: ${seconds} s, ${runs:-?} executions, coverage ${cov:-?}: $status (log: $log)"
done
exit $failed
