package ser.io;

import ser.RegularFiles;
import ser.SerException;
import ser.io.pickle.SafeUnpickler;
import ser.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code torch.save} checkpoints without Python and without running anything they contain.
 *
 * <p>Both formats are read: the zip archive of PyTorch 1.6 and later ({@link ZipCheckpoint}) and the older
 * stream of pickles ({@link LegacyCheckpoint}). Their pickle goes through {@link SafeUnpickler} with an
 * allow-list of tensor rebuilders, storage types, containers, {@code argparse.Namespace} and NumPy scalars;
 * anything else is refused. Tensors come back as float32 {@link Tensor}s, whatever their stored type; the rest
 * as the plain Java values that {@link SafeUnpickler} documents.
 */
public final class TorchCheckpoint {

    private TorchCheckpoint() {}

    /** The dict a checkpoint holds, with its tensors read. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> load(Path file) {
        Object root = read(file);
        if (!(root instanceof Map<?, ?> map)) {
            throw SerException.inFile(file, "the checkpoint holds " + SafeUnpickler.aType(root) + ", not a dict");
        }
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw SerException.inFile(file, "the checkpoint's dict has " + SafeUnpickler.aType(key) + " key");
            }
        }
        return (Map<String, Object>) map;
    }

    /**
     * The model weights of a checkpoint: the dict itself when it is a state dict, or the state dict under its
     * {@code "model"} (fairseq) or {@code "state_dict"} (Lightning and many training scripts) entry.
     */
    public static Map<String, Tensor> stateDict(Path file) {
        Map<String, Object> top = load(file);
        Map<?, ?> dict = top;
        for (String wrapper : List.of("model", "state_dict")) {
            if (top.get(wrapper) instanceof Map<?, ?> inner) {
                dict = inner;
                break;
            }
        }
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getValue() instanceof Tensor t) || !(e.getKey() instanceof String name)) {
                // a key is shown only when it is text: printing a pickled tuple could take forever
                String entry = e.getKey() instanceof String key ? SerException.quote(key) : SafeUnpickler.aType(e.getKey()) + " key";
                throw SerException.inFile(file, "not a state dict: entry " + entry + " is "
                        + SafeUnpickler.aType(e.getValue())
                        + (dict == top ? ", and no 'model' or 'state_dict' entry holds one" : ""));
            }
            weights.put(name, t);
        }
        return Collections.unmodifiableMap(weights);
    }

    private static Object read(Path file) {
        RegularFiles.checkBeforeOpening(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            long size = channel.size();
            if (size < 8) throw SerException.inFile(file, "not a PyTorch checkpoint: only " + size + " bytes");
            // mapped rather than read: a zip needs only its first bytes here, a legacy file is read in place, and
            // every tensor is a copy by the time the arena closes
            MemorySegment bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            return switch (format(file, bytes)) {
                case ZIP -> ZipCheckpoint.read(file);
                case LEGACY -> LegacyCheckpoint.read(file, bytes);
            };
        } catch (IOException e) {
            throw SerException.inFile(file, "cannot read: " + IoErrors.describe(e), e);
        }
    }

    private enum Format { ZIP, LEGACY }

    private static Format format(Path file, MemorySegment bytes) {
        int b0 = Byte.toUnsignedInt(bytes.get(ValueLayout.JAVA_BYTE, 0));
        if (b0 == 'P' && bytes.get(ValueLayout.JAVA_BYTE, 1) == 'K') return Format.ZIP;
        if (b0 == 0x80) return Format.LEGACY; // a pickle's PROTO opcode
        if (bytes.byteSize() > 262 && ascii(bytes, 257, 5).equals("ustar")) {
            throw SerException.inFile(file, "a tar checkpoint of PyTorch before 0.4, which is not supported: "
                    + "load it with an old torch and save it again");
        }
        if (bytes.byteSize() > 8 && bytes.get(ValueLayout.JAVA_BYTE, 8) == '{') {
            throw SerException.inFile(file, "looks like a safetensors file, not a torch.save checkpoint: "
                    + "read it with Safetensors.read");
        }
        throw SerException.inFile(file, "not a PyTorch checkpoint: neither a zip archive nor a pickle");
    }

    private static String ascii(MemorySegment bytes, long at, int n) {
        return new String(bytes.asSlice(at, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII);
    }
}
