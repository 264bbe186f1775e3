// ser kernel, attention: split / merge heads.
// CPU reference: KernelReference (kernels/src/test), checked by KernelChecks; built into ser_kernels.cu.

#include "common.cuh"

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
