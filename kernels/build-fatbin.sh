#!/usr/bin/env bash
# Builds src/main/cuda/ser_kernels.cu, the one translation unit that includes every kernel file there (one kernel or
# small family a file), into one fatbin (sm_80, sm_90 and PTX for newer GPUs) shipped as a jar resource.
# Called by the Maven build (kernels/pom.xml, phase generate-resources); by hand:
#   kernels/build-fatbin.sh kernels/src/main/cuda kernels/target/classes/ser/cuda
# Without nvcc the build goes on and the CUDA backend reports itself unavailable at run time.
set -euo pipefail
src=$1 out=$2
nvcc=${NVCC:-$(command -v nvcc || ls /usr/local/cuda/bin/nvcc /usr/local/cuda-*/bin/nvcc 2>/dev/null | sort -V | tail -1 || true)}
if [ -z "$nvcc" ] || [ ! -x "$nvcc" ]; then
  echo "[kernels] nvcc not found (set NVCC or install the CUDA toolkit): building without the CUDA fatbin" >&2
  exit 0
fi
mkdir -p "$out"
fatbin="$out/ser_kernels.fatbin"
# Rebuild only when a source (a kernel file or the shared header) is newer than the fatbin.
if [ -f "$fatbin" ] && [ -z "$(find "$src" \( -name '*.cu' -o -name '*.cuh' \) -newer "$fatbin" -print -quit)" ]; then exit 0; fi
echo "[kernels] $nvcc -> $fatbin" >&2
"$nvcc" -fatbin -O3 -std=c++17 \
  -gencode arch=compute_80,code=sm_80 \
  -gencode arch=compute_90,code=sm_90 \
  -gencode arch=compute_90,code=compute_90 \
  -o "$fatbin.tmp" "$src/ser_kernels.cu"
mv "$fatbin.tmp" "$fatbin"
