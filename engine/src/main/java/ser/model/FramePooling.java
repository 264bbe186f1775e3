package ser.model;

import ser.autograd.Variable;
import ser.tensor.Tensor;

/**
 * A layer that pools a sequence of frames {@code [n, t, d]} into one vector per example, and so the one place where
 * the padding of variable-length inputs matters: {@code mask[n, t]} (1 = real frame) keeps it out.
 */
interface FramePooling {

    /** @param mask null when every frame is real */
    Variable pool(Variable frames, Tensor mask);
}
