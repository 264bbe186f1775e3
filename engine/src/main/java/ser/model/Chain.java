package ser.model;

import ser.autograd.Variable;
import ser.nn.BatchNorm2d;
import ser.nn.Conv2d;
import ser.nn.Module;
import ser.tensor.Tensor;

import java.util.List;

/**
 * Layers applied in order, each registered under its state-dict name. The frame mask of a variable-length input
 * goes to the first {@link FramePooling} layer; after it there are no frames left to mask.
 */
final class Chain extends Module {

    private final List<Module> layers;
    /** {@code blockAt[i]}: layers {@code i .. i+3} are a convolution block that runs as one fused op. */
    private final boolean[] blockAt;

    Chain(List<String> names, List<Module> layers) {
        this.layers = List.copyOf(layers);
        for (int i = 0; i < layers.size(); i++) addModule(names.get(i), layers.get(i));
        blockAt = new boolean[layers.size()];
        for (int i = 0; i + 3 < layers.size(); i++) blockAt[i] = isConvBlock(this.layers.subList(i, i + 4));
    }

    /**
     * Conv2d → BatchNorm2d → ReLU → 2×2 max pool (or pool, then ReLU: the same values), the seed CNN's block
     * written out layer by layer, as in {@code config/models/mel-cnn-seed.yaml}. Run as one op it keeps three
     * full-size maps per block out of memory ({@link ser.autograd.ConvBlockOp}); the layers keep their names.
     */
    private static boolean isConvBlock(List<Module> run) {
        if (!(run.get(0) instanceof Conv2d) || !(run.get(1) instanceof BatchNorm2d)) return false;
        if (!(run.get(2) instanceof Stateless third) || !(run.get(3) instanceof Stateless fourth)) return false;
        return third.is(Stateless.RELU) && fourth.is(Stateless.MAX_POOL_2X2)
                || third.is(Stateless.MAX_POOL_2X2) && fourth.is(Stateless.RELU);
    }

    /** How many runs of layers {@link #forward} takes as one fused block. */
    int fusedBlocks() {
        int count = 0;
        for (boolean b : blockAt) if (b) count++;
        return count;
    }

    List<Module> layers() {
        return layers;
    }

    Variable forward(Variable x, Tensor mask) {
        for (int i = 0; i < layers.size(); i++) {
            Module layer = layers.get(i);
            if (blockAt[i]) {
                x = ((Conv2d) layer).forwardBlock((BatchNorm2d) layers.get(i + 1), x);
                i += 3;
            } else if (layer instanceof FramePooling pooling) {
                x = pooling.pool(x, mask);
                mask = null;
            } else {
                x = layer.forward(x);
            }
        }
        return x;
    }

    @Override
    public Variable forward(Variable x) {
        return forward(x, null);
    }
}
