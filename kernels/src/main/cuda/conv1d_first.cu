// ser kernel, feature encoder: the first convolution, plain (one input channel, no bias).
// CPU reference: KernelReference (kernels/src/test), checked by KernelChecks; built into ser_kernels.cu.

#include "common.cuh"

// First convolution of the feature encoder: one input channel, no bias (HuBERT base).
// x [batch, samples], w [channels, kernel], y [batch, channels, frames]; frames = (samples - kernel) / stride + 1.
// Grid: blockIdx.x is the (batch, channel) row, blockIdx.y the tile of blockDim.x frames (32-bit index arithmetic).
SER_KERNEL void conv1d_first(const float* __restrict__ x, const float* __restrict__ w, float* __restrict__ y,
                             int batch, int samples, int channels, int kernel, int stride, int frames) {
    int t = blockIdx.y * blockDim.x + threadIdx.x;
    if (t >= frames) return;
    int row = blockIdx.x, c = row % channels, b = row / channels;
    const float* xs = x + (long) b * samples + (long) t * stride;
    const float* ws = w + (long) c * kernel;
    float acc = 0.0f;
    for (int k = 0; k < kernel; k++) acc = fmaf(ws[k], xs[k], acc);
    y[(long) row * frames + t] = acc;
}
