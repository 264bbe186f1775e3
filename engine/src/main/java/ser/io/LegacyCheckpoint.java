package ser.io;

import ser.SerException;
import ser.io.TorchGlobals.StorageRef;
import ser.io.pickle.SafeUnpickler;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The format of {@code torch.save(..., _use_new_zipfile_serialization=False)} and of PyTorch 0.4 to 1.5:
 * five pickles in a row (magic number, protocol version, system info, the object, the sorted storage keys),
 * then each storage as an 8-byte element count followed by its little-endian elements.
 */
final class LegacyCheckpoint {

    private static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long PROTOCOL_VERSION = 1001;
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private LegacyCheckpoint() {}

    /** The checkpoint's object with its tensors read; {@code bytes} is the whole file. */
    static Object read(Path file, MemorySegment bytes) {
        Map<String, DType> types = new HashMap<>();
        SafeUnpickler pickles = new SafeUnpickler(file, bytes, 0, TorchGlobals.allowed(), pid -> {
            StorageRef ref = TorchGlobals.persistentLoad(pid);
            types.put(ref.key(), ref.type());
            return ref;
        });
        if (!MAGIC.equals(asBig(pickles.load()))) throw SerException.inFile(file, "not a PyTorch checkpoint: wrong magic number");
        Object version = pickles.load();
        if (!Long.valueOf(PROTOCOL_VERSION).equals(version)) {
            String found = version instanceof Long v ? String.valueOf(v) : SafeUnpickler.aType(version);
            throw SerException.inFile(file, "legacy checkpoint protocol " + found + " is not supported (only " + PROTOCOL_VERSION + ")");
        }
        if (pickles.load() instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
            throw SerException.inFile(file, "checkpoint written on a big-endian machine is not supported");
        }
        Object root = pickles.load();
        if (!(pickles.load() instanceof List<?> keys)) throw SerException.inFile(file, "storage key list is missing");

        Map<String, MemorySegment> storages = new HashMap<>();
        long pos = pickles.position();
        for (Object k : keys) {
            if (!(k instanceof String key)) {
                throw SerException.inFile(file, "storage key list holds " + SafeUnpickler.aType(k) + ", not a str");
            }
            DType type = types.get(key);
            if (type == null) {
                throw SerException.inFile(file, "storage " + SerException.quote(key) + " is listed but no tensor uses it");
            }
            if (bytes.byteSize() - pos < Long.BYTES) throw truncated(file, key);
            long count = bytes.get(LONG_LE, pos);
            pos += Long.BYTES;
            if (count < 0 || count > (bytes.byteSize() - pos) / type.size) throw truncated(file, key);
            storages.put(key, bytes.asSlice(pos, count * type.size));
            pos += count * type.size;
        }
        return new CheckpointTensors(file, key -> {
            MemorySegment s = storages.get(key);
            if (s == null) throw SerException.inFile(file, "storage " + SerException.quote(key) + " is used but not stored");
            return s;
        }).resolve(root);
    }

    private static BigInteger asBig(Object v) {
        return switch (v) {
            case BigInteger b -> b;
            case Long l -> BigInteger.valueOf(l);
            case null, default -> null; // a pickled None where the magic number belongs is no checkpoint either
        };
    }

    private static SerException truncated(Path file, String key) {
        return SerException.inFile(file, "storage " + SerException.quote(key) + " runs past the end of the file (truncated?)");
    }
}
