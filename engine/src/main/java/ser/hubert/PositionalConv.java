package ser.hubert;

import ser.tensor.Activation;
import ser.tensor.Ops;
import ser.tensor.PackedMatrix;
import ser.tensor.Parallel;
import ser.tensor.Tensor;
import ser.tensor.Workspace;


/**
 * The relative positional embedding: a grouped conv over time (kernel 128, 16 groups for the released models)
 * padded by kernel/2 on both sides, of which the first T outputs are kept (an even kernel makes one too many),
 * followed by GELU. The caller adds the result to its input.
 *
 * <p>Each group is a GEMM over in-place windows, as in {@link FeatureEncoder}: the group's channels are copied
 * once into a zero-padded [T + kernel, D/G] strip whose overlapping rows are the windows. Groups are the parallel
 * unit, as heads are in attention: a group's product has a single 48-column panel of weights, which a pool can
 * only share out by thin row blocks, each streaming the group's 1.2 MB of weights again.
 */
final class PositionalConv {

    private final Ops ops;
    private final Parallel parallel;
    private final Workspace workspace;
    private final int kernel, groups, width;
    private final PackedMatrix[] weights;
    private final Tensor bias;

    PositionalConv(HubertConfig config, WeightSource w, Ops ops, Parallel parallel, Workspace workspace) {
        this.ops = ops;
        this.parallel = parallel;
        this.workspace = workspace;
        kernel = config.posKernel();
        groups = config.posGroups();
        width = config.hidden() / groups;
        Tensor weight = w.get(WeightNames.POS_CONV + ".weight", groups, kernel * width, width);
        weights = new PackedMatrix[groups];
        for (int g = 0; g < groups; g++) {
            Tensor group = weight.select(0, g);
            weights[g] = ops.prepack(group);
            Linear.release(group, weights[g]);
        }
        bias = w.get(WeightNames.POS_CONV + ".bias", config.hidden());
    }

    /** {@code out = gelu(conv(x))} for one sequence, x and out [T, D]. */
    void forward(Tensor x, Tensor out) {
        int frames = x.dim(0), pad = kernel / 2;
        parallel.parallelFor(groups, g -> {
            Tensor strip = workspace.take("positional.strip", frames + kernel, width); // the running thread's own
            int c0 = g * width, c1 = c0 + width;
            ops.padRows(x.slice(1, c0, c1), pad, strip); // the group's channels, with the conv's zero padding
            Tensor windows = strip.strided(strip.offset(), new int[] {frames, kernel * width},
                    new long[] {width, 1});
            ops.linear(windows, weights[g], bias.slice(0, c0, c1), 0f, Activation.GELU, out.slice(1, c0, c1));
        });
    }
}
