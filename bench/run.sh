#!/usr/bin/env bash
# Runs JMH benchmarks on JDK 25 and keeps machine-readable results.
#   bench/run.sh                      every benchmark
#   bench/run.sh LogMelBench FftBench only those (JMH regexes)
# Results: bench/results/<timestamp>.json (JMH JSON) and .txt (the human summary JMH prints).
# Run on a quiet machine: JMH measures wall time, and other load shows up in the numbers.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/tools/find-jdk.sh"
ser_find_jdk
cd "$root"
mvn -q -B -ntp -pl bench -am -DskipTests package
mkdir -p bench/results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar \
  -rf json -rff "bench/results/$stamp.json" "$@" 2>&1 | tee "bench/results/$stamp.txt"
echo "results: bench/results/$stamp.json"
