// Shared by every kernel file: headers, the SER_KERNEL macro, exact GELU, the block-wide sum.
#pragma once

#include <cuda_bf16.h>
#include <math_constants.h>

#define SER_KERNEL extern "C" __global__

__device__ __forceinline__ float gelu_exact(float x) {
    // The exact GELU of the reference (torch's default, approximate='none'): x * Phi(x).
    return 0.5f * x * (1.0f + erff(x * 0.70710678118654752f));
}

// Block-wide sum of one float per thread; blockDim.x must be a multiple of 32 and at most 1024.
__device__ float block_sum(float v) {
    __shared__ float partial[32];
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    __syncthreads();  // partial[] may still be read by a previous call
    if (lane == 0) partial[warp] = v;
    __syncthreads();
    int warps = blockDim.x >> 5;
    v = lane < warps ? partial[lane] : 0.0f;
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;  // every thread gets the total
}
