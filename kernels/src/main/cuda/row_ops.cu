// ser kernels, row-wise over contiguous rows, one block a row: sum / max / mean, softmax and log-softmax, argmax,
// layer norm. CudaOps gathers a strided input into contiguous rows first. CPU reference: HostGpu (kernels/src/test),
// held to ScalarOps by OpsParityTest; built into ser_kernels.cu.

#include "common.cuh"

enum { ROW_SUM, ROW_MAX, ROW_MEAN };

// A NaN anywhere makes the max NaN, as ScalarOps's Math.max does (fmaxf would drop it).
__device__ __forceinline__ float nan_max(float a, float b) {
    return (a != a || b != b) ? CUDART_NAN_F : fmaxf(a, b);
}

__device__ float block_nan_max(float v) {
    __shared__ float partial[32];
    for (int o = 16; o > 0; o >>= 1) v = nan_max(v, __shfl_xor_sync(0xffffffffu, v, o));
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    __syncthreads();
    if (lane == 0) partial[warp] = v;
    __syncthreads();
    int warps = blockDim.x >> 5;
    v = lane < warps ? partial[lane] : -CUDART_INF_F;
    for (int o = 16; o > 0; o >>= 1) v = nan_max(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

SER_KERNEL void row_reduce(const float* __restrict__ x, float* __restrict__ out, int cols, int op) {
    const float* r = x + (long long) blockIdx.x * cols;
    float v;
    if (op == ROW_MAX) {
        float m = -CUDART_INF_F;
        for (int j = threadIdx.x; j < cols; j += blockDim.x) m = nan_max(m, r[j]);
        v = block_nan_max(m);
    } else {
        float s = 0.0f;
        for (int j = threadIdx.x; j < cols; j += blockDim.x) s += r[j];
        v = block_sum(s);
        if (op == ROW_MEAN) v /= cols;
    }
    if (threadIdx.x == 0) out[blockIdx.x] = v;
}

// exp(x - max) / sum, or x - max - log(sum) when log_softmax; out may equal x.
SER_KERNEL void row_softmax(const float* x, float* out, int cols, int log_softmax) {
    const float* r = x + (long long) blockIdx.x * cols;
    float* o = out + (long long) blockIdx.x * cols;
    float m = -CUDART_INF_F;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) m = nan_max(m, r[j]);
    m = block_nan_max(m);
    float s = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) s += expf(r[j] - m);
    s = block_sum(s);
    if (log_softmax) {
        float l = logf(s);
        for (int j = threadIdx.x; j < cols; j += blockDim.x) o[j] = r[j] - m - l;
    } else {
        float inv = 1.0f / s;
        for (int j = threadIdx.x; j < cols; j += blockDim.x) o[j] = expf(r[j] - m) * inv;
    }
}

// Whether (v, i) comes before (best, at) as the row's argmax: a NaN beats any number, then the larger value, then the
// lower index; at < 0 is no candidate yet.
__device__ __forceinline__ bool argmax_before(float v, int i, float best, int at) {
    if (at < 0) return true;
    bool vn = v != v, bn = best != best;
    if (vn != bn) return vn;
    if (!vn && v != best) return v > best;
    return i < at;
}

// The first index of each row's maximum; the first NaN if the row holds one (as NumPy). blockDim.x ≤ 1024.
SER_KERNEL void row_argmax(const float* __restrict__ x, int* __restrict__ out, int cols) {
    const float* r = x + (long long) blockIdx.x * cols;
    float best = 0.0f;
    int at = -1;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        if (argmax_before(r[j], j, best, at)) { best = r[j]; at = j; }
    }
    __shared__ float bests[1024];
    __shared__ int ats[1024];
    bests[threadIdx.x] = best;
    ats[threadIdx.x] = at;
    __syncthreads();
    if (threadIdx.x == 0) {
        for (int t = 1; t < blockDim.x; t++) {
            if (ats[t] >= 0 && argmax_before(bests[t], ats[t], best, at)) { best = bests[t]; at = ats[t]; }
        }
        out[blockIdx.x] = at;
    }
}

// (x - mean) / sqrt(var + eps) · gamma + beta with the biased variance, in fp32; gamma or beta null for 1 or 0.
// out may equal x.
SER_KERNEL void row_layer_norm(const float* x, const float* __restrict__ gamma, const float* __restrict__ beta,
                               float* out, int cols, float eps) {
    const float* r = x + (long long) blockIdx.x * cols;
    float* o = out + (long long) blockIdx.x * cols;
    float s = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) s += r[j];
    float mean = block_sum(s) / cols;
    float q = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) { float d = r[j] - mean; q += d * d; }
    float inv = rsqrtf(block_sum(q) / cols + eps);
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        float v = (r[j] - mean) * inv;
        if (gamma) v *= gamma[j];
        if (beta) v += beta[j];
        o[j] = v;
    }
}
