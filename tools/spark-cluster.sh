#!/usr/bin/env bash
# A Spark standalone cluster on this machine, for tests and bench/spark.sh: one Master and two Workers, each a JVM
# of its own, on loopback, from the jars Maven resolved for the spark module (no Spark distribution needed).
#   tools/spark-cluster.sh start    prints the master URL (spark://127.0.0.1:PORT) once both workers have registered
#   tools/spark-cluster.sh stop     stops the three JVMs this script started (by their recorded process ids)
# Settings (environment): SER_SPARK_CLUSTER_DIR (state, logs; default spark/target/cluster), SER_SPARK_PORT (7177),
# SER_SPARK_UI_PORT (8177), SER_SPARK_WORKER_CORES (1 each), SER_SPARK_WORKER_MEMORY (1g each).
# Needs the spark module built: mvn -pl spark -am -DskipTests package.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/tools/find-jdk.sh"
ser_find_jdk
state=${SER_SPARK_CLUSTER_DIR:-$root/spark/target/cluster}
port=${SER_SPARK_PORT:-7177}
ui=${SER_SPARK_UI_PORT:-8177}
cores=${SER_SPARK_WORKER_CORES:-1}
memory=${SER_SPARK_WORKER_MEMORY:-1g}
cp_file="$root/spark/target/classpath.txt"
flags_file="$root/spark/target/classes/ser/spark/jvm-flags.txt"

stop() {
  local f pid
  for f in "$state"/*.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    # Only a JVM this script started: its command line names the state directory's daemon.
    if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "org.apache.spark.deploy"; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
}

start() {
  [ -f "$cp_file" ] && [ -f "$flags_file" ] || {
    echo "spark-cluster: the spark module is not built: mvn -pl spark -am -DskipTests -Dser.aot.skip=true package" >&2; exit 1; }
  stop
  mkdir -p "$state/home/jars" "$state/logs"
  # SPARK_HOME/jars is where a Worker finds the jars for the executors it launches: Spark's, linked from Maven's
  # repository. The engine and the jobs' own classes come with each job (spark.jars / extraClassPath, ser.spark.Sessions).
  rm -f "$state/home/jars/"*.jar
  tr ':' '\n' <"$cp_file" | while read -r jar; do
    case "$jar" in "$root"/*|"") ;; *) ln -sf "$jar" "$state/home/jars/" ;; esac
  done
  export SPARK_HOME="$state/home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_DIRS="$state/tmp"
  # Spark's --add-opens (and the engine's flags) for the daemons; executors get theirs from Spark itself.
  local java=("$JAVA_HOME/bin/java" $(cat "$flags_file") -Xmx256m -cp "$state/home/jars/*")
  nohup "${java[@]}" -Dspark.master.rest.enabled=false org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port "$ui" \
    >"$state/logs/master.log" 2>&1 &
  echo $! >"$state/master.pid"
  for w in 1 2; do
    mkdir -p "$state/work-$w"
    nohup "${java[@]}" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores "$cores" --memory "$memory" \
      --webui-port 0 --work-dir "$state/work-$w" "spark://127.0.0.1:$port" >"$state/logs/worker-$w.log" 2>&1 &
    echo $! >"$state/worker-$w.pid"
  done
  # Up when the master's status page lists two ALIVE workers.
  for _ in $(seq 120); do
    alive=$(curl -s "http://127.0.0.1:$ui/json/" 2>/dev/null | grep -o '"state" *: *"ALIVE"' | wc -l || true)
    if [ "${alive:-0}" -ge 2 ]; then echo "spark://127.0.0.1:$port"; return 0; fi
    sleep 0.5
  done
  echo "spark-cluster: the workers did not register within 60 s; logs in $state/logs:" >&2
  tail -5 "$state"/logs/*.log >&2 || true
  stop
  exit 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: tools/spark-cluster.sh start|stop" >&2; exit 2 ;;
esac
