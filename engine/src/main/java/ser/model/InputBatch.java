package ser.model;

import ser.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * One named model input for a batch of examples: {@code values[n, …]} and, for an input whose frame count varies
 * per utterance (a {@code -1} axis in its shape, as unpooled HuBERT states {@code [layers, -1, dim]}), each
 * example's frames. Shorter examples are zero-padded to the longest of the batch; the pooling layers read
 * {@link #mask} and leave the padding out.
 *
 * @param frames null for an input of fixed size
 */
public record InputBatch(Tensor values, int[] frames) {

    public static InputBatch fixed(Tensor values) {
        return new InputBatch(values, null);
    }

    /**
     * Stacks examples (each flattened, row-major, shaped like {@code shape} with its {@code -1} axis filled by the
     * example's own frame count) into one batch.
     */
    public static InputBatch stack(int[] shape, List<float[]> examples) {
        int n = examples.size(), axis = framesAxis(shape);
        if (axis < 0) {
            int size = Math.toIntExact(Tensor.count(shape));
            float[] x = new float[n * size];
            for (int i = 0; i < n; i++) {
                if (examples.get(i).length != size) {
                    throw new IllegalArgumentException("example " + i + " has " + examples.get(i).length + " values, "
                            + Arrays.toString(shape) + " needs " + size);
                }
                System.arraycopy(examples.get(i), 0, x, i * size, size);
            }
            return fixed(Tensor.wrap(x, batchShape(n, shape)));
        }
        int outer = product(shape, 0, axis), inner = product(shape, axis + 1, shape.length);
        int[] frames = new int[n];
        int longest = 1;
        for (int i = 0; i < n; i++) {
            frames[i] = frames(shape, examples.get(i));
            longest = Math.max(longest, frames[i]);
        }
        float[] x = new float[n * outer * longest * inner];
        for (int i = 0; i < n; i++) {
            int run = frames[i] * inner; // one outer slice of the example: its frames, then zeros up to the longest
            for (int o = 0; o < outer; o++) {
                System.arraycopy(examples.get(i), o * run, x, (i * outer + o) * longest * inner, run);
            }
        }
        int[] padded = shape.clone();
        padded[axis] = longest;
        return new InputBatch(Tensor.wrap(x, batchShape(n, padded)), frames);
    }

    /** {@code mask[n, frames]}: 1 for an example's own frames, 0 for padding; null for an input of fixed size. */
    public Tensor mask() {
        if (frames == null) return null;
        int longest = Arrays.stream(frames).max().orElse(0);
        float[] m = new float[frames.length * longest];
        for (int i = 0; i < frames.length; i++) Arrays.fill(m, i * longest, i * longest + frames[i], 1f);
        return Tensor.wrap(m, frames.length, longest);
    }

    /** The axis marked {@code -1} (frames that vary per utterance), or -1 when every size is fixed. */
    public static int framesAxis(int[] shape) {
        for (int a = 0; a < shape.length; a++) if (shape[a] == -1) return a;
        return -1;
    }

    /** How many frames {@code values} (one example shaped like {@code shape}) holds. */
    public static int frames(int[] shape, float[] values) {
        int axis = framesAxis(shape);
        if (axis < 0) return 0;
        int rest = product(shape, 0, axis) * product(shape, axis + 1, shape.length);
        if (values.length == 0 || values.length % rest != 0) {
            throw new IllegalArgumentException(values.length + " values are not whole frames of " + Arrays.toString(shape));
        }
        return values.length / rest;
    }

    private static int[] batchShape(int n, int[] shape) {
        int[] s = new int[shape.length + 1];
        s[0] = n;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }

    private static int product(int[] shape, int from, int to) {
        int p = 1;
        for (int a = from; a < to; a++) p *= shape[a];
        return p;
    }
}
