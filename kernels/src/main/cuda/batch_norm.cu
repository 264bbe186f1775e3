// ser kernels, batch norm over x[n, c, spatial] per channel: statistics, normalisation, the backward pass, the
// running statistics; and per-channel sums (bias gradients). CPU reference: HostGpu (kernels/src/test), held to the
// float64 references by LayerTrainingOpsParityTest; built into ser_kernels.cu.
//
// Reductions run on a grid of (channel, slice) blocks, blockDim.x a multiple of 32: block (ch, s) reduces the s-th of
// `slices` equal parts of channel ch's n·spatial values (strided partial sums, then block_sum) into partial[ch, s],
// and a second kernel combines the slices of each channel in order. Slices keep the GPU busy when channels are few.

#include "common.cuh"

// k / d and k % d in 32-bit arithmetic where k allows: 64-bit division is a long software sequence on the GPU.
__device__ __forceinline__ long long div_fast(long long k, int d) {
    return k <= 0x7fffffffLL ? (long long) ((unsigned) k / (unsigned) d) : k / d;
}

// Element k of channel ch, k counting over (example, position).
__device__ __forceinline__ long long channel_at(long long k, int ch, int c, int spatial) {
    long long i = div_fast(k, spatial);
    return (i * c + ch) * spatial + (k - i * spatial);
}

// The channel of element i of x[n, c, spatial].
__device__ __forceinline__ int channel_of(long long i, int c, int spatial) {
    long long plane = div_fast(i, spatial);
    return (int) (plane - div_fast(plane, c) * c);
}

// The part [begin, end) of count values that slice s of `slices` reduces.
__device__ __forceinline__ void slice_bounds(long long count, int s, int slices, long long* begin, long long* end) {
    long long per = (count + slices - 1) / slices;
    *begin = min(count, s * per);
    *end = min(count, *begin + per);
}

// partial[ch, s] = Σ x[·, ch, ·] over slice s (bias gradients).
SER_KERNEL void channel_sum(const float* __restrict__ x, float* __restrict__ partial, int n, int c, int spatial,
                            int slices) {
    int ch = blockIdx.x, sl = blockIdx.y;
    long long begin, end;
    slice_bounds((long long) n * spatial, sl, slices, &begin, &end);
    float s = 0.0f;
    for (long long k = begin + threadIdx.x; k < end; k += blockDim.x) s += x[channel_at(k, ch, c, spatial)];
    s = block_sum(s);
    if (threadIdx.x == 0) partial[(long long) ch * slices + sl] = s;
}

// out_j[ch] = Σ_s partial[ch, s, j] in slice order, for j < pairs (1 or 2; out1 unused for 1). One thread a channel.
SER_KERNEL void sum_slices(const float* __restrict__ partial, int pairs, float* __restrict__ out0,
                           float* __restrict__ out1, int c, int slices) {
    for (int ch = blockIdx.x * blockDim.x + threadIdx.x; ch < c; ch += gridDim.x * blockDim.x) {
        float a = 0.0f, b = 0.0f;
        for (int s = 0; s < slices; s++) {
            const float* p = partial + ((long long) ch * slices + s) * pairs;
            a += p[0];
            if (pairs == 2) b += p[1];
        }
        out0[ch] = a;
        if (pairs == 2) out1[ch] = b;
    }
}

// partial[ch, s] = (mean, Σ (x − mean)²) of slice s: two passes, so a large offset does not cancel.
SER_KERNEL void batch_norm_stats(const float* __restrict__ x, float* __restrict__ partial, int n, int c, int spatial,
                                 int slices) {
    int ch = blockIdx.x, sl = blockIdx.y;
    long long begin, end;
    slice_bounds((long long) n * spatial, sl, slices, &begin, &end);
    float s = 0.0f;
    for (long long k = begin + threadIdx.x; k < end; k += blockDim.x) s += x[channel_at(k, ch, c, spatial)];
    float m = block_sum(s) / (float) (end - begin);
    float q = 0.0f;
    for (long long k = begin + threadIdx.x; k < end; k += blockDim.x) {
        float d = x[channel_at(k, ch, c, spatial)] - m;
        q += d * d;
    }
    q = block_sum(q);
    if (threadIdx.x == 0) {
        partial[((long long) ch * slices + sl) * 2] = m;
        partial[((long long) ch * slices + sl) * 2 + 1] = q;
    }
}

// The slices' (mean, squared deviations) combined in order (Chan et al.): the batch mean and biased variance.
SER_KERNEL void batch_norm_stats_merge(const float* __restrict__ partial, float* __restrict__ mean,
                                       float* __restrict__ var, int c, int slices, long long count) {
    for (int ch = blockIdx.x * blockDim.x + threadIdx.x; ch < c; ch += gridDim.x * blockDim.x) {
        float na = 0.0f, ma = 0.0f, qa = 0.0f;
        for (int s = 0; s < slices; s++) {
            long long begin, end;
            slice_bounds(count, s, slices, &begin, &end);
            if (end == begin) continue;
            float nb = (float) (end - begin), n = na + nb;
            const float* p = partial + ((long long) ch * slices + s) * 2;
            float d = p[0] - ma;
            ma += d * (nb / n);
            qa += p[1] + d * d * (na * nb / n);
            na = n;
        }
        mean[ch] = count > 0 ? ma : CUDART_NAN_F;
        var[ch] = qa / (float) count;
    }
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
        int ch = channel_of(i, c, spatial);
        float v = (x[i] - mean[ch]) * bn_inv(var, ch, eps);
        if (gamma) v *= gamma[ch];
        if (beta) v += beta[ch];
        y[i] = v;
    }
}

// partial[ch, s] = (Σ dy·(x − mean)·inv, Σ dy) over slice s: dgamma and dbeta once the slices are summed.
SER_KERNEL void batch_norm_backward_sums(const float* __restrict__ x, const float* __restrict__ dy,
                                         const float* __restrict__ mean, const float* __restrict__ var,
                                         float* __restrict__ partial, int n, int c, int spatial, float eps, int slices) {
    int ch = blockIdx.x, sl = blockIdx.y;
    long long begin, end;
    slice_bounds((long long) n * spatial, sl, slices, &begin, &end);
    float m = mean[ch], inv = bn_inv(var, ch, eps);
    float sg = 0.0f, sgx = 0.0f;
    for (long long k = begin + threadIdx.x; k < end; k += blockDim.x) {
        long long at = channel_at(k, ch, c, spatial);
        float g = dy[at];
        sg += g;
        sgx += g * (x[at] - m) * inv;
    }
    sg = block_sum(sg);
    sgx = block_sum(sgx);
    if (threadIdx.x == 0) {
        partial[((long long) ch * slices + sl) * 2] = sgx;
        partial[((long long) ch * slices + sl) * 2 + 1] = sg;
    }
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
        int ch = channel_of(i, c, spatial);
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
