// ser kernels, convolution: unfold an input into GEMM columns (im2col) and fold column gradients back (col2im).
// Zero padding, the same stride on both axes. CPU reference: HostGpu (kernels/src/test); built into ser_kernels.cu.
//
// Layout of the columns, for a chunk of `batch` examples: col[r, b·L + p], row r = (ci·kh + i)·kw + j, p = oy·ow + ox,
// L = oh·ow. The examples side by side along the columns make the weight gradient one GEMM over the whole chunk.

#include "common.cuh"

// col[r, b·L + p] = x[b, ci, oy·stride − pad + i, ox·stride − pad + j], 0 in the padding.
SER_KERNEL void im2col(const float* __restrict__ x, float* __restrict__ col, int batch, int cin, int h, int w,
                       int kh, int kw, int stride, int pad, int oh, int ow) {
    long long l = (long long) oh * ow, cols = batch * l, n = (long long) cin * kh * kw * cols;
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        long long r = i / cols, q = i % cols;
        int b = (int) (q / l), p = (int) (q % l);
        int oy = p / ow, ox = p % ow;
        int j = (int) (r % kw), t = (int) (r / kw), ki = t % kh, ci = t / kh;
        int iy = oy * stride - pad + ki, ix = ox * stride - pad + j;
        col[i] = (iy >= 0 && iy < h && ix >= 0 && ix < w) ? x[(((long long) b * cin + ci) * h + iy) * w + ix] : 0.0f;
    }
}

// dx[b, ci, iy, ix] = Σ col[r, b·L + p] over the taps (i, j) and outputs (oy, ox) that read (iy, ix), i then j
// ascending: each input gathers its own contributions, so no two threads write one element (no atomics).
SER_KERNEL void col2im(const float* __restrict__ col, float* __restrict__ dx, int batch, int cin, int h, int w,
                       int kh, int kw, int stride, int pad, int oh, int ow) {
    long long l = (long long) oh * ow, cols = batch * l, n = (long long) batch * cin * h * w;
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        int ix = (int) (i % w);
        long long t = i / w;
        int iy = (int) (t % h);
        t /= h;
        int ci = (int) (t % cin), b = (int) (t / cin);
        float s = 0.0f;
        for (int ki = 0; ki < kh; ki++) {
            int ty = iy + pad - ki;
            if (ty < 0 || ty % stride != 0 || ty / stride >= oh) continue;
            int oy = ty / stride;
            for (int j = 0; j < kw; j++) {
                int tx = ix + pad - j;
                if (tx < 0 || tx % stride != 0 || tx / stride >= ow) continue;
                int ox = tx / stride;
                s += col[((long long) (ci * kh + ki) * kw + j) * cols + b * l + (long long) oy * ow + ox];
            }
        }
        dx[i] = s;
    }
}
