package ser.cuda;

import ser.autograd.kernels.TrainingOps;
import ser.autograd.kernels.TrainingOps.AdamStep;
import ser.autograd.kernels.TrainingOps.Indices;
import ser.autograd.kernels.TrainingOps.SgdStep;
import ser.autograd.reference.ConvShape;
import ser.tensor.Tensor;

/**
 * The training kernels of layers on a GPU, for {@link CudaOps}'s {@link TrainingOps}: linear, convolution, batch
 * norm, max pooling and the fused convolution block, forward and backward. Called with CudaOps's lock held.
 */
final class CudaLayerTraining {

    private final CudaOps ops;
    private final Gpu gpu;

    CudaLayerTraining(CudaOps ops, Gpu gpu) {
        this.ops = ops;
        this.gpu = gpu;
    }

    Indices indices(int size) {
        throw new UnsupportedOperationException("indices on CUDA");
    }

    void linearForward(int n, int in, int out, Tensor x, Tensor w, Tensor b, Tensor y) {
        throw new UnsupportedOperationException("linearForward on CUDA");
    }

    void linearBackward(int n, int in, int out, Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        throw new UnsupportedOperationException("linearBackward on CUDA");
    }

    void conv2dForward(ConvShape s, Tensor x, Tensor w, Tensor b, Tensor y) {
        throw new UnsupportedOperationException("conv2dForward on CUDA");
    }

    void conv2dBackward(ConvShape s, Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        throw new UnsupportedOperationException("conv2dBackward on CUDA");
    }

    void batchNormTrain(int n, int c, int spatial, Tensor x, Tensor gamma, Tensor beta, float eps, Tensor y, Tensor mean, Tensor var) {
        throw new UnsupportedOperationException("batchNormTrain on CUDA");
    }

    void batchNormEval(int n, int c, int spatial, Tensor x, Tensor gamma, Tensor beta, float eps, Tensor mean, Tensor var, Tensor y) {
        throw new UnsupportedOperationException("batchNormEval on CUDA");
    }

    void batchNormBackward(int n, int c, int spatial, Tensor x, Tensor gamma, float eps, Tensor mean, Tensor var, Tensor dy, Tensor dx, Tensor dgamma, Tensor dbeta) {
        throw new UnsupportedOperationException("batchNormBackward on CUDA");
    }

    void batchNormEvalBackward(int n, int c, int spatial, Tensor x, Tensor gamma, float eps, Tensor mean, Tensor var, Tensor dy, Tensor dx, Tensor dgamma, Tensor dbeta) {
        throw new UnsupportedOperationException("batchNormEvalBackward on CUDA");
    }

    void updateRunningStats(Tensor runningMean, Tensor runningVar, Tensor mean, Tensor var, float momentum, long count) {
        throw new UnsupportedOperationException("updateRunningStats on CUDA");
    }

    void batchNormPoolReluTrain(int n, int c, int h, int w, Tensor x, Tensor gamma, Tensor beta, float eps, Tensor y, Indices from, Tensor mean, Tensor var) {
        throw new UnsupportedOperationException("batchNormPoolReluTrain on CUDA");
    }

    void batchNormPoolReluEval(int n, int c, int h, int w, Tensor x, Tensor gamma, Tensor beta, float eps, Tensor mean, Tensor var, Tensor y) {
        throw new UnsupportedOperationException("batchNormPoolReluEval on CUDA");
    }

    void batchNormPoolReluBackward(int n, int c, int h, int w, Tensor x, Tensor gamma, float eps, Tensor mean, Tensor var, Tensor y, Indices from, Tensor dy, Tensor dx, Tensor dgamma, Tensor dbeta) {
        throw new UnsupportedOperationException("batchNormPoolReluBackward on CUDA");
    }

    void convBlockBackward(ConvShape s, Tensor x, Tensor w, Tensor conv, Tensor gamma, float eps, Tensor mean, Tensor var, Tensor y, Indices from, Tensor dy, Tensor dx, Tensor dw, Tensor db, Tensor dgamma, Tensor dbeta) {
        throw new UnsupportedOperationException("convBlockBackward on CUDA");
    }

    void maxPoolForward(int n, int c, int h, int w, int kernel, int stride, Tensor x, Tensor y, Indices from) {
        throw new UnsupportedOperationException("maxPoolForward on CUDA");
    }

    void maxPoolBackward(int n, int c, int h, int w, int kernel, int stride, Tensor x, Indices from, Tensor dy, Tensor dx) {
        throw new UnsupportedOperationException("maxPoolBackward on CUDA");
    }
}
