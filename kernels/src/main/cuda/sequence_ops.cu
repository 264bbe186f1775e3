// ser kernels, sequences: zero each sequence's padded rows; cut a signal into (shifted) windows with a bias column.
// CPU reference: HostGpu (kernels/src/test), held to ScalarOps by OpsParityTest; built into ser_kernels.cu.

#include "common.cuh"

// x, out contiguous [batch, t, width]; rows at or past lengths[b] become 0, the others are copied. out may equal x.
SER_KERNEL void mask_rows(const float* x, float* out, const int* __restrict__ lengths, int batch, int t, long long width) {
    long long n = (long long) batch * t * width;
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        long long row = i / width;
        int b = (int) (row / t), r = (int) (row % t);
        out[i] = r < lengths[b] ? x[i] : 0.0f;
    }
}

// out contiguous [frames, width]: signal[f * stride + j] - shift for j < kernel, 1 in column kernel when width > kernel.
SER_KERNEL void frame_windows(const float* __restrict__ signal, float* __restrict__ out, int frames, int kernel,
                              int stride, float shift, int width) {
    long long n = (long long) frames * width;
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        int f = (int) (i / width), j = (int) (i % width);
        out[i] = j < kernel ? signal[(long long) f * stride + j] - shift : 1.0f;
    }
}
