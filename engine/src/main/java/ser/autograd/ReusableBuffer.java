package ser.autograd;

import ser.autograd.kernels.TrainingOps;
import ser.tensor.Tensor;

/**
 * One tensor (and one set of pooling indices) that an op hands back when it is done with it and takes again next
 * time, instead of allocating a new one on every training step. For the big temporaries that never leave an op:
 * the Mel CNN's first convolution writes a 316 MB map per batch of 128, and its pooling's argmax map is a quarter
 * of that. The JVM zeroes every new array before handing it out, on the allocating thread alone, a pass over
 * memory that buys nothing when the op overwrites the whole array anyway.
 *
 * <p>What is taken and never given back (a graph dropped before backward) is simply garbage: the next
 * {@link #take} allocates.
 */
public final class ReusableBuffer {

    private Tensor spare;
    private TrainingOps spareOwner;
    private TrainingOps.Indices spareIndices;
    private TrainingOps indicesOwner;

    /** A dense tensor of {@code shape} on {@code ops} with unspecified contents: the spare one if it fits, else new. */
    synchronized Tensor take(TrainingOps ops, int... shape) {
        Tensor t = spare;
        if (t != null && spareOwner == ops && t.size() == Tensor.count(shape)) {
            spare = null;
            return t.reshape(shape);
        }
        return ops.zeros(shape);
    }

    /** Keeps {@code t} for the next {@link #take}; the caller must not touch it again. */
    synchronized void giveBack(TrainingOps ops, Tensor t) {
        spare = t;
        spareOwner = ops;
    }

    /** As {@link #take}, for pooling indices. */
    synchronized TrainingOps.Indices takeIndices(TrainingOps ops, int size) {
        TrainingOps.Indices i = spareIndices;
        if (i != null && indicesOwner == ops && i.size() == size) {
            spareIndices = null;
            return i;
        }
        return ops.indices(size);
    }

    /** Keeps {@code i} for the next {@link #takeIndices}; the caller must not touch it again. */
    synchronized void giveBack(TrainingOps ops, TrainingOps.Indices i) {
        spareIndices = i;
        indicesOwner = ops;
    }
}
