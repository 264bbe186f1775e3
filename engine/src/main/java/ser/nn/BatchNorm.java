package ser.nn;

import ser.autograd.BatchNormOp;
import ser.autograd.ConvBlockOp;
import ser.autograd.Variable;
import ser.tensor.Tensor;

/**
 * Batch norm over the channel axis with PyTorch's defaults (eps 1e-5, momentum 0.1, affine, tracked running
 * statistics). State: {@code weight}, {@code bias}, {@code running_mean}, {@code running_var} and
 * {@code num_batches_tracked} (a 0-d tensor here, int64 in PyTorch).
 */
public abstract sealed class BatchNorm extends Module permits BatchNorm1d, BatchNorm2d {

    public static final float EPS = 1e-5f;
    public static final float MOMENTUM = 0.1f;

    private final Variable weight, bias;
    private final Tensor batchesTracked;

    BatchNorm(int channels) {
        weight = addParameter("weight", Init.filled(1f, channels));
        bias = addParameter("bias", Init.filled(0f, channels));
        addBuffer("running_mean", Init.filled(0f, channels));
        addBuffer("running_var", Init.filled(1f, channels));
        batchesTracked = addHostBuffer("num_batches_tracked", Tensor.zeros());
    }

    /** Throws unless {@code x} has a rank this variant normalises. */
    abstract void checkRank(Variable x);

    @Override
    public Variable forward(Variable x) {
        checkRank(x);
        if (!isTraining()) return BatchNormOp.eval(ops(), x, weight, bias, runningMean(), runningVar(), EPS);
        batchesTracked.setFlat(0, batchesTracked.getFlat(0) + 1);
        return BatchNormOp.train(ops(), x, weight, bias, runningMean(), runningVar(), MOMENTUM, EPS);
    }

    /** What a fused block ({@link ConvBlockOp}) needs of this layer for one forward pass, counted as one. */
    ConvBlockOp.Norm blockNorm() {
        if (isTraining()) batchesTracked.setFlat(0, batchesTracked.getFlat(0) + 1);
        return new ConvBlockOp.Norm(weight, bias, runningMean(), runningVar(), MOMENTUM, EPS, isTraining());
    }

    private Tensor runningMean() { return buffer("running_mean"); }

    private Tensor runningVar() { return buffer("running_var"); }
}
