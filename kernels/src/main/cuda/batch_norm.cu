// ser kernels, batch norm over x[n, c, spatial] per channel: statistics, normalisation, the backward pass, the
// running statistics; and per-channel sums (bias gradients). CPU reference: HostGpu (kernels/src/test), held to the
// float64 references by LayerTrainingOpsParityTest; built into ser_kernels.cu.
//
// Reductions run one block per channel (blockDim.x a multiple of 32): fp32, strided partial sums, then block_sum.

#include "common.cuh"

// Element k of channel ch, k counting over (example, position).
__device__ __forceinline__ long long channel_at(long long k, int ch, int c, int spatial) {
    return ((k / spatial) * c + ch) * spatial + k % spatial;
}

// out[ch] = Σ x[·, ch, ·].
SER_KERNEL void channel_sum(const float* __restrict__ x, float* __restrict__ out, int n, int c, int spatial) {
    int ch = blockIdx.x;
    long long count = (long long) n * spatial;
    float s = 0.0f;
    for (long long k = threadIdx.x; k < count; k += blockDim.x) s += x[channel_at(k, ch, c, spatial)];
    s = block_sum(s);
    if (threadIdx.x == 0) out[ch] = s;
}

// The batch mean, then the biased variance around it: two passes, so a large offset does not cancel.
SER_KERNEL void batch_norm_stats(const float* __restrict__ x, float* __restrict__ mean, float* __restrict__ var,
                                 int n, int c, int spatial) {
    int ch = blockIdx.x;
    long long count = (long long) n * spatial;
    float s = 0.0f;
    for (long long k = threadIdx.x; k < count; k += blockDim.x) s += x[channel_at(k, ch, c, spatial)];
    float m = block_sum(s) / (float) count;
    float q = 0.0f;
    for (long long k = threadIdx.x; k < count; k += blockDim.x) {
        float d = x[channel_at(k, ch, c, spatial)] - m;
        q += d * d;
    }
    float v = block_sum(q) / (float) count;
    if (threadIdx.x == 0) { mean[ch] = m; var[ch] = v; }
}

__device__ __forceinline__ float bn_inv(const float* var, int ch, float eps) {
    return 1.0f / sqrtf(var[ch] + eps);
}

// y = (x − mean)·inv·gamma + beta, inv = 1/sqrt(var + eps); gamma, beta null for 1, 0. y may equal x.
SER_KERNEL void batch_norm_apply(const float* x, const float* __restrict__ gamma, const float* __restrict__ beta,
                                 const float* __restrict__ mean, const float* __restrict__ var, float* y,
                                 int n, int c, int spatial, float eps) {
    long long total = (long long) n * c * spatial;
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < total; i += (long long) gridDim.x * blockDim.x) {
        int ch = (int) ((i / spatial) % c);
        float v = (x[i] - mean[ch]) * bn_inv(var, ch, eps);
        if (gamma) v *= gamma[ch];
        if (beta) v += beta[ch];
        y[i] = v;
    }
}

// Per channel: sum_dy_xhat = Σ dy·(x − mean)·inv (dgamma) and sum_dy = Σ dy (dbeta).
SER_KERNEL void batch_norm_backward_sums(const float* __restrict__ x, const float* __restrict__ dy,
                                         const float* __restrict__ mean, const float* __restrict__ var,
                                         float* __restrict__ sum_dy_xhat, float* __restrict__ sum_dy,
                                         int n, int c, int spatial, float eps) {
    int ch = blockIdx.x;
    long long count = (long long) n * spatial;
    float m = mean[ch], inv = bn_inv(var, ch, eps);
    float sg = 0.0f, sgx = 0.0f;
    for (long long k = threadIdx.x; k < count; k += blockDim.x) {
        long long at = channel_at(k, ch, c, spatial);
        float g = dy[at];
        sg += g;
        sgx += g * (x[at] - m) * inv;
    }
    sg = block_sum(sg);
    sgx = block_sum(sgx);
    if (threadIdx.x == 0) { sum_dy_xhat[ch] = sgx; sum_dy[ch] = sg; }
}

// Training: dx = gamma·inv·(dy − sum_dy/count − xhat·sum_dy_xhat/count), count = n·spatial; with the sums null
// (inference, fixed statistics): dx = dy·gamma·inv. gamma null for 1. dx may equal x or dy.
SER_KERNEL void batch_norm_backward_dx(const float* x, const float* dy, const float* __restrict__ gamma,
                                       const float* __restrict__ mean, const float* __restrict__ var,
                                       const float* __restrict__ sum_dy_xhat, const float* __restrict__ sum_dy,
                                       float* dx, int n, int c, int spatial, float eps) {
    long long total = (long long) n * c * spatial;
    float count = (float) ((long long) n * spatial);
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < total; i += (long long) gridDim.x * blockDim.x) {
        int ch = (int) ((i / spatial) % c);
        float inv = bn_inv(var, ch, eps), g = gamma ? gamma[ch] : 1.0f;
        if (sum_dy) {
            float xhat = (x[i] - mean[ch]) * inv;
            dx[i] = g * inv * (dy[i] - sum_dy[ch] / count - xhat * sum_dy_xhat[ch] / count);
        } else {
            dx[i] = dy[i] * g * inv;
        }
    }
}

// running = (1 − momentum)·running + momentum·batch; the variance made unbiased: ·count/(count − 1), both as floats.
SER_KERNEL void batch_norm_running_update(float* __restrict__ running_mean, float* __restrict__ running_var,
                                          const float* __restrict__ mean, const float* __restrict__ var, int c,
                                          float momentum, float count, float count_less_one) {
    for (int ch = blockIdx.x * blockDim.x + threadIdx.x; ch < c; ch += gridDim.x * blockDim.x) {
        running_mean[ch] = (1.0f - momentum) * running_mean[ch] + momentum * mean[ch];
        running_var[ch] = (1.0f - momentum) * running_var[ch] + momentum * var[ch] * count / count_less_one;
    }
}
