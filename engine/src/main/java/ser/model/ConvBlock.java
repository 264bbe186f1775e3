package ser.model;

import ser.autograd.Activations;
import ser.autograd.MaxPool2dOp;
import ser.autograd.Variable;
import ser.nn.BatchNorm2d;
import ser.nn.Conv2d;
import ser.nn.Module;

import java.util.random.RandomGenerator;

/**
 * The seed CNN's unit as one layer: convolution (stride 1, "same" padding) → batch norm → ReLU → max pooling.
 * Parameters {@code conv.*} and {@code bn.*}. With the usual 2×2 pool the four run as one fused op
 * ({@link ser.autograd.ConvBlockOp}).
 */
final class ConvBlock extends Module {

    private final Conv2d conv;
    private final BatchNorm2d bn;
    private final int pool;

    ConvBlock(int in, int out, int kernel, int pool, RandomGenerator random) {
        this.conv = addModule("conv", new Conv2d(in, out, kernel, 1, kernel / 2, random));
        this.bn = addModule("bn", new BatchNorm2d(out));
        this.pool = pool;
    }

    @Override
    public Variable forward(Variable x) {
        if (pool == 2) return conv.forwardBlock(bn, x);
        Variable y = Activations.relu(ops(), bn.forward(conv.forward(x)));
        return pool > 1 ? MaxPool2dOp.apply(ops(), y, pool, pool) : y;
    }
}
