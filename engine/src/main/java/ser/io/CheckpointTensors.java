package ser.io;

import ser.SerException;
import ser.io.TorchGlobals.StorageRef;
import ser.io.TorchGlobals.TensorRef;
import ser.io.pickle.SafeUnpickler;
import ser.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns the tensor descriptions of an unpickled checkpoint into float32 {@link Tensor}s, in place.
 *
 * <p>Each storage is read and converted once. A tensor that covers its whole storage contiguously wraps the
 * converted array (tensors tied to one storage share it, as in PyTorch); any other view (an offset, a slice,
 * a transpose, an expand) is copied out contiguously, so no tensor pins a larger buffer than its own.
 * Offsets, sizes and strides are checked against the storage first: a damaged file is an error naming the
 * tensor, never an out-of-bounds read.
 */
final class CheckpointTensors {

    private final Path file;
    private final Function<String, MemorySegment> storageBytes;
    private final Map<String, float[]> storages = new HashMap<>();
    private final Map<String, DType> storageTypes = new HashMap<>();
    private final Map<Object, Tensor> made = new IdentityHashMap<>();
    /** Elements copied out of storages so far, and how many may be: half the heap, in floats. */
    private long copied;
    private final long copyBudget = Runtime.getRuntime().maxMemory() / 2 / Float.BYTES;

    /** What one float array can hold. */
    static final long MAX_TENSOR_ELEMENTS = Integer.MAX_VALUE - 8;
    /**
     * An expanded view (stride 0, more elements than its storage) is made real by copying; larger ones than this
     * (64 MiB) are refused, since nothing in a checkpoint of weights is one and a few bytes can describe any size.
     */
    static final long MAX_EXPANDED_ELEMENTS = 1 << 24;

    /** @param storageBytes the stored little-endian bytes of a storage key; throws {@link SerException} if absent */
    CheckpointTensors(Path file, Function<String, MemorySegment> storageBytes) {
        this.file = file;
        this.storageBytes = storageBytes;
    }

    /** Replaces every tensor description under {@code root} by a tensor; returns the (possibly replaced) root. */
    Object resolve(Object root) {
        if (isTensor(root)) return tensor(root, "<root>");
        // iterative, because a hostile pickle can nest containers deeper than any call stack
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Place> work = new ArrayDeque<>();
        work.push(new Place(root, null, null));
        while (!work.isEmpty()) {
            Place place = work.pop();
            if (!seen.add(place.container)) continue;
            if (place.container instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    Object v = e.getValue();
                    if (isTensor(v)) setValue(e, tensor(v, place.name(e.getKey())));
                    else if (v instanceof Map || v instanceof List) work.push(new Place(v, place, e.getKey()));
                }
            } else if (place.container instanceof List<?> list) {
                ListIterator<?> it = list.listIterator();
                while (it.hasNext()) {
                    int index = it.nextIndex();
                    Object v = it.next();
                    if (isTensor(v)) setItem(it, tensor(v, place.name(index)));
                    else if (v instanceof Map || v instanceof List) work.push(new Place(v, place, index));
                }
            }
        }
        return root;
    }

    /**
     * A container and the key or index that reached it from its parent. Names are spelled out only for
     * tensors, and only their last levels, so that a hostile file cannot make naming cost more than reading.
     */
    private record Place(Object container, Place parent, Object step) {

        /** {@code model.encoder.layers[3].weight}. */
        String name(Object last) {
            StringBuilder name = new StringBuilder();
            append(name, last);
            int levels = 0;
            for (Place p = this; p.parent != null; p = p.parent) {
                if (++levels > 32) return "..." + name;
                StringBuilder prefix = new StringBuilder();
                append(prefix, p.step);
                name.insert(0, prefix);
            }
            return name.charAt(0) == '.' ? name.substring(1) : name.toString();
        }

        private static void append(StringBuilder name, Object step) {
            if (step instanceof Integer index) { // pickled dict keys are Longs, so an Integer is a list index
                name.append('[').append(index).append(']');
                return;
            }
            String key = step instanceof String || step instanceof Number || step instanceof Boolean || step == null
                    ? String.valueOf(step) : "<" + SafeUnpickler.typeName(step) + ">";
            name.append('.').append(key.length() > 200 ? key.substring(0, 200) + "..." : key);
        }
    }

    private static boolean isTensor(Object v) {
        return v instanceof TensorRef || v instanceof StorageRef;
    }

    @SuppressWarnings("unchecked")
    private static void setValue(Map.Entry<?, ?> e, Object v) {
        ((Map.Entry<Object, Object>) e).setValue(v);
    }

    @SuppressWarnings("unchecked")
    private static void setItem(ListIterator<?> it, Object v) {
        ((ListIterator<Object>) it).set(v);
    }

    private Tensor tensor(Object ref, String name) {
        Tensor t = made.get(ref);
        if (t == null) {
            // a bare storage (torch.save of a storage) reads as the 1-D tensor over all of it
            TensorRef r = ref instanceof StorageRef s
                    ? new TensorRef(s, 0, new int[] {(int) Math.min(s.size(), Integer.MAX_VALUE)}, new long[] {1})
                    : (TensorRef) ref;
            t = build(r, name);
            made.put(ref, t);
        }
        return t;
    }

    private Tensor build(TensorRef ref, String name) {
        StorageRef s = ref.storage();
        float[] stored = storage(s, name);
        if (s.offset() + s.size() > stored.length) {
            throw bad(name, s.offset() == 0
                    ? "storage " + SerException.quote(s.key()) + " holds " + stored.length + " elements, the pickle promises "
                            + s.size()
                    : "storage view [" + s.offset() + ", " + (s.offset() + s.size()) + ") runs past storage "
                            + SerException.quote(s.key()) + " of " + stored.length + " elements");
        }
        int[] shape = ref.shape();
        long count = elements(shape);
        if (count == 0) return Tensor.wrap(new float[0], shape);
        if (count < 0 || count > MAX_TENSOR_ELEMENTS) {
            throw bad(name, "shape " + Arrays.toString(shape) + " has " + (count < 0 ? "more than 2^63" : count)
                    + " elements, more than the " + MAX_TENSOR_ELEMENTS + " one tensor may hold");
        }
        if (count > s.size() && count > MAX_EXPANDED_ELEMENTS) {
            // stride 0 repeats elements: a 4-byte storage can describe a tensor of any size
            throw bad(name, "shape " + Arrays.toString(shape) + ", strides " + Arrays.toString(ref.stride())
                    + " repeat the " + s.size() + " elements of its storage into " + count
                    + ", more than the " + MAX_EXPANDED_ELEMENTS + " an expanded view may hold");
        }
        long last = lastElement(ref);
        if (ref.offset() < 0 || last < 0 || last >= s.size()) {
            throw bad(name, "offset " + ref.offset() + ", shape " + Arrays.toString(shape) + ", strides "
                    + Arrays.toString(ref.stride()) + " reach past the " + s.size() + " elements of its storage");
        }
        long start = s.offset() + ref.offset();
        Tensor view = Tensor.view(MemorySegment.ofArray(stored), start, shape, ref.stride());
        if (start == 0 && count == stored.length && view.isContiguous()) return Tensor.wrap(stored, shape);
        copied += count;
        if (copied > copyBudget) {
            throw bad(name, "copying views out of their storages takes " + (copied * Float.BYTES >> 20)
                    + " MiB by this tensor, more than half the heap (" + (Runtime.getRuntime().maxMemory() >> 20) + " MiB)");
        }
        return view.copy();
    }

    /** Elements of {@code shape}, or -1 past a long. */
    private static long elements(int[] shape) {
        try {
            long n = 1;
            for (int d : shape) n = Math.multiplyExact(n, d);
            return n;
        } catch (ArithmeticException overflow) {
            return -1;
        }
    }

    /** The index of the view's last element, or -1 when the arithmetic overflows (a hostile file). */
    private static long lastElement(TensorRef ref) {
        try {
            long last = ref.offset();
            for (int i = 0; i < ref.shape().length; i++) {
                last = Math.addExact(last, Math.multiplyExact(ref.shape()[i] - 1L, ref.stride()[i]));
            }
            return last;
        } catch (ArithmeticException overflow) {
            return -1;
        }
    }

    private float[] storage(StorageRef s, String name) {
        DType known = storageTypes.putIfAbsent(s.key(), s.type());
        if (known != null && known != s.type()) {
            throw bad(name, "storage " + SerException.quote(s.key()) + " is read as " + s.type() + " here and as " + known
                    + " elsewhere");
        }
        float[] floats = storages.get(s.key());
        if (floats != null) return floats;
        MemorySegment bytes = storageBytes.apply(s.key());
        long n = bytes.byteSize() / s.type().size;
        if (n * s.type().size != bytes.byteSize()) {
            throw bad(name, "storage " + SerException.quote(s.key()) + " holds " + bytes.byteSize()
                    + " bytes, not a whole number of " + s.type() + " elements");
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw bad(name, "storage " + SerException.quote(s.key()) + " of " + n + " elements is too large to read");
        }
        floats = new float[(int) n];
        s.type().toFloats(bytes, 0, floats, 0, floats.length);
        storages.put(s.key(), floats);
        return floats;
    }

    private SerException bad(String tensor, String problem) {
        return SerException.inFile(file, "tensor " + SerException.quote(tensor) + ": " + problem);
    }
}
