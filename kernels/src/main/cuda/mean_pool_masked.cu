// ser kernel, pooling: mean over the valid frames.
// CPU reference: KernelReference (kernels/src/test), checked by KernelChecks; built into ser_kernels.cu.

#include "common.cuh"

// Mean over the valid frames: x [batch, t, dim] -> y [batch, dim].
SER_KERNEL void mean_pool_masked(const float* __restrict__ x, const int* __restrict__ lengths,
                                 float* __restrict__ y, int batch, int t, int dim) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (long) batch * dim) return;
    int d = (int) (i % dim), b = (int) (i / dim);
    int valid = lengths ? lengths[b] : t;
    float s = 0.0f;
    for (int f = 0; f < valid; f++) s += x[((long) b * t + f) * dim + d];
    y[i] = valid > 0 ? s / valid : 0.0f;
}
