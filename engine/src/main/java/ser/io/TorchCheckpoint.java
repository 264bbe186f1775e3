package ser.io;

import ser.SerException;
import ser.io.pickle.SafeUnpickler;
import ser.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads {@code torch.save} checkpoints without Python and without running anything they contain.
 *
 * <p>Both formats are read: the zip archive of PyTorch 1.6 and later ({@code <prefix>/data.pkl} plus one
 * {@code <prefix>/data/<key>} entry per storage, whatever the prefix) and the older stream of pickles
 * ({@link LegacyCheckpoint}). The pickle goes through {@link SafeUnpickler} with an allow-list of tensor
 * rebuilders, storage types, containers, {@code argparse.Namespace} and NumPy scalars; anything else is
 * refused. Tensors come back as float32 {@link Tensor}s, whatever their stored type; the rest as the plain
 * Java values that {@link SafeUnpickler} documents.
 */
public final class TorchCheckpoint {

    private TorchCheckpoint() {}

    /** The dict a checkpoint holds, with its tensors read. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> load(Path file) {
        Object root = read(file);
        if (!(root instanceof Map<?, ?> map)) {
            throw SerException.inFile(file, "the checkpoint holds a " + SafeUnpickler.typeName(root) + ", not a dict");
        }
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) throw SerException.inFile(file, "the checkpoint's dict has a " + SafeUnpickler.typeName(key) + " key");
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
                throw SerException.inFile(file, "not a state dict: entry '" + e.getKey() + "' is a " + SafeUnpickler.typeName(e.getValue())
                        + (dict == top ? ", and no 'model' or 'state_dict' entry holds one" : ""));
            }
            weights.put(name, t);
        }
        return Collections.unmodifiableMap(weights);
    }

    private static Object read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            long size = channel.size();
            if (size < 8) throw SerException.inFile(file, "not a PyTorch checkpoint: only " + size + " bytes");
            // mapped only for the legacy format, whose storages are read in place; every tensor is a copy by the
            // time the arena closes
            MemorySegment bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            return switch (format(file, bytes)) {
                case ZIP -> readZip(file);
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
        if (bytes.get(ValueLayout.JAVA_BYTE, 8) == '{') {
            throw SerException.inFile(file, "looks like a safetensors file, not a torch.save checkpoint: read it with Safetensors.read");
        }
        throw SerException.inFile(file, "not a PyTorch checkpoint: neither a zip archive nor a pickle");
    }

    private static String ascii(MemorySegment bytes, long at, int n) {
        return new String(bytes.asSlice(at, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII);
    }

    // ---- the zip format ---------------------------------------------------------------------------------

    private static Object readZip(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String prefix = archivePrefix(file, zip);
            ZipEntry order = zip.getEntry(prefix + "byteorder");
            if (order != null && !new String(entryBytes(file, zip, order), StandardCharsets.US_ASCII).strip().equals("little")) {
                throw SerException.inFile(file, "checkpoint with big-endian storages is not supported");
            }
            byte[] pickle = entryBytes(file, zip, zip.getEntry(prefix + "data.pkl"));
            Object root = new SafeUnpickler(file, MemorySegment.ofArray(pickle), 0, TorchGlobals.allowed(),
                    TorchGlobals::persistentLoad).load();
            return new CheckpointTensors(file, key -> {
                ZipEntry entry = zip.getEntry(prefix + "data/" + key);
                if (entry == null) throw SerException.inFile(file, "storage '" + key + "' is missing: no entry " + prefix + "data/" + key);
                return MemorySegment.ofArray(entryBytes(file, zip, entry));
            }).resolve(root);
        } catch (ZipException e) {
            throw SerException.inFile(file, "damaged zip archive (truncated?): " + e.getMessage(), e);
        } catch (IOException e) {
            throw SerException.inFile(file, "cannot read: " + IoErrors.describe(e), e);
        }
    }

    /** The archive's top folder, {@code "<name>/"}: the file's stem in PyTorch 1.x, "archive" in later versions. */
    private static String archivePrefix(Path file, ZipFile zip) {
        List<String> pickles = zip.stream().map(ZipEntry::getName)
                .filter(n -> n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length())
                .toList();
        if (pickles.size() == 1) return pickles.getFirst().substring(0, pickles.getFirst().length() - "data.pkl".length());
        if (pickles.size() > 1) throw SerException.inFile(file, "zip archive with " + pickles.size() + " data.pkl entries");
        if (zip.stream().anyMatch(e -> e.getName().endsWith("constants.pkl"))) {
            throw SerException.inFile(file, "a TorchScript archive (torch.jit.save), not a torch.save checkpoint: save the model's state_dict() instead");
        }
        throw SerException.inFile(file, "zip archive without a data.pkl: not a PyTorch checkpoint");
    }

    /** An entry's bytes, reading no more than its declared size so a lying archive cannot exhaust memory. */
    private static byte[] entryBytes(Path file, ZipFile zip, ZipEntry entry) {
        long size = entry.getSize();
        if (size < 0 || size > Integer.MAX_VALUE - 8) {
            throw SerException.inFile(file, "zip entry " + entry.getName() + " declares " + size + " bytes, beyond what this reader holds");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes((int) size);
            if (bytes.length != size) {
                throw SerException.inFile(file, "zip entry " + entry.getName() + " ends after " + bytes.length + " of " + size + " bytes (truncated?)");
            }
            return bytes;
        } catch (IOException e) {
            throw SerException.inFile(file, "cannot read zip entry " + entry.getName() + ": " + IoErrors.describe(e), e);
        }
    }
}
