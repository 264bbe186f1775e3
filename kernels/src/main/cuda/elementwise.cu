// ser kernel, element-wise: GELU, bias (+ GELU), residual add, fp32 <-> bf16.
// CPU reference: KernelReference (kernels/src/test), checked by KernelChecks; built into ser_kernels.cu.

#include "common.cuh"

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
