// ser kernels, training element-wise and sequence pooling: activation gradients and tanh, the gated mix, the time
// mean under a padding mask, the layer mixture. Outputs may be an input too (each thread reads its element first),
// so no __restrict__ on them. Float arithmetic uses the _rn intrinsics where the host rounds each step, so that nvcc
// does not contract it into FMAs the host does not do. CPU reference: HostGpu (kernels/src/test), held to
// HostTrainingOps.REFERENCE by PointwiseTrainingOpsParityTest; built into ser_kernels.cu.

#include "common.cuh"

// Mirrors CudaPointwiseTraining's ops for activation_grad.
enum { PW_RELU_BACKWARD, PW_GELU_BACKWARD, PW_TANH, PW_TANH_BACKWARD };

__device__ __forceinline__ float pw_activation(int op, float x, float dy) {
    switch (op) {
        case PW_RELU_BACKWARD: return x > 0.0f ? dy : 0.0f;  // 0 at the kink and for a NaN x, as the reference
        case PW_GELU_BACKWARD: {  // dy·(Φ(x) + x·φ(x)) in double, rounded once, as the reference
            double v = x;
            double cdf = 0.5 * (1.0 + erf(v * 0.70710678118654752440));
            double pdf = 0.39894228040143267794 * exp(-0.5 * v * v);
            return (float) ((double) dy * (cdf + v * pdf));
        }
        case PW_TANH: return (float) tanh((double) x);
        case PW_TANH_BACKWARD: return __fmul_rn(dy, __fsub_rn(1.0f, __fmul_rn(x, x)));  // x is tanh's output here
        default: return x;
    }
}

// out[i] = op(x[i], dy[i]); dy unread for PW_TANH.
SER_KERNEL void activation_grad(int op, const float* x, const float* dy, float* out, long long n) {
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        out[i] = pw_activation(op, x[i], op == PW_TANH ? 0.0f : dy[i]);
    }
}

// 1 / (1 + e^-z) without overflow for either sign, in double as GatedMixReference.sigmoid.
__device__ __forceinline__ double pw_sigmoid(double z) {
    if (z >= 0) return 1.0 / (1.0 + exp(-z));
    double e = exp(z);
    return e / (1.0 + e);
}

// gate = σ(z) rounded once; y = gate·a + (1 − gate)·b in float. gate may be null (not wanted).
SER_KERNEL void gated_mix_forward(const float* z, const float* a, const float* b, float* gate, float* y, long long n) {
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        float g = (float) pw_sigmoid((double) z[i]);
        float av = a[i], bv = b[i];
        if (gate) gate[i] = g;
        y[i] = __fadd_rn(__fmul_rn(g, av), __fmul_rn(__fsub_rn(1.0f, g), bv));
    }
}

// da = g·dy, db = (1 − g)·dy, dz = dy·(a − b)·g·(1 − g), left to right; a null output is not written.
SER_KERNEL void gated_mix_backward(const float* gate, const float* a, const float* b, const float* dy, float* dz,
                                   float* da, float* db, long long n) {
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        float g = gate[i], gv = dy[i], av = a[i], bv = b[i], h = __fsub_rn(1.0f, g);
        if (dz) dz[i] = __fmul_rn(__fmul_rn(__fmul_rn(gv, __fsub_rn(av, bv)), g), h);
        if (da) da[i] = __fmul_rn(g, gv);
        if (db) db[i] = __fmul_rn(h, gv);
    }
}

// frames[i] = Σ_s mask[i, s] in double, in order: each sequence's real frames.
SER_KERNEL void time_frames(const float* __restrict__ mask, double* __restrict__ frames, int n, int t) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    double f = 0.0;
    for (int s = 0; s < t; s++) f += mask[(long long) i * t + s];
    frames[i] = f;
}

// y[i, k] = Σ_s mask[i, s]·x[i, s, k] / frames[i], each term and the sum in double, in order, rounded once; mask and
// frames null: every frame real (frames = t). One thread per (i, k).
SER_KERNEL void time_mean_forward(const float* __restrict__ x, const float* __restrict__ mask,
                                  const double* __restrict__ frames, float* __restrict__ y, int n, int t, int d) {
    long long total = (long long) n * d;
    for (long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x; e < total; e += (long long) gridDim.x * blockDim.x) {
        int i = (int) (e / d), k = (int) (e % d);
        double f = frames ? frames[i] : (double) t, sum = 0.0;
        for (int s = 0; s < t; s++) {
            double m = mask ? (double) mask[(long long) i * t + s] : 1.0;
            sum += __ddiv_rn(__dmul_rn(m, (double) x[((long long) i * t + s) * d + k]), f);
        }
        y[e] = (float) sum;
    }
}

// dx[i, s, k] = mask[i, s]·dy[i, k] / frames[i] in double, rounded once.
SER_KERNEL void time_mean_backward(const float* __restrict__ mask, const double* __restrict__ frames,
                                   const float* __restrict__ dy, float* __restrict__ dx, int n, int t, int d) {
    long long total = (long long) n * t * d;
    for (long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x; e < total; e += (long long) gridDim.x * blockDim.x) {
        long long row = e / d;
        int i = (int) (row / t), k = (int) (e % d);
        double f = frames ? frames[i] : (double) t;
        double m = mask ? (double) mask[row] : 1.0;
        dx[e] = (float) (m * (double) dy[(long long) i * d + k] / f);
    }
}

// y[i, r] = Σ_l p[l]·x[i, l, r], the layers in order, each product and sum rounded to float. One thread per (i, r).
SER_KERNEL void layer_mix_forward(const float* __restrict__ x, const float* __restrict__ p, float* __restrict__ y,
                                  int n, int layers, int rest) {
    long long total = (long long) n * rest;
    for (long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x; e < total; e += (long long) gridDim.x * blockDim.x) {
        long long i = e / rest, r = e % rest;
        float acc = 0.0f;
        for (int l = 0; l < layers; l++) acc = __fadd_rn(acc, __fmul_rn(p[l], x[(i * layers + l) * rest + r]));
        y[e] = acc;
    }
}

// dx[i, l, r] = p[l]·dy[i, r].
SER_KERNEL void layer_mix_backward_dx(const float* __restrict__ p, const float* __restrict__ dy, float* __restrict__ dx,
                                      int n, int layers, int rest) {
    long long total = (long long) n * layers * rest;
    for (long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x; e < total; e += (long long) gridDim.x * blockDim.x) {
        long long row = e / rest, r = e % rest;
        int l = (int) (row % layers);
        long long i = row / layers;
        dx[e] = __fmul_rn(p[l], dy[i * rest + r]);
    }
}

// Block-wide sum of one double per thread; blockDim.x a multiple of 32, at most 1024.
__device__ double pw_block_sum_f64(double v) {
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

// dots[i·layers + l] = Σ_r dy[i, r]·x[i, l, r] in double (a float product is exact there). One block per (i, l); the
// host sums the examples in order.
SER_KERNEL void layer_mix_backward_dp(const float* __restrict__ x, const float* __restrict__ dy,
                                      double* __restrict__ dots, int layers, int rest) {
    long long row = blockIdx.x, i = row / layers;
    const float* xs = x + row * rest;
    const float* g = dy + i * rest;
    double s = 0.0;
    for (int r = threadIdx.x; r < rest; r += blockDim.x) s += (double) g[r] * (double) xs[r];
    s = pw_block_sum_f64(s);
    if (threadIdx.x == 0) dots[row] = s;
}
