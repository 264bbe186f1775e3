package ser.nn;

import ser.autograd.Variable;

/** Batch norm of {@code [n, c]} or {@code [n, c, l]}. */
public final class BatchNorm1d extends BatchNorm {

    public BatchNorm1d(int channels) {
        super(channels);
    }

    @Override
    void checkRank(Variable x) {
        int rank = x.shape().length;
        if (rank != 2 && rank != 3) throw new IllegalArgumentException("BatchNorm1d wants [n, c] or [n, c, l], got " + x);
    }
}
