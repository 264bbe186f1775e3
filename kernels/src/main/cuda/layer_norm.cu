// ser kernel, normalisation: layer norm.
// CPU reference: KernelReference (kernels/src/test), checked by KernelChecks; built into ser_kernels.cu.

#include "common.cuh"

// Layer norm over the last axis, in fp32 whatever the GEMM precision; one block per row. out may equal x.
SER_KERNEL void layer_norm(const float* __restrict__ x, float* __restrict__ out, const float* __restrict__ gamma,
                           const float* __restrict__ beta, int cols, float eps) {
    const float* r = x + (long) blockIdx.x * cols;
    float* o = out + (long) blockIdx.x * cols;
    float s = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) s += r[j];
    float mean = block_sum(s) / cols;
    float q = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) { float d = r[j] - mean; q += d * d; }
    float inv = rsqrtf(block_sum(q) / cols + eps);
    for (int j = threadIdx.x; j < cols; j += blockDim.x) o[j] = (r[j] - mean) * inv * gamma[j] + beta[j];
}
