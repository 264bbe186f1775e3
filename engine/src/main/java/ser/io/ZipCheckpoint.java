package ser.io;

import ser.SerException;
import ser.io.pickle.SafeUnpickler;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The format of {@code torch.save} since PyTorch 1.6: a zip archive whose one folder (any name) holds
 * {@code data.pkl}, one {@code data/<key>} entry of little-endian elements per storage, and bookkeeping
 * records ({@code version}, and in later versions {@code byteorder}, {@code .format_version},
 * {@code .storage_alignment}) that change nothing for a reader.
 */
final class ZipCheckpoint {

    /**
     * torch.save stores every entry uncompressed; one compressed by another tool may inflate at most this many
     * times its compressed size (deflate reaches about 1000 only on runs of one byte: a zip bomb, where a 97 KB
     * file inflates a data.pkl of 100 MB that the pickle machine then has to walk).
     */
    static final long MAX_INFLATION_RATIO = 100;
    /** Below this size any ratio is allowed: small repetitive pickles compress far better than 100:1, harmlessly. */
    static final long ANY_RATIO_BELOW = 1L << 20;
    /** data.pkl only describes tensors; the largest honest one is a few MiB (fairseq's, with its config). */
    static final long MAX_PICKLE_BYTES = 64L << 20;

    private ZipCheckpoint() {}

    /** The checkpoint's object with its tensors read. */
    static Object read(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String prefix = archivePrefix(file, zip);
            ZipEntry byteOrder = zip.getEntry(prefix + "byteorder");
            if (byteOrder != null && !ascii(entryBytes(file, zip, byteOrder)).strip().equals("little")) {
                throw SerException.inFile(file, "checkpoint with big-endian storages is not supported");
            }
            ZipEntry pickleEntry = zip.getEntry(prefix + "data.pkl");
            if (pickleEntry.getSize() > MAX_PICKLE_BYTES) {
                throw SerException.inFile(file, "zip entry " + SerException.quote(pickleEntry.getName()) + " declares "
                        + pickleEntry.getSize() + " bytes, more than the " + MAX_PICKLE_BYTES + " a checkpoint's pickle takes");
            }
            byte[] pickle = entryBytes(file, zip, pickleEntry);
            Object root = new SafeUnpickler(file, MemorySegment.ofArray(pickle), 0, TorchGlobals.allowed(),
                    TorchGlobals::persistentLoad).load();
            return new CheckpointTensors(file, key -> {
                ZipEntry entry = zip.getEntry(prefix + "data/" + key);
                if (entry == null) {
                    throw SerException.inFile(file, "storage " + SerException.quote(key) + " is missing: no entry "
                            + SerException.quote(prefix + "data/" + key));
                }
                return MemorySegment.ofArray(entryBytes(file, zip, entry));
            }).resolve(root);
        } catch (ZipException e) {
            String problem = SerException.printable(String.valueOf(e.getMessage()));
            throw SerException.inFile(file, "damaged zip archive (truncated?): " + problem, e);
        } catch (IOException e) {
            throw SerException.inFile(file, "cannot read: " + IoErrors.describe(e), e);
        }
    }

    /** The archive's top folder, {@code "<name>/"}: the file's stem in PyTorch 1.x, "archive" in later versions. */
    private static String archivePrefix(Path file, ZipFile zip) {
        // TorchScript archives hold a data.pkl too, of scripted classes; torch.load tells them apart the same way
        if (zip.stream().anyMatch(e -> e.getName().endsWith("/constants.pkl"))) {
            throw SerException.inFile(file, "a TorchScript archive (torch.jit.save), not a torch.save checkpoint: "
                    + "save the model's state_dict() instead");
        }
        List<String> pickles = zip.stream().map(ZipEntry::getName)
                .filter(n -> n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length())
                .toList();
        if (pickles.size() == 1) return pickles.getFirst().substring(0, pickles.getFirst().length() - "data.pkl".length());
        if (pickles.size() > 1) throw SerException.inFile(file, "zip archive with " + pickles.size() + " data.pkl entries");
        throw SerException.inFile(file, "zip archive without a data.pkl: not a PyTorch checkpoint");
    }

    /** An entry's bytes, reading no more than its declared size so a lying archive cannot exhaust memory. */
    private static byte[] entryBytes(Path file, ZipFile zip, ZipEntry entry) {
        long size = entry.getSize();
        if (size < 0 || size > Integer.MAX_VALUE - 8) {
            throw SerException.inFile(file, "zip entry " + SerException.quote(entry.getName()) + " declares " + size
                    + " bytes, beyond what this reader holds");
        }
        long compressed = entry.getCompressedSize();
        if (entry.getMethod() != ZipEntry.STORED && size > ANY_RATIO_BELOW && size > Math.max(compressed, 1) * MAX_INFLATION_RATIO) {
            throw SerException.inFile(file, "zip entry " + SerException.quote(entry.getName()) + " inflates " + compressed
                    + " bytes to " + size + ", more than " + MAX_INFLATION_RATIO + " times (a zip bomb?)");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes((int) size);
            if (bytes.length != size) {
                throw SerException.inFile(file, "zip entry " + SerException.quote(entry.getName()) + " ends after "
                        + bytes.length + " of " + size + " bytes (truncated?)");
            }
            return bytes;
        } catch (IOException e) {
            throw SerException.inFile(file, "cannot read zip entry " + SerException.quote(entry.getName()) + ": "
                    + IoErrors.describe(e), e);
        }
    }

    private static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
