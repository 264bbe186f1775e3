package ser.model;

import ser.autograd.TimePooling;
import ser.autograd.Variable;
import ser.nn.Module;
import ser.tensor.Tensor;

/** The mean over the real frames: {@code [n, t, d] → [n, d]}. */
final class MeanPooling extends Module implements FramePooling {

    @Override
    public Variable pool(Variable x, Tensor mask) {
        return TimePooling.mean(ops(), x, mask);
    }

    @Override
    public Variable forward(Variable x) {
        return pool(x, null);
    }
}
