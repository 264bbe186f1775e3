// ser kernel, feature encoder: group norm (one channel per group) + GELU, in place.
// CPU reference: KernelReference (kernels/src/test), checked by KernelChecks; built into ser_kernels.cu.

#include "common.cuh"

// Group norm with one channel per group (HuBERT base's first layer), affine, then exact GELU, in place.
// x [batch, channels, frames]; one block per (batch, channel) row. Statistics in two passes for accuracy.
SER_KERNEL void group_norm_gelu(float* __restrict__ x, const float* __restrict__ gamma,
                                const float* __restrict__ beta, int channels, int frames, float eps) {
    long row = blockIdx.x;
    int c = (int) (row % channels);
    float* r = x + row * frames;
    float s = 0.0f;
    for (int t = threadIdx.x; t < frames; t += blockDim.x) s += r[t];
    float mean = block_sum(s) / frames;
    float q = 0.0f;
    for (int t = threadIdx.x; t < frames; t += blockDim.x) { float d = r[t] - mean; q += d * d; }
    float inv = rsqrtf(block_sum(q) / frames + eps);
    float g = gamma[c] * inv, b = beta[c] - mean * g;
    for (int t = threadIdx.x; t < frames; t += blockDim.x) r[t] = gelu_exact(fmaf(r[t], g, b));
}
