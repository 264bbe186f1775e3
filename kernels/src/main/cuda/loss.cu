// ser kernels, loss: softmax cross-entropy with class weights and label smoothing (PyTorch's CrossEntropyLoss, mean
// reduction), in double as CrossEntropyReference. One thread a row: the classes are few. The host sums the rows'
// terms in order and divides by Σ w[target], which it knows from its own arrays. CPU reference: HostGpu
// (kernels/src/test); built into ser_kernels.cu.

#include "common.cuh"

__device__ __forceinline__ double ce_weight(const float* weights, int j) {
    return weights ? (double) weights[j] : 1.0;
}

// max + log Σ exp(x − max) of one row in double; a NaN anywhere makes it NaN, as the reference's Math.max.
__device__ double ce_log_sum(const float* r, int c) {
    double m = -CUDART_INF;
    for (int j = 0; j < c; j++) {
        double v = r[j];
        m = (v != v || m != m) ? CUDART_NAN : fmax(m, v);
    }
    double s = 0.0;
    for (int j = 0; j < c; j++) s += exp((double) r[j] - m);
    return m + log(s);
}

// rows[i] = (1 − ε)·w[y]·(−log p[i, y]) + ε/c·Σ_j w[j]·(−log p[i, j]).
SER_KERNEL void cross_entropy_forward(const float* __restrict__ logits, const int* __restrict__ targets,
                                      const float* __restrict__ weights, double* __restrict__ rows, int n, int c,
                                      double smoothing) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    const float* r = logits + (long long) i * c;
    double ls = ce_log_sum(r, c), smooth = 0.0;
    for (int j = 0; j < c; j++) smooth = __dsub_rn(smooth, __dmul_rn(ce_weight(weights, j), (double) r[j] - ls));
    int y = targets[i];
    double hard = __dmul_rn(__dmul_rn(1.0 - smoothing, ce_weight(weights, y)), -((double) r[y] - ls));
    rows[i] = __dadd_rn(hard, __dmul_rn(smoothing / c, smooth));
}

// dlogits[i, j] = upstream·((1 − ε)·w[y]·(p − [j = y]) + ε/c·(p·Σw − w[j])) / norm, norm = Σ_i w[y_i].
SER_KERNEL void cross_entropy_backward(const float* __restrict__ logits, const int* __restrict__ targets,
                                       const float* __restrict__ weights, float* __restrict__ dlogits, int n, int c,
                                       double smoothing, double norm, double weight_sum, float upstream) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    const float* r = logits + (long long) i * c;
    float* o = dlogits + (long long) i * c;
    double ls = ce_log_sum(r, c);
    int y = targets[i];
    double wy = ce_weight(weights, y);
    for (int j = 0; j < c; j++) {
        double p = exp((double) r[j] - ls);
        double hard = __dmul_rn(wy, p - (j == y ? 1.0 : 0.0));
        double smooth = __dsub_rn(__dmul_rn(p, weight_sum), ce_weight(weights, j));
        double grad = __dadd_rn(__dmul_rn(1.0 - smoothing, hard), __dmul_rn(smoothing / c, smooth)) / norm;
        o[j] = (float) ((double) upstream * grad);
    }
}
