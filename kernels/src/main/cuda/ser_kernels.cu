// ser CUDA kernels: everything the HuBERT forward needs that cuBLAS does not do.
//
// Each kernel has a plain CPU reference in ser.cuda.reference.KernelReference (same names, same argument
// order); the GPU tests compare the two. All tensors are row-major; float32 unless the name says bf16.
// Kernels are extern "C" so the driver API finds them by their plain names.

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

__device__ float block_max(float v) {
    __shared__ float partial[32];
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    __syncthreads();
    if (lane == 0) partial[warp] = v;
    __syncthreads();
    int warps = blockDim.x >> 5;
    v = lane < warps ? partial[lane] : -CUDART_INF_F;
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

// ---- feature encoder --------------------------------------------------------------------------------------

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

// im2col for a 1-D convolution without padding: x [batch, cin, tin] -> cols [batch, tout, cin * kernel],
// so that y^T = cols . w^T is one GEMM per batch (w [cout, cin * kernel]).
SER_KERNEL void im2col_1d(const float* __restrict__ x, float* __restrict__ cols, int batch, int cin, int tin,
                          int kernel, int stride, int tout) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    long width = (long) cin * kernel;
    long total = (long) batch * tout * width;
    if (i >= total) return;
    int k = (int) (i % kernel);
    int c = (int) ((i / kernel) % cin);
    int t = (int) ((i / width) % tout);
    int b = (int) (i / (width * tout));
    cols[i] = x[((long) b * cin + c) * tin + (long) t * stride + k];
}

// ---- element-wise -------------------------------------------------------------------------------------------

SER_KERNEL void gelu(float* __restrict__ x, long n) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) x[i] = gelu_exact(x[i]);
}

// x [rows, cols] += bias [cols]; optionally followed by exact GELU.
SER_KERNEL void bias_add(float* __restrict__ x, const float* __restrict__ bias, long rows, int cols, int apply_gelu) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= rows * cols) return;
    float v = x[i] + bias[i % cols];
    x[i] = apply_gelu ? gelu_exact(v) : v;
}

// y += x, element-wise (residual connections).
SER_KERNEL void residual_add(float* __restrict__ y, const float* __restrict__ x, long n) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] += x[i];
}

SER_KERNEL void f32_to_bf16(const float* __restrict__ x, __nv_bfloat16* __restrict__ y, long n) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = __float2bfloat16_rn(x[i]);
}

SER_KERNEL void bf16_to_f32(const __nv_bfloat16* __restrict__ x, float* __restrict__ y, long n) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = __bfloat162float(x[i]);
}

// ---- normalisation --------------------------------------------------------------------------------------------

// Layer norm over the last axis, in fp32 whatever the GEMM precision; one block per row. out may equal x.
SER_KERNEL void layer_norm(const float* __restrict__ x, float* __restrict__ out, const float* __restrict__ gamma,
                           const float* __restrict__ beta, int cols, float eps) {
    const float* r = x + (long) blockIdx.x * cols;
    float* o = out + (long) blockIdx.x * cols;
    float s = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) s += r[j];
    float mean = block_sum(s) / cols;
    float q = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) { float d = r[j] - mean; q += d * d; }
    float inv = rsqrtf(block_sum(q) / cols + eps);
    for (int j = threadIdx.x; j < cols; j += blockDim.x) o[j] = (r[j] - mean) * inv * gamma[j] + beta[j];
}

// ---- attention ---------------------------------------------------------------------------------------------------

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

// [batch, t, heads, d] -> [batch, heads, t, d] (split heads) when forward != 0, else the inverse (merge heads).
SER_KERNEL void permute_heads(const float* __restrict__ x, float* __restrict__ y, int batch, int t, int heads,
                              int d, int forward) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    long total = (long) batch * t * heads * d;
    if (i >= total) return;
    int e = (int) (i % d);
    int h = (int) ((i / d) % heads);
    int s = (int) ((i / ((long) d * heads)) % t);
    int b = (int) (i / ((long) d * heads * t));
    long split = (((long) b * heads + h) * t + s) * d + e;  // [b, h, s, e]
    if (forward) y[split] = x[i]; else y[i] = x[split];
}

// ---- positional convolution ------------------------------------------------------------------------------------------

// The positional grouped convolution with "same" padding and its last output frame dropped, bias and exact GELU:
// x [batch, t, dim] (time-major, as the encoder holds it), w [dim, dim / groups, kernel], y [batch, t, dim].
// y[b, s, o] = gelu(bias[o] + sum_{i in group(o), k} w[o, i, k] * x[b, s + k - pad, i]), pad = kernel / 2.
// Padded frames (beyond lengths[b]) must already be zero in x, as the reference zeroes them.
SER_KERNEL void pos_conv_gelu(const float* __restrict__ x, const float* __restrict__ w,
                              const float* __restrict__ bias, float* __restrict__ y, int batch, int t, int dim,
                              int groups, int kernel) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    long total = (long) batch * t * dim;
    if (i >= total) return;
    int o = (int) (i % dim);
    int s = (int) ((i / dim) % t);
    int b = (int) (i / ((long) dim * t));
    int per = dim / groups, g = o / per, pad = kernel / 2;
    const float* wo = w + (long) o * per * kernel;
    float acc = bias[o];
    for (int k = 0; k < kernel; k++) {
        int src = s + k - pad;
        if (src < 0 || src >= t) continue;
        const float* xs = x + ((long) b * t + src) * dim + (long) g * per;
        for (int c = 0; c < per; c++) acc = fmaf(wo[(long) c * kernel + k], xs[c], acc);
    }
    y[i] = gelu_exact(acc);
}

// The positional conv as a GEMM: its input windows, one [batch * t, kernel * width] matrix per group, so that
// group g's output is cols[g] . w[g] with the engine's weight block w[g] [kernel * width, width] (rows ordered
// (tap, in channel)); one strided batch over groups. x [batch, t, dim] with padded frames already zero;
// cols[g, b * t + s, k * width + c] = x[b, s + k - pad, g * width + c], 0 outside [0, t), pad = kernel / 2.
// Grid: blockIdx.x is the row b * t + s, blockIdx.y the group; a block writes the row's kernel * width window,
// 16 bytes a thread-step when the widths allow it.
__device__ __forceinline__ void store4(float* p, float4 v) { *reinterpret_cast<float4*>(p) = v; }
__device__ __forceinline__ void store4(__nv_bfloat16* p, float4 v) {
    reinterpret_cast<__nv_bfloat162*>(p)[0] = __floats2bfloat162_rn(v.x, v.y);
    reinterpret_cast<__nv_bfloat162*>(p)[1] = __floats2bfloat162_rn(v.z, v.w);
}
__device__ __forceinline__ void store1(float* p, float v) { *p = v; }
__device__ __forceinline__ void store1(__nv_bfloat16* p, float v) { *p = __float2bfloat16_rn(v); }

template <typename T>
__device__ __forceinline__ void pos_conv_im2col_impl(const float* __restrict__ x, T* __restrict__ cols, int batch,
                                                     int t, int dim, int groups, int kernel) {
    int r = blockIdx.x, g = blockIdx.y;
    int width = dim / groups, kw = kernel * width, pad = kernel / 2;
    int b = r / t, s = r - b * t;
    T* out = cols + ((long) g * batch * t + r) * kw;
    const float* xb = x + (long) b * t * dim + (long) g * width;
    if ((width & 3) == 0 && (dim & 3) == 0) {
        int w4 = width >> 2, n = kernel * w4;
        for (int j = threadIdx.x; j < n; j += blockDim.x) {
            int k = j / w4, q = j - k * w4, src = s + k - pad;
            float4 v = (src < 0 || src >= t) ? make_float4(0.0f, 0.0f, 0.0f, 0.0f)
                                             : reinterpret_cast<const float4*>(xb + (long) src * dim)[q];
            store4(out + k * width + 4 * q, v);
        }
    } else {
        for (int j = threadIdx.x; j < kw; j += blockDim.x) {
            int k = j / width, c = j - k * width, src = s + k - pad;
            store1(out + j, (src < 0 || src >= t) ? 0.0f : xb[(long) src * dim + c]);
        }
    }
}

SER_KERNEL void pos_conv_im2col(const float* __restrict__ x, float* __restrict__ cols, int batch, int t, int dim,
                                int groups, int kernel) {
    pos_conv_im2col_impl<float>(x, cols, batch, t, dim, groups, kernel);
}

SER_KERNEL void pos_conv_im2col_bf16(const float* __restrict__ x, __nv_bfloat16* __restrict__ cols, int batch, int t,
                                     int dim, int groups, int kernel) {
    pos_conv_im2col_impl<__nv_bfloat16>(x, cols, batch, t, dim, groups, kernel);
}

// ---- layout ------------------------------------------------------------------------------------------------------------

// x [batch, rows, cols] -> y [batch, cols, rows] through 32 x 32 tiles in shared memory, so that both the reads and
// the writes are coalesced (the first conv's channel-major output made time-major). 256 threads a block, one tile
// a block: blockIdx.x runs over the tiles of one matrix, blockIdx.y over the batch.
SER_KERNEL void transpose_tiles(const float* __restrict__ x, float* __restrict__ y, int rows, int cols) {
    __shared__ float tile[32][33];
    int tilesX = (cols + 31) / 32;
    int c0 = (blockIdx.x % tilesX) * 32, r0 = (blockIdx.x / tilesX) * 32;
    const float* xb = x + (long) blockIdx.y * rows * cols;
    float* yb = y + (long) blockIdx.y * rows * cols;
    int tx = threadIdx.x & 31, ty = threadIdx.x >> 5;
    for (int j = ty; j < 32; j += 8) {
        int r = r0 + j, c = c0 + tx;
        if (r < rows && c < cols) tile[j][tx] = xb[(long) r * cols + c];
    }
    __syncthreads();
    for (int j = ty; j < 32; j += 8) {
        int c = c0 + j, r = r0 + tx;
        if (r < rows && c < cols) yb[(long) c * rows + r] = tile[tx][j];
    }
}

// ---- pooling ----------------------------------------------------------------------------------------------------------------

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

// Zeroes the frames of each sequence at or beyond its length: x [batch, t, dim].
SER_KERNEL void zero_padded_frames(float* __restrict__ x, const int* __restrict__ lengths, int batch, int t, int dim) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (long) batch * t * dim) return;
    int s = (int) ((i / dim) % t), b = (int) (i / ((long) dim * t));
    if (s >= lengths[b]) x[i] = 0.0f;
}
