// ser kernel, attention: masked softmax, one block a row and one warp a row.
// CPU reference: KernelReference (kernels/src/test), checked by KernelChecks; built into ser_kernels.cu.

#include "common.cuh"

// Scaled softmax over attention scores with the key padding mask, in place.
// scores [batch, heads, tq, tk]; keys at or beyond lengths[b] get probability 0 (the reference adds -inf).
// One block per (batch, head, query) row.
SER_KERNEL void softmax_masked(float* __restrict__ scores, const int* __restrict__ lengths, int heads, int tq,
                               int tk, float scale) {
    long row = blockIdx.x;
    int b = (int) (row / ((long) heads * tq));
    int valid = lengths ? lengths[b] : tk;
    float* r = scores + row * tk;
    float m = -CUDART_INF_F;
    for (int j = threadIdx.x; j < valid; j += blockDim.x) m = fmaxf(m, r[j] * scale);
    m = block_max(m);
    float s = 0.0f;
    for (int j = threadIdx.x; j < tk; j += blockDim.x) {
        float e = j < valid ? __expf(r[j] * scale - m) : 0.0f;
        r[j] = e;
        s += e;
    }
    float inv = 1.0f / block_sum(s);
    for (int j = threadIdx.x; j < tk; j += blockDim.x) r[j] *= inv;
}

// The same softmax with one warp per row instead of one block: no block barriers, 8 rows to a 256-thread block.
SER_KERNEL void softmax_masked_warp(float* __restrict__ scores, const int* __restrict__ lengths, int heads, int tq,
                                    int tk, float scale, long rows) {
    long row = ((long) blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    int lane = threadIdx.x & 31;
    if (row >= rows) return;  // the whole warp leaves together
    int b = (int) (row / ((long) heads * tq));
    int valid = lengths ? lengths[b] : tk;
    float* r = scores + row * tk;
    float m = -CUDART_INF_F;
    for (int j = lane; j < valid; j += 32) m = fmaxf(m, r[j] * scale);
    for (int o = 16; o > 0; o >>= 1) m = fmaxf(m, __shfl_xor_sync(0xffffffffu, m, o));
    float s = 0.0f;
    for (int j = lane; j < tk; j += 32) {
        float e = j < valid ? __expf(r[j] * scale - m) : 0.0f;
        r[j] = e;
        s += e;
    }
    for (int o = 16; o > 0; o >>= 1) s += __shfl_xor_sync(0xffffffffu, s, o);
    float inv = 1.0f / s;
    for (int j = lane; j < tk; j += 32) r[j] *= inv;
}
