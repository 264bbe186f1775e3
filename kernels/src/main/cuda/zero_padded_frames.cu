// ser kernel, masking: zero the frames beyond each length.
// CPU reference: KernelReference (kernels/src/test), checked by KernelChecks; built into ser_kernels.cu.

#include "common.cuh"

// Zeroes the frames of each sequence at or beyond its length: x [batch, t, dim].
SER_KERNEL void zero_padded_frames(float* __restrict__ x, const int* __restrict__ lengths, int batch, int t, int dim) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (long) batch * t * dim) return;
    int s = (int) ((i / dim) % t), b = (int) (i / ((long) dim * t));
    if (s >= lengths[b]) x[i] = 0.0f;
}
