package ser.nn;

import ser.autograd.Variable;

/** Batch norm of {@code [n, c, h, w]}. */
public final class BatchNorm2d extends BatchNorm {

    public BatchNorm2d(int channels) {
        super(channels);
    }

    @Override
    void checkRank(Variable x) {
        if (x.shape().length != 4) throw new IllegalArgumentException("BatchNorm2d wants [n, c, h, w], got " + x);
    }
}
