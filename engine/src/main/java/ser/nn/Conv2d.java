package ser.nn;

import java.util.random.RandomGenerator;
import ser.autograd.Conv2dOp;
import ser.autograd.ConvBlockOp;
import ser.autograd.ReusableBuffer;
import ser.autograd.Variable;

/** A square-kernel 2-D convolution with bias; parameters {@code weight[out, in, k, k]}, {@code bias[out]}. */
public final class Conv2d extends Module {

    private final Variable weight, bias;
    private final int stride, padding;
    /** The convolution's output map inside {@link #forwardBlock}, kept for the next step. */
    private final ReusableBuffer blockOutput = new ReusableBuffer();

    public Conv2d(int in, int out, int kernel, int stride, int padding, RandomGenerator random) {
        this.stride = stride;
        this.padding = padding;
        int fanIn = in * kernel * kernel;
        weight = addParameter("weight", Init.uniformFanIn(random, fanIn, out, in, kernel, kernel));
        bias = addParameter("bias", Init.uniformFanIn(random, fanIn, out));
    }

    @Override
    public Variable forward(Variable x) {
        return Conv2dOp.apply(ops(), x, weight, bias, stride, padding);
    }

    /** This convolution, then {@code norm}, ReLU and 2×2 max pooling, as one fused op ({@link ConvBlockOp}). */
    public Variable forwardBlock(BatchNorm2d norm, Variable x) {
        return ConvBlockOp.apply(ops(), x, weight, bias, stride, padding, norm.blockNorm(), blockOutput);
    }
}
