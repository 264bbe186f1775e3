// ser kernels, optimisers: one Adam or SGD update element by element, as HostTrainingOps.adamStep and sgdStep (float
// steps rounded one at a time, hence the _rn intrinsics: no FMA contraction the host does not do), and the sum of
// squares for gradient clipping. CPU reference: HostGpu (kernels/src/test); built into ser_kernels.cu.

#include "common.cuh"

// torch.optim.Adam's single-tensor step; the denominator sqrt(v) / correction2_root in double, as the host.
SER_KERNEL void adam_step(float* w, const float* g, float* m, float* v, long long n, float beta1, float beta2,
                          float eps, float weight_decay, int decoupled, float step_size, float decay,
                          double correction2_root) {
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        float wi = w[i], grad = g[i];
        if (decoupled) wi = __fmul_rn(wi, decay);
        else if (weight_decay != 0.0f) grad = __fadd_rn(grad, __fmul_rn(weight_decay, wi));
        float mi = __fadd_rn(__fmul_rn(m[i], beta1), __fmul_rn(__fsub_rn(1.0f, beta1), grad));
        float vi = __fadd_rn(__fmul_rn(v[i], beta2), __fmul_rn(__fmul_rn(__fsub_rn(1.0f, beta2), grad), grad));
        float denom = __fadd_rn((float) __ddiv_rn(__dsqrt_rn((double) vi), correction2_root), eps);
        m[i] = mi;
        v[i] = vi;
        w[i] = __fsub_rn(wi, __fdiv_rn(__fmul_rn(step_size, mi), denom));
    }
}

// SGD with weight decay, momentum (buf null without), dampening and Nesterov, as torch.optim.SGD; first: the buffer
// starts as the gradient.
SER_KERNEL void sgd_step(float* w, const float* g, float* buf, long long n, float lr, float momentum, float dampening,
                         float weight_decay, int nesterov, int first) {
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        float wi = w[i], d = g[i];
        if (weight_decay != 0.0f) d = __fadd_rn(d, __fmul_rn(weight_decay, wi));
        if (momentum != 0.0f) {
            float b = first ? d : __fadd_rn(__fmul_rn(buf[i], momentum), __fmul_rn(__fsub_rn(1.0f, dampening), d));
            buf[i] = b;
            d = nesterov ? __fadd_rn(d, __fmul_rn(momentum, b)) : b;
        }
        w[i] = __fsub_rn(wi, __fmul_rn(lr, d));
    }
}

// partials[block] = Σ g² over the block's grid-stride elements, in double (a float square is exact there); the host
// sums the partials in order.
SER_KERNEL void sum_of_squares(const float* __restrict__ g, double* __restrict__ partials, long long n) {
    __shared__ double partial[32];
    double s = 0.0;
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        double v = g[i];
        s += v * v;
    }
    for (int o = 16; o > 0; o >>= 1) s += __shfl_xor_sync(0xffffffffu, s, o);
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    if (lane == 0) partial[warp] = s;
    __syncthreads();
    if (threadIdx.x == 0) {
        double total = 0.0;
        for (int w = 0; w < (int) (blockDim.x >> 5); w++) total += partial[w];
        partials[blockIdx.x] = total;
    }
}
