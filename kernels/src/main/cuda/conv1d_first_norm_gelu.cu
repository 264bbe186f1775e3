// ser kernel, feature encoder: the first convolution fused with its group norm and GELU (window moments, group stats, the fused conv).
// CPU reference: KernelReference (kernels/src/test), checked by KernelChecks; built into ser_kernels.cu.

#include "common.cuh"

// The first conv fused with its group norm (one channel per group) and GELU, written time-major, without storing
// the conv's channel-major output. As the CPU engine's GroupNormConv does, each channel's statistics over time
// follow from the moments of the clip's windows: with m the mean window and S the windows' second moments (the clip
// centred on its mean sample mu first, so that S - m m^T is not a small difference of large numbers), channel c's
// output y = w_c . window has mean w_c . m + mu sum(w_c) and variance w_c^T (S - m m^T) w_c.

// Block-wide sum of doubles; blockDim.x a multiple of 32, at most 1024.
__device__ double block_sum_d(double v) {
    __shared__ double partial[32];
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    __syncthreads();
    if (lane == 0) partial[warp] = v;
    __syncthreads();
    int warps = blockDim.x >> 5;
    v = lane < warps ? partial[lane] : 0.0;
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

#define SER_MAX_FIRST_KERNEL 16

// One block per clip: moments [batch, 1 + kernel + kernel * kernel] (double) = mu, then m (the mean centred window),
// then S (row-major, the mean outer product of centred windows). kernel <= SER_MAX_FIRST_KERNEL.
SER_KERNEL void conv1d_first_moments(const float* __restrict__ x, double* __restrict__ moments, int samples,
                                     int kernel, int stride, int frames) {
    const float* xs = x + (long) blockIdx.x * samples;
    double* out = moments + (long) blockIdx.x * (1 + kernel + kernel * kernel);
    double s = 0.0;
    for (int i = threadIdx.x; i < samples; i += blockDim.x) s += xs[i];
    double mu = block_sum_d(s) / samples;
    double m[SER_MAX_FIRST_KERNEL], S[SER_MAX_FIRST_KERNEL * (SER_MAX_FIRST_KERNEL + 1) / 2];
    for (int i = 0; i < kernel; i++) m[i] = 0.0;
    for (int i = 0; i < kernel * (kernel + 1) / 2; i++) S[i] = 0.0;
    for (int t = threadIdx.x; t < frames; t += blockDim.x) {
        double v[SER_MAX_FIRST_KERNEL];
        for (int i = 0; i < kernel; i++) v[i] = xs[(long) t * stride + i] - mu;
        for (int i = 0, q = 0; i < kernel; i++) {
            m[i] += v[i];
            for (int j = i; j < kernel; j++, q++) S[q] += v[i] * v[j];
        }
    }
    if (threadIdx.x == 0) out[0] = mu;
    for (int i = 0; i < kernel; i++) {
        double total = block_sum_d(m[i]);
        if (threadIdx.x == 0) out[1 + i] = total / frames;
    }
    for (int i = 0, q = 0; i < kernel; i++) {
        for (int j = i; j < kernel; j++, q++) {
            double total = block_sum_d(S[q]) / frames;
            if (threadIdx.x == 0) {
                out[1 + kernel + i * kernel + j] = total;
                out[1 + kernel + j * kernel + i] = total;
            }
        }
    }
}

// One thread per (batch, channel): stats [batch * channels, 2] = (mean, 1 / sqrt(var + eps)) of the conv's output
// over time, from the clip's moments; w [channels, kernel].
SER_KERNEL void conv1d_first_group_stats(const double* __restrict__ moments, const float* __restrict__ w,
                                         float* __restrict__ stats, int batch, int channels, int kernel, float eps) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (long) batch * channels) return;
    int c = (int) (i % channels), b = (int) (i / channels);
    const double* mo = moments + (long) b * (1 + kernel + kernel * kernel);
    const double *m = mo + 1, *S = mo + 1 + kernel;
    const float* wc = w + (long) c * kernel;
    double mean = 0.0, sum = 0.0, var = 0.0;
    for (int a = 0; a < kernel; a++) {
        mean += wc[a] * m[a];
        sum += wc[a];
        for (int d = 0; d < kernel; d++) var += (double) wc[a] * wc[d] * (S[a * kernel + d] - m[a] * m[d]);
    }
    stats[2 * i] = (float) (mean + mo[0] * sum);
    stats[2 * i + 1] = (float) (1.0 / sqrt(fmax(var, 0.0) + eps));
}

#define SER_FIRST_FRAMES_PER_BLOCK 16

// KERNEL > 0 fixes the kernel width at compile time (weights in registers); 0 reads it from kernel.
template <int KERNEL>
__device__ __forceinline__ void first_norm_gelu_tile(const float* __restrict__ xb, const float* __restrict__ w_tc,
                                                     const float* __restrict__ stats, const float* __restrict__ gamma,
                                                     const float* __restrict__ beta, float* __restrict__ y, int b,
                                                     int t0, int t1, int channels, int kernel, int stride, int frames) {
    const int K = KERNEL > 0 ? KERNEL : kernel;
    for (int c = threadIdx.x; c < channels; c += blockDim.x) {
        float wk[KERNEL > 0 ? KERNEL : SER_MAX_FIRST_KERNEL];
#pragma unroll
        for (int k = 0; k < K; k++) wk[k] = w_tc[(long) k * channels + c];
        long row = (long) b * channels + c;
        float g = gamma[c] * stats[2 * row + 1], bb = beta[c] - stats[2 * row] * g;
        for (int t = t0; t < t1; t++) {
            const float* xs = xb + (long) t * stride;
            float acc = 0.0f;
#pragma unroll
            for (int k = 0; k < K; k++) acc = fmaf(wk[k], xs[k], acc);
            y[((long) b * frames + t) * channels + c] = gelu_exact(fmaf(acc, g, bb));
        }
    }
}

// Grid: blockIdx.x = batch * tiles of SER_FIRST_FRAMES_PER_BLOCK frames; threads over channels, each keeping its
// channel's weights and norm in registers across the tile's frames. y [batch, frames, channels], coalesced over
// channels. w_tc is the weight tap-major, [kernel, channels] (the engine's own layout).
SER_KERNEL void conv1d_first_norm_gelu(const float* __restrict__ x, const float* __restrict__ w_tc,
                                       const float* __restrict__ stats, const float* __restrict__ gamma,
                                       const float* __restrict__ beta, float* __restrict__ y, int samples,
                                       int channels, int kernel, int stride, int frames) {
    int tiles = (frames + SER_FIRST_FRAMES_PER_BLOCK - 1) / SER_FIRST_FRAMES_PER_BLOCK;
    int b = blockIdx.x / tiles, t0 = (blockIdx.x - b * tiles) * SER_FIRST_FRAMES_PER_BLOCK;
    int t1 = min(frames, t0 + SER_FIRST_FRAMES_PER_BLOCK);
    const float* xb = x + (long) b * samples;
    if (kernel == 10) first_norm_gelu_tile<10>(xb, w_tc, stats, gamma, beta, y, b, t0, t1, channels, kernel, stride, frames);
    else first_norm_gelu_tile<0>(xb, w_tc, stats, gamma, beta, y, b, t0, t1, channels, kernel, stride, frames);
}
