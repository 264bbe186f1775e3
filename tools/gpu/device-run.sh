#!/usr/bin/env bash
# Everything the GPU machine runs for the CUDA backend's checks and timings, in one call (docs/gpu.md).
# Staged by tools/gpu/stage.sh into .gpu/ of the checkout that travels (a jlink-ed JDK 25, ser.jar, kernels' test
# jar with the GPU harness, these scripts, two RAVDESS clips); run there from the repository root:  bash .gpu/run.sh
# Logs and results go to $OUT (at most 8 files: run.log, six JSON, report.txt); each step has its own time limit so a
# hang costs one step. Not yet run as it is (CudaOps's HuBERT bench at batch 64 and the Mel CNN steps at batch 128
# are the unknowns); the run before, of the deleted CudaHubert, took about 1-2 minutes on an H200. Expected here:
# step 1 about 1-2 minutes (its training section: the float64 reference kernels at the Mel CNN's sizes, about 10-30 s,
# and 10 steps of the Mel CNN at batch 16 on the CPU's SIMD kernels, about 5-20 s on 16 cores), step 3 under a
# minute (78 Mel CNN training steps, batches 32 and 128), step 4 under 30 s. The step limits add up to about 22
# minutes: they are for hangs; give the device call a timeout_s that leaves room for a second try (the whole session
# has 15 minutes), or run only the training steps (1 with --sections training, 3, 4) in a call of their own.
set -o pipefail
OUT=${OUT:-/tmp/ser-gpu-out}
mkdir -p "$OUT"
G=$PWD/.gpu
export PATH=$G/jdk/bin:$PATH PYTHONUNBUFFERED=1
log() { echo "[$(date -u +%T)] $*" | tee -a "$OUT/run.log"; }
step() { local limit=$1; shift; log "\$ $*"; timeout "$limit" "$@" 2>&1 | tee -a "$OUT/run.log"; local rc=$?; log "rc=$rc"; return $rc; }

# cuBLAS 13: the toolkit's, else the pip package's (nvidia-cublas), else wherever it is.
cublas=""
for d in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib; do [ -e "$d/libcublas.so.13" ] && { cublas=$d; break; }; done
[ -z "$cublas" ] && cublas=$(python3 -c "
import glob, os, site, sys
for r in site.getsitepackages() + sys.path:
    for p in glob.glob(os.path.join(r, 'nvidia', '**', 'libcublas.so.13*'), recursive=True):
        print(os.path.dirname(p)); raise SystemExit" 2>/dev/null)
[ -z "$cublas" ] && cublas=$(dirname "$(find / -xdev -name 'libcublas.so.13*' 2>/dev/null | head -1)")
export LD_LIBRARY_PATH=$cublas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
[ -d /usr/local/nvidia/lib64 ] && export LD_LIBRARY_PATH=$LD_LIBRARY_PATH:/usr/local/nvidia/lib64
log "cuBLAS from $cublas"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm,temperature.gpu --format=csv 2>&1 | tee -a "$OUT/run.log"

J=(java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss4m -Xmx40g)
# ser.jar (the product: the engine, and the CUDA backend CudaOps) and kernels' test classes (GpuCheck, GpuBench, OpsChecks)
CP=$G/ser.jar:$G/ser-kernels-tests.jar
S1=$G/shared/data/ravdess-16k/Actor_01/03-01-05-01-01-01-01.wav
S2=$G/shared/data/ravdess-16k/Actor_02/03-01-06-02-01-01-02.wav

# 1. every Ops method of CudaOps against ScalarOps (fp32; the GEMMs also in tf32, bf16), views included; the small
#    fixture models of the engine's tests on CudaOps against torchaudio's dumps and the CPU engine (no base weights
#    needed); every TrainingOps method of CudaOps against the float64 reference (fp32; linear and conv2d also in tf32,
#    bf16), and 10 SGD steps of the Mel CNN at batch 16 on CudaOps in each precision against the CPU's loss curve
step 240 "${J[@]}" -cp "$CP" ser.cuda.GpuCheck --out "$OUT" --tag gpu-check --sections ops,fixtures,training \
  --fixtures engine/src/test/resources/fixtures/hubert --shared "$G/shared"
# 2. one benchmark per kernel of CudaOps and cuBLAS's GEMM per precision, HuBERT base sizes, beside the CPU's time
step 90 "${J[@]}" -cp "$CP" ser.cuda.GpuBench --out "$OUT" --tag gpu-bench
# 3. one Mel CNN training step (Adam) on CudaOps, batches 32 and 128, each precision: median of 10 after 3 warm-ups
step 120 "${J[@]}" -cp "$CP" ser.cuda.GpuCheck --out "$OUT" --tag gpu-check-train --sections train-bench --train-batches 32,128
# 4. the same step in PyTorch eager on the same GPU (read by 9)
step 90 python3 "$G/tools/bench_melcnn_torch.py" --out "$OUT/torch-melcnn.json" --batches 32,128
# 5. base-size random weights (transformers, seed 0) and transformers' hidden states on two speech clips
step 180 python3 "$G/tools/make_hubert_gpu_weights.py" /tmp/hf-base --speech "$S1,$S2" --reference /tmp/transformers-ref.npy
# 6. our converter, as `ser convert` runs it
step 120 "${J[@]}" -jar "$G/ser.jar" convert /tmp/hf-base --out /tmp/hubert-base.safetensors
# 7. PyTorch eager on the same GPU and weights: timing, and its own error per precision on the two clips (read by 8)
step 200 python3 "$G/tools/bench_hubert_torch.py" /tmp/hf-base --out "$OUT/torch-bench.json" \
  --speech "$S1,$S2" --reference /tmp/transformers-ref.npy
# 8. base: Hubert on CudaOps vs the CPU engine vs transformers in each precision, then timing (batches 1, 8, 64 of 3 s)
step 300 "${J[@]}" -cp "$CP" ser.cuda.GpuCheck --out "$OUT" --tag gpu-check-base --sections base,bench \
  --weights /tmp/hubert-base.safetensors --speech "$S1,$S2" --reference /tmp/transformers-ref.npy \
  --torch-json "$OUT/torch-bench.json"
# the .txt twins of the JSON are in run.log already ($OUT brings back at most 8 files)
rm -f "$OUT/gpu-check.txt" "$OUT/gpu-bench.txt" "$OUT/gpu-check-base.txt" "$OUT/gpu-check-train.txt"
# 9. one report of it all
step 30 python3 "$G/tools/gpu_report.py" --torch-melcnn "$OUT/torch-melcnn.json" "$OUT/report.txt" "$OUT/torch-bench.json" \
  "$OUT/gpu-check.json" "$OUT/gpu-check-base.json" "$OUT/gpu-bench.json" "$OUT/gpu-check-train.json"
nvidia-smi --query-gpu=clocks.sm,temperature.gpu,memory.used --format=csv 2>&1 | tee -a "$OUT/run.log"
ls -la "$OUT" | tee -a "$OUT/run.log"
