// ser kernel, element-wise over any strided, broadcast views: CudaOps's add, sub, mul, scale, addScalar, relu, gelu,
// exp, log, sqrt, a linear layer's bias + GELU, and copies between layouts. CPU reference: HostGpu.stridedMap (kernels/src/test), which
// OpsParityTest holds to ScalarOps; built into ser_kernels.cu.

#include "common.cuh"

#define MAX_RANK 6

// Mirrors ser.cuda.StridedMap.LAYOUT: shape and element strides of x, y and out (y's unread for unary ops),
// merged axes first to last, the last the fastest.
struct StridedMap {
    long long shape[MAX_RANK];
    long long x[MAX_RANK];
    long long y[MAX_RANK];
    long long out[MAX_RANK];
    long long n;
    int rank;
    int op;
    float scalar;
};

enum { OP_COPY, OP_ADD, OP_SUB, OP_MUL, OP_SCALE, OP_ADD_SCALAR, OP_RELU, OP_GELU, OP_EXP, OP_LOG, OP_SQRT, OP_ADD_GELU };

__device__ __forceinline__ float apply(int op, float a, float b, float s) {
    switch (op) {
        case OP_ADD: return a + b;
        case OP_SUB: return a - b;
        case OP_MUL: return a * b;
        case OP_SCALE: return s * a;
        case OP_ADD_SCALAR: return a + s;
        case OP_RELU: return a != a ? a : fmaxf(a, 0.0f);  // NaN stays NaN, as in the reference (fmaxf would give 0)
        case OP_GELU: return gelu_exact(a);
        case OP_EXP: return expf(a);
        case OP_LOG: return logf(a);
        case OP_SQRT: return sqrtf(a);
        case OP_ADD_GELU: return gelu_exact(a + b);  // a linear layer's bias and activation in one pass
        default: return a;
    }
}

// One thread per element of out, grid-stride; the element's multi-index comes from its linear index, last axis fastest.
SER_KERNEL void strided_map(StridedMap m, const float* __restrict__ x, const float* __restrict__ y, float* out) {
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < m.n;
         i += (long long) gridDim.x * blockDim.x) {
        long long rest = i, ox = 0, oy = 0, oo = 0;
        if (m.rank == 1) {  // merged contiguous or evenly strided: no division
            ox = i * m.x[0];
            oy = i * m.y[0];
            oo = i * m.out[0];
        } else for (int a = m.rank - 1; a >= 0; a--) {
            long long idx = rest % m.shape[a];
            rest /= m.shape[a];
            ox += idx * m.x[a];
            oy += idx * m.y[a];
            oo += idx * m.out[a];
        }
        float b = (m.op == OP_ADD || m.op == OP_SUB || m.op == OP_MUL || m.op == OP_ADD_GELU) ? y[oy] : 0.0f;
        out[oo] = apply(m.op, x[ox], b, m.scalar);
    }
}
