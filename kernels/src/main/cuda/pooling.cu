// ser kernels, max pooling of x[planes, h, w] (no padding, floor rounding) with the index of each maximum, its
// gradient, and batch norm + 2×2 pooling + ReLU fused. Ties and NaNs as PyTorch's CPU kernel: in window order the
// first maximum wins, and any NaN (the last one). CPU reference: HostGpu (kernels/src/test); built into ser_kernels.cu.

#include "common.cuh"

// Whether v at the current tap replaces the window's best so far (none yet: at < 0).
__device__ __forceinline__ bool pool_takes(float v, float best, long long at) {
    return at < 0 || v > best || v != v;
}

// y[plane, oy, ox] = the maximum of the kernel × kernel window at (oy·stride, ox·stride); from: its index in x.
SER_KERNEL void max_pool_forward(const float* __restrict__ x, float* __restrict__ y, int* __restrict__ from,
                                 long long planes, int h, int w, int oh, int ow, int kernel, int stride) {
    long long total = planes * oh * ow;
    for (long long o = (long long) blockIdx.x * blockDim.x + threadIdx.x; o < total; o += (long long) gridDim.x * blockDim.x) {
        int ox = (int) (o % ow);
        long long t = o / ow;
        int oy = (int) (t % oh);
        long long plane = t / oh;
        long long at = -1;
        float best = 0.0f;
        for (int i = 0; i < kernel; i++) {
            for (int j = 0; j < kernel; j++) {
                long long k = (plane * h + oy * stride + i) * w + ox * stride + j;
                float v = x[k];
                if (pool_takes(v, best, at)) { best = v; at = k; }
            }
        }
        y[o] = best;
        from[o] = (int) at;
    }
}

// dx[plane, iy, ix] = Σ dy[o] over the windows o that hold (iy, ix) and took their maximum there (from[o]), oy then
// ox ascending: each input gathers, so overlapping windows need no atomics. gate (nullable): only the outputs with
// gate[o] > 0 pass (the ReLU after a fused pooling).
SER_KERNEL void max_pool_backward(const int* __restrict__ from, const float* __restrict__ dy,
                                  const float* __restrict__ gate, float* __restrict__ dx, long long planes, int h,
                                  int w, int oh, int ow, int kernel, int stride) {
    long long total = planes * h * w;
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < total; i += (long long) gridDim.x * blockDim.x) {
        int ix = (int) (i % w);
        long long t = i / w;
        int iy = (int) (t % h);
        long long plane = t / h;
        int y0 = iy < kernel ? 0 : (iy - kernel + stride) / stride, y1 = min(iy / stride, oh - 1);
        int x0 = ix < kernel ? 0 : (ix - kernel + stride) / stride, x1 = min(ix / stride, ow - 1);
        float s = 0.0f;
        for (int oy = y0; oy <= y1; oy++) {
            for (int ox = x0; ox <= x1; ox++) {
                long long o = (plane * oh + oy) * ow + ox;
                if (from[o] == i && (!gate || gate[o] > 0.0f)) s += dy[o];
            }
        }
        dx[i] = s;
    }
}

// Batch norm with the given statistics (as batch_norm_apply), 2×2 max pooling with stride 2, then ReLU (a NaN stays):
// y[n, c, h/2, w/2]; from (nullable): the index in x of each maximum. The windows compare normalised values, so a
// negative gamma picks the smallest input.
SER_KERNEL void batch_norm_pool_relu(const float* __restrict__ x, const float* __restrict__ gamma,
                                     const float* __restrict__ beta, const float* __restrict__ mean,
                                     const float* __restrict__ var, float* __restrict__ y, int* __restrict__ from,
                                     int n, int c, int h, int w, float eps) {
    int oh = h / 2, ow = w / 2;
    long long total = (long long) n * c * oh * ow;
    for (long long o = (long long) blockIdx.x * blockDim.x + threadIdx.x; o < total; o += (long long) gridDim.x * blockDim.x) {
        int ox = (int) (o % ow);
        long long t = o / ow;
        int oy = (int) (t % oh);
        long long plane = t / oh;
        int ch = (int) (plane % c);
        float m = mean[ch], inv = 1.0f / sqrtf(var[ch] + eps);
        long long at = -1;
        float best = 0.0f;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                long long k = (plane * h + 2 * oy + i) * w + 2 * ox + j;
                float v = (x[k] - m) * inv;
                if (gamma) v *= gamma[ch];
                if (beta) v += beta[ch];
                if (pool_takes(v, best, at)) { best = v; at = k; }
            }
        }
        y[o] = best > 0.0f || best != best ? best : 0.0f;
        if (from) from[o] = (int) at;
    }
}
