#!/usr/bin/env bash
# ser spark features against ser features on the same files, whole processes timed as a user runs them:
#   bench/spark.sh [SPEAKERS] [CLIPS] [SECONDS] [HUBERT_FILES]
# A synthetic corpus of SPEAKERS × 4 emotions × CLIPS clips of SECONDS s (default 4 × 4 × 3 s = 64 files) for log-Mel,
# its first HUBERT_FILES files (default 16) for HuBERT base with random weights (bench SparkInputs). Spark runs on
# local[1], local[2] and the two-worker standalone cluster of tools/spark-cluster.sh (1 core, 2 GB each). Spark's
# per-file overhead is measured apart from start-up, in one warm JVM (ser.spark.SparkOverhead): the job's marginal
# cost per file, (T(N files) - T(1 file)) / (N - 1), less the engine's own cost per file in a plain loop.
# Writes bench/results/spark-<UTC stamp>.txt (table) and .tsv (rows). Needs: ./ser, the spark and bench modules built
# (mvn -pl spark,bench -am -DskipTests -Dser.aot.skip=true package). One run per row: a quiet machine helps.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
. tools/find-jdk.sh
ser_find_jdk
speakers=${1:-4} clips=${2:-4} seconds=${3:-3} hubert_files=${4:-16}
./ser --version >/dev/null
[ -f bench/target/benchmarks.jar ] && [ -f spark/target/classpath.txt ] || {
  echo "bench/spark.sh: build first: mvn -pl spark,bench -am -DskipTests -Dser.aot.skip=true package" >&2; exit 1; }
work=$(mktemp -d)
cluster_dir="$work/cluster"
cleanup() { SER_SPARK_CLUSTER_DIR="$cluster_dir" tools/spark-cluster.sh stop || true; rm -rf "$work"; }
trap cleanup EXIT
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar \
  ser.bench.SparkInputs "$work" "$speakers" "$clips" "$seconds" hubert 2>/dev/null
n=$(($(wc -l <"$work/manifest.csv") - 1))
head -n $((hubert_files + 1)) "$work/manifest.csv" >"$work/manifest-hubert.csv"
head -n 2 "$work/manifest.csv" >"$work/manifest-one.csv"
weights="$work/hubert-base-random.safetensors"
# Executors hold HuBERT base (380 MB of weights, packed) beside Spark's own memory.
export SER_JAVA_OPTS="-Dspark.executor.memory=1500m -Dspark.ui.enabled=false"

stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p bench/results
tsv="bench/results/spark-$stamp.tsv"
printf 'job\tfiles\tseconds\n' >"$tsv"
# time_job NAME FILES COMMAND...: the wall time of one whole process, its output folder fresh
time_job() {
  local name=$1 files=$2; shift 2
  rm -rf "$work/out"
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >"$work/log" 2>&1 || { echo "$name failed:" >&2; tail -5 "$work/log" >&2; return 1; }
  t1=$(date +%s.%N)
  printf '%s\t%s\t%.2f\n' "$name" "$files" "$(echo "$t1 - $t0" | bc)" | tee -a "$tsv"
}
ser_mel() { ./ser features --data "$1" --kind mel --labels all --out "$work/out" "${@:2}"; }
spark_mel() { ./ser spark features --manifest "$1" --kind mel --out "$work/out" --master "$2"; }
ser_hubert() { ./ser features --data "$1" --kind hubert --weights "$weights" --labels all --out "$work/out"; }
spark_hubert() { ./ser spark features --manifest "$1" --kind hubert --weights "$weights" --out "$work/out" --master "$2"; }

time_job "ser features mel" "$n" ser_mel "$work/manifest.csv"
time_job "ser features mel --threads 1" "$n" ser_mel "$work/manifest.csv" --threads 1
time_job "spark mel local[1]" "$n" spark_mel "$work/manifest.csv" "local[1]"
time_job "spark mel local[2]" "$n" spark_mel "$work/manifest.csv" "local[2]"
time_job "ser features hubert" "$hubert_files" ser_hubert "$work/manifest-hubert.csv"
time_job "spark hubert local[1]" "$hubert_files" spark_hubert "$work/manifest-hubert.csv" "local[1]"
time_job "spark hubert local[2]" "$hubert_files" spark_hubert "$work/manifest-hubert.csv" "local[2]"
t0=$(date +%s.%N)
master=$(SER_SPARK_CLUSTER_DIR="$cluster_dir" SER_SPARK_WORKER_MEMORY=2g tools/spark-cluster.sh start)
printf '%s\t%s\t%.2f\n' "cluster start (not in the rows below)" 0 "$(echo "$(date +%s.%N) - $t0" | bc)" | tee -a "$tsv"
time_job "spark mel cluster 2x1" "$n" spark_mel "$work/manifest.csv" "$master"
time_job "spark hubert cluster 2x1" "$hubert_files" spark_hubert "$work/manifest-hubert.csv" "$master"

# In one warm JVM: Spark's cost per file against the engine's, apart from start-up (best of 3)
"$JAVA_HOME/bin/java" $(cat spark/target/classes/ser/spark/jvm-flags.txt) -Dspark.ui.enabled=false \
  -cp "$(ls spark/target/ser-spark-*.jar | head -1):$(cat spark/target/classpath.txt)" \
  ser.spark.SparkOverhead "$work/manifest.csv" "$work/manifest-one.csv" "$work/out" mel - 3 2>"$work/log" >"$work/overhead" \
  || { tail -5 "$work/log" >&2; exit 1; }

{
  echo "# bench/spark.sh $speakers $clips $seconds $hubert_files, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load before $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# $n files of $seconds s (log-Mel), $hubert_files of them for HuBERT base (random weights); wall time of whole processes"
  echo "# (JVM and Spark start-up included), one run each; ratio: to 'ser features' on the same files in this run"
  awk -F'\t' -v n="$n" '
    NR == 1 { next }
    { name[NR] = $1; files[NR] = $2; sec[NR] = $3 }
    $1 == "ser features mel" && $2 == n { mel = $3 }
    $1 == "ser features hubert" { hub = $3 }
    END {
      printf "%-40s %6s %9s %9s %8s\n", "job", "files", "seconds", "s/file", "ratio"
      for (i = 2; i <= NR; i++) {
        base = (name[i] ~ /hubert/) ? hub : mel
        ratio = files[i] > 0 && base > 0 ? sprintf("%.2f", sec[i] / base) : "-"
        perfile = files[i] > 0 ? sprintf("%.3f", sec[i] / files[i]) : "-"
        printf "%-40s %6d %9.2f %9s %8s\n", name[i], files[i], sec[i], perfile, ratio
      }
    }' "$tsv"
  echo
  cat "$work/overhead"
  echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "bench/results/spark-$stamp.txt"
