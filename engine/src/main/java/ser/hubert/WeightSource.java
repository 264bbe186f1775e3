package ser.hubert;

import ser.SerException;
import ser.tensor.Tensor;

import java.util.Arrays;
import java.util.Map;

/**
 * Named weight tensors, checked on the way out: a missing or mis-shaped tensor is a user error that names the
 * tensor and where it came from, never an index exception deep in a kernel.
 */
@FunctionalInterface
public interface WeightSource {

    /** The tensor called {@code name}; it must have exactly {@code shape}. */
    Tensor get(String name, int... shape);

    /** Weights held in a map (tests, or a freshly converted model); {@code origin} names them in errors. */
    static WeightSource of(Map<String, Tensor> tensors, String origin) {
        return (name, shape) -> {
            Tensor t = tensors.get(name);
            if (t == null) throw new SerException(origin + ": missing tensor '" + name + "'");
            if (!Arrays.equals(t.shape(), shape)) {
                throw new SerException(origin + ": tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                        + ", expected " + Arrays.toString(shape));
            }
            return t;
        };
    }
}
