// ser kernel, element-wise: fp32 -> bf16, the GEMM operands of CudaOps in bf16 precision.
// Round to nearest even. CPU reference: HostGpu.toBf16 (kernels/src/test); on a GPU, GpuCheck's ops section holds
// it to that rounding (cuBLAS in bf16 against a product of bf16-rounded inputs). Built into ser_kernels.cu.

#include "common.cuh"

SER_KERNEL void f32_to_bf16(const float* __restrict__ x, __nv_bfloat16* __restrict__ y, long n) {
    long i = (long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = __float2bfloat16_rn(x[i]);
}
