// ser kernel, positional convolution, direct (+ bias + GELU).
// CPU reference: KernelReference (kernels/src/test), checked by KernelChecks; built into ser_kernels.cu.

#include "common.cuh"

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
