// ser kernel, positional convolution as a GEMM: its input windows, fp32 and bf16.
// CPU reference: KernelReference (kernels/src/test), checked by KernelChecks; built into ser_kernels.cu.

#include "common.cuh"

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
