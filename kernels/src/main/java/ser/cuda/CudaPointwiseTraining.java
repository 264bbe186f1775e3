package ser.cuda;

import ser.autograd.kernels.TrainingOps;
import ser.autograd.kernels.TrainingOps.AdamStep;
import ser.autograd.kernels.TrainingOps.Indices;
import ser.autograd.kernels.TrainingOps.SgdStep;
import ser.autograd.reference.ConvShape;
import ser.tensor.Tensor;

/**
 * The element-wise and small training kernels on a GPU, for {@link CudaOps}'s {@link TrainingOps}: activation
 * gradients, tanh, gated mix, time and layer pooling, cross-entropy, the optimisers' updates. Called with
 * CudaOps's lock held.
 */
final class CudaPointwiseTraining {

    private final CudaOps ops;
    private final Gpu gpu;

    CudaPointwiseTraining(CudaOps ops, Gpu gpu) {
        this.ops = ops;
        this.gpu = gpu;
    }

    void reluBackward(Tensor x, Tensor dy, Tensor dx) {
        throw new UnsupportedOperationException("reluBackward on CUDA");
    }

    void geluBackward(Tensor x, Tensor dy, Tensor dx) {
        throw new UnsupportedOperationException("geluBackward on CUDA");
    }

    void tanhForward(Tensor x, Tensor y) {
        throw new UnsupportedOperationException("tanhForward on CUDA");
    }

    void tanhBackward(Tensor y, Tensor dy, Tensor dx) {
        throw new UnsupportedOperationException("tanhBackward on CUDA");
    }

    void gatedMixForward(Tensor z, Tensor a, Tensor b, Tensor gate, Tensor y) {
        throw new UnsupportedOperationException("gatedMixForward on CUDA");
    }

    void gatedMixBackward(Tensor gate, Tensor a, Tensor b, Tensor dy, Tensor dz, Tensor da, Tensor db) {
        throw new UnsupportedOperationException("gatedMixBackward on CUDA");
    }

    void timeMeanForward(int n, int t, int d, Tensor x, Tensor mask, Tensor y) {
        throw new UnsupportedOperationException("timeMeanForward on CUDA");
    }

    void timeMeanBackward(int n, int t, int d, Tensor mask, Tensor dy, Tensor dx) {
        throw new UnsupportedOperationException("timeMeanBackward on CUDA");
    }

    void layerMixForward(int n, int layers, int rest, Tensor x, double[] p, Tensor y) {
        throw new UnsupportedOperationException("layerMixForward on CUDA");
    }

    void layerMixBackward(int n, int layers, int rest, Tensor x, double[] p, Tensor dy, Tensor dx, double[] dp) {
        throw new UnsupportedOperationException("layerMixBackward on CUDA");
    }

    float crossEntropyForward(int n, int c, Tensor logits, int[] targets, float[] weights, double smoothing) {
        throw new UnsupportedOperationException("crossEntropyForward on CUDA");
    }

    void crossEntropyBackward(int n, int c, Tensor logits, int[] targets, float[] weights, double smoothing, float upstream, Tensor dlogits) {
        throw new UnsupportedOperationException("crossEntropyBackward on CUDA");
    }

    void adamStep(Tensor w, Tensor g, Tensor m, Tensor v, AdamStep step) {
        throw new UnsupportedOperationException("adamStep on CUDA");
    }

    void sgdStep(Tensor w, Tensor g, Tensor momentum, SgdStep step) {
        throw new UnsupportedOperationException("sgdStep on CUDA");
    }

    double sumOfSquares(Tensor g) {
        throw new UnsupportedOperationException("sumOfSquares on CUDA");
    }
}
