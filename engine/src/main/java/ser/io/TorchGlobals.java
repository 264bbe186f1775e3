package ser.io;

import ser.SerException;
import ser.io.pickle.PickleGlobal;
import ser.io.pickle.PythonGlobals;
import ser.io.pickle.PythonObject;
import ser.io.pickle.SafeUnpickler;
import ser.io.pickle.UnpicklingError;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@code torch.save} pickle may name, and the inert records it becomes. Unpickling only describes
 * tensors ({@link TensorRef} over {@link StorageRef}); {@link CheckpointTensors} reads their data afterwards,
 * so the pickle machine never touches storage bytes and both file formats share one path.
 */
final class TorchGlobals {

    private TorchGlobals() {}

    /**
     * Elements {@code [offset, offset + size)} of the stored storage {@code key}. The offset is non-zero only
     * for the storage views of old legacy files.
     */
    record StorageRef(String key, DType type, long offset, long size) implements PythonObject {
        @Override public String pythonType() { return "torch storage"; }
    }

    /** {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)}, not yet read. */
    record TensorRef(StorageRef storage, long offset, int[] shape, long[] stride) implements PythonObject {
        @Override public String pythonType() { return "torch.Tensor"; }
    }

    /** A storage class such as {@code torch.FloatStorage}: only ever a value inside a persistent id; no type if unsupported. */
    private record StorageType(String name, DType type) implements PickleGlobal {}

    private static final Map<String, DType> STORAGE_TYPES = Map.of(
            "FloatStorage", DType.F32, "HalfStorage", DType.F16, "BFloat16Storage", DType.BF16,
            "DoubleStorage", DType.F64, "LongStorage", DType.I64, "IntStorage", DType.I32,
            "ShortStorage", DType.I16, "CharStorage", DType.I8, "ByteStorage", DType.U8, "BoolStorage", DType.BOOL);

    /** Storage types that a pickle may name but whose tensors this reader cannot convert to float32. */
    private static final List<String> UNSUPPORTED_STORAGE_TYPES = List.of(
            "ComplexFloatStorage", "ComplexDoubleStorage", "QInt8Storage", "QUInt8Storage", "QInt32Storage",
            "QUInt4x2Storage", "QUInt2x4Storage", "UntypedStorage");

    private static final Map<String, PickleGlobal> ALLOWED = allowList();

    static Map<String, PickleGlobal> allowed() {
        return ALLOWED;
    }

    private static Map<String, PickleGlobal> allowList() {
        Map<String, PickleGlobal> globals = new LinkedHashMap<>(PythonGlobals.all());
        // GPU checkpoints of old PyTorch versions name torch.cuda.FloatStorage; the bytes are the same
        for (String module : List.of("torch", "torch.cuda")) {
            STORAGE_TYPES.forEach((name, type) -> add(globals, new StorageType(module + "." + name, type)));
            // named so that the error says what is wrong with them, rather than calling them unsafe
            UNSUPPORTED_STORAGE_TYPES.forEach(name -> add(globals, new StorageType(module + "." + name, null)));
        }
        add(globals, new RebuildTensor("torch._utils._rebuild_tensor_v2", 6, 7));
        add(globals, new RebuildTensor("torch._utils._rebuild_tensor", 4, 4));
        // nn.Parameter: the tensor inside is all a state dict needs; requires_grad and hooks are dropped
        add(globals, new FirstArgument("torch._utils._rebuild_parameter", 3));
        add(globals, new FirstArgument("torch._utils._rebuild_parameter_with_state", 4));
        add(globals, new FirstArgument("torch.Size", 1)); // torch.Size((2, 3)) is the tuple (2, 3)
        return Map.copyOf(globals);
    }

    private static void add(Map<String, PickleGlobal> globals, PickleGlobal g) {
        globals.put(g.name(), g);
    }

    /**
     * A persistent id: {@code ('storage', FloatStorage, key, location, numel)} in zip files, with a sixth
     * item {@code view_metadata} (None, or {@code (view_key, offset, size)}) in legacy files.
     */
    static StorageRef persistentLoad(Object pid) {
        if (!(pid instanceof List<?> id) || id.isEmpty()) {
            throw new UnpicklingError("persistent id is " + SafeUnpickler.aType(pid) + ", not a tuple");
        }
        // never String.valueOf of a pickled value: a tuple of shared parts prints in 2^depth steps
        String kind = switch (id.getFirst()) {
            case byte[] b -> new String(b, StandardCharsets.US_ASCII);
            case String s -> s;
            case null -> "None";
            case Object other -> "<" + SafeUnpickler.typeName(other) + ">";
        };
        if (kind.equals("module")) {
            throw new UnpicklingError("the checkpoint pickles a whole nn.Module class, which cannot be read without running "
                    + "its code: save the model's state_dict() instead");
        }
        if (!kind.equals("storage") || id.size() < 5 || id.size() > 6) {
            throw new UnpicklingError("unknown persistent id " + SerException.quote(kind) + " with " + id.size() + " items");
        }
        if (!(id.get(1) instanceof StorageType type)) {
            throw new UnpicklingError("persistent id names " + SafeUnpickler.aType(id.get(1)) + ", not a storage type");
        }
        if (type.type() == null) {
            throw new UnpicklingError("tensors stored as " + type.name()
                    + " are not supported (float, integer and bool tensors are)");
        }
        if (!(id.get(2) instanceof String key)) {
            throw new UnpicklingError("persistent id with a storage key that is " + SafeUnpickler.aType(id.get(2)) + ", not a str");
        }
        if (!(id.get(4) instanceof Long numel) || numel < 0) {
            throw new UnpicklingError("storage " + SerException.quote(key) + " has no valid size");
        }
        if (id.size() == 6 && id.get(5) instanceof List<?> view) {
            if (view.size() != 3 || !(view.get(1) instanceof Long offset) || !(view.get(2) instanceof Long size)
                    || offset < 0 || size < 0) {
                throw new UnpicklingError("storage " + SerException.quote(key) + " has a malformed view");
            }
            return new StorageRef(key, type.type(), offset, size);
        }
        return new StorageRef(key, type.type(), 0, numel);
    }

    /** A wrapper whose first argument is all a reader needs. */
    private record FirstArgument(String name, int arity) implements PickleGlobal {
        @Override
        public Object call(List<Object> args) {
            expectArgs(args, arity, arity);
            return args.getFirst();
        }
    }

    private record RebuildTensor(String name, int minArgs, int maxArgs) implements PickleGlobal {
        @Override
        public Object call(List<Object> args) {
            expectArgs(args, minArgs, maxArgs);
            StorageRef storage = arg(args, 0, StorageRef.class);
            long offset = arg(args, 1, Long.class);
            List<?> size = arg(args, 2, List.class);
            List<?> stride = arg(args, 3, List.class);
            if (size.size() != stride.size()) {
                throw new UnpicklingError(name + " with " + size.size() + " sizes and " + stride.size() + " strides");
            }
            int[] shape = new int[size.size()];
            long[] strides = new long[size.size()];
            for (int i = 0; i < shape.length; i++) {
                if (!(size.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                    throw new UnpicklingError(name + " with an invalid size: " + shown(size.get(i)));
                }
                if (!(stride.get(i) instanceof Long s) || s < 0) {
                    throw new UnpicklingError(name + " with an invalid stride: " + shown(stride.get(i)));
                }
                shape[i] = d.intValue();
                strides[i] = s;
            }
            return new TensorRef(storage, offset, shape, strides);
        }
    }

    /** A number as itself, anything else only by its type: pickled text could be long or span lines. */
    private static String shown(Object v) {
        return v instanceof Number ? String.valueOf(v) : SafeUnpickler.aType(v);
    }
}
