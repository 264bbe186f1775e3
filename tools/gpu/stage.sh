#!/usr/bin/env bash
# Stages what the GPU machine needs into CHECKOUT/.gpu (ignored through .git/info/exclude), for the device tool's
# `carry: [".gpu"]`: a jlink-ed JDK 25 (no Java there), ser.jar (the cli shaded with the engine and kernels, the fatbin
# included), ser-kernels-tests.jar (kernels' test classes: the GPU harness GpuCheck, GpuBench, OpsChecks and the host
# twins of the kernels HostGpu, none of it in ser.jar), the scripts, two RAVDESS clips.
#   tools/gpu/stage.sh /work/main     (after: mvn -B -ntp -pl kernels,cli -am -DskipTests package)
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dst=${1:?checkout}/.gpu
jdk=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
# info/exclude through git, so that a worktree (whose .git is a file) finds its repository's
# (a folder that is no checkout, for a dry run of the staging, gets .gpu/ alone)
if exclude=$(git -C "$1" rev-parse --path-format=absolute --git-path info/exclude 2>/dev/null); then
  mkdir -p "$(dirname "$exclude")"
  grep -qx '/.gpu/' "$exclude" 2>/dev/null || echo '/.gpu/' >> "$exclude"
fi
mkdir -p "$dst/tools" "$dst/shared/data/ravdess-16k/Actor_01" "$dst/shared/data/ravdess-16k/Actor_02"
[ -x "$dst/jdk/bin/java" ] || "$jdk/bin/jlink" --add-modules java.base,java.logging,jdk.unsupported,jdk.incubator.vector \
  --strip-java-debug-attributes --strip-native-debug-symbols objcopy=/usr/bin/objcopy --no-man-pages --no-header-files \
  --compress=zip-9 --output "$dst/jdk"
cp "$src/cli/target/ser.jar" "$dst/ser.jar"
tests=$(ls "$src"/kernels/target/ser-kernels-*-tests.jar 2>/dev/null | head -1 || true)
[ -n "$tests" ] || { echo "stage: no kernels/target/ser-kernels-*-tests.jar (package kernels with its tests compiled)" >&2; exit 1; }
cp "$tests" "$dst/ser-kernels-tests.jar"
cp "$src"/tools/reference/make_hubert_gpu_weights.py "$src"/tools/reference/bench_hubert_torch.py \
  "$src"/tools/reference/bench_melcnn_torch.py "$src"/tools/reference/make_melcnn_fixtures.py \
  "$src"/tools/reference/gpu_report.py "$dst/tools/"
cp "$src/tools/gpu/device-run.sh" "$dst/run.sh"
shared=${SER_SHARED:-/work/shared}
for f in Actor_01/03-01-05-01-01-01-01.wav Actor_02/03-01-06-02-01-01-02.wav; do
  cp "$shared/data/ravdess-16k/$f" "$dst/shared/data/ravdess-16k/$f"
done
unzip -l "$dst/ser.jar" ser/cuda/ser_kernels.fatbin >/dev/null 2>&1 || { echo "stage: ser.jar has no fatbin (nvcc missing when kernels was built?)" >&2; exit 1; }
for c in GpuCheck GpuBench OpsChecks TrainingOpsChecks MelCnnTraining; do
  unzip -l "$dst/ser-kernels-tests.jar" ser/cuda/$c.class >/dev/null 2>&1 || { echo "stage: ser-kernels-tests.jar has no ser/cuda/$c.class" >&2; exit 1; }
done
du -sh "$dst"
