// ser kernel, feature encoder: im2col for the strided convolutions.
// CPU reference: KernelReference (kernels/src/test), checked by KernelChecks; built into ser_kernels.cu.

#include "common.cuh"

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
