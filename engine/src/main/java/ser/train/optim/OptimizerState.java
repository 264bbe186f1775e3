package ser.train.optim;

import java.util.Map;
import ser.SerException;
import ser.autograd.Variable;
import ser.tensor.Tensor;

/** Checks on optimiser state read back from a checkpoint. */
final class OptimizerState {

    private OptimizerState() {}

    /** A copy of entry {@code key}, which must hold {@code size} values. */
    static float[] require(Map<String, Tensor> state, String key, int size) {
        Tensor t = state.get(key);
        if (t == null) throw new SerException("optimiser state has no entry " + key);
        if (t.size() != size) {
            throw new SerException("optimiser state entry " + key + " holds " + t.size() + " values, expected " + size);
        }
        return t.contiguous().toArray();
    }

    /** {@code values} as a new dense tensor of {@code p}'s shape on {@code p}'s backend. */
    static Tensor onBackend(Variable p, float[] values) {
        return p.ops().copyOf(Tensor.wrap(values, p.shape()));
    }

    /** A host copy of {@code t}, a state tensor on {@code p}'s backend, flat. */
    static Tensor hostCopy(Variable p, Tensor t) {
        float[] values = p.ops().download(t).contiguous().toArray();
        return Tensor.wrap(values, values.length);
    }
}
