#!/usr/bin/env bash
# The cross-corpus protocol for one recipe and one run seed (docs/cross-corpus.md):
#   ravdess->emovo  train on RAVDESS (2 validation speakers), score every EMOVO clip
#   emovo->ravdess  train on EMOVO (1 validation speaker), score every RAVDESS clip
#   both            train on both, 1 validation and 2 test speakers held out of each corpus, scored per corpus
# Usage: tools/experiments/cross-corpus.sh RECIPE SEED OUT [--set KEY=VALUE ...]
# Env: RAVDESS, EMOVO (the corpora; default ../shared/data/...), SER (the launcher; default ./ser),
#      PROTOCOLS (default "ravdess-emovo emovo-ravdess both"), CACHE (feature cache; default OUT/../.features).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
recipe=$1 seed=$2 out=$3; shift 3
ravdess=${RAVDESS:-$root/../shared/data/ravdess-16k}
emovo=${EMOVO:-$root/../shared/data/emovo-16k/manifest.csv}
ser=${SER:-$root/ser}
cache=${CACHE:-$(dirname "$out")/.features}
mkdir -p "$out"
# ser's exit status 3 means "done, some inputs skipped and listed": a finished run
ser_ok() { "$ser" "$@" || [ $? -eq 3 ]; }
for p in ${PROTOCOLS:-ravdess-emovo emovo-ravdess both}; do
  run=$out/$p
  [ -f "$run/done" ] && continue
  rm -rf "$run"
  case $p in
    ravdess-emovo)
      ser_ok train --config "$recipe" --seed "$seed" --data "$ravdess" --out "$run" --cache "$cache" "$@" \
        --set 'split={kind: speakers, val_speakers: 2, test_speakers: 0, seed: 42}'
      ser_ok evaluate --run "$run" --data "$emovo" --split all --out "$run/eval-emovo" --cache "$cache" ;;
    emovo-ravdess)
      ser_ok train --config "$recipe" --seed "$seed" --data "$emovo" --out "$run" --cache "$cache" "$@" \
        --set 'split={kind: speakers, val_speakers: 1, test_speakers: 0, seed: 42}'
      ser_ok evaluate --run "$run" --data "$ravdess" --split all --out "$run/eval-ravdess" --cache "$cache" ;;
    both)
      ser_ok train --config "$recipe" --seed "$seed" --data "$ravdess" --data "$emovo" --out "$run" --cache "$cache" "$@" \
        --set 'split={kind: speakers, val_speakers: 1, test_speakers: 2, per_corpus: true, seed: 42}' ;;
  esac > "$run.log" 2>&1
  touch "$run/done"
done
