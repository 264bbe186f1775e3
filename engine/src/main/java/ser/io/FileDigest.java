package ser.io;

import ser.SerException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SHA-256 of a file's bytes, as the first 16 hex digits: what a feature cache and a run record of the weights
 * they were computed with, so that other weights under the same name are noticed. Hashing a 360 MB HuBERT file
 * takes about a second, so results are remembered for the life of the process while the file's size and
 * modification time stay the same.
 */
public final class FileDigest {

    private record Seen(Path file, long size, FileTime modified) {}

    private static final Map<Seen, String> KNOWN = new ConcurrentHashMap<>();

    private FileDigest() {}

    public static String sha256(Path file) {
        Seen key;
        try {
            Path real = file.toRealPath();
            key = new Seen(real, Files.size(real), Files.getLastModifiedTime(real));
        } catch (IOException e) {
            throw SerException.inFile(file, "cannot read (" + IoErrors.describe(e) + ")", e);
        }
        return KNOWN.computeIfAbsent(key, k -> compute(k.file()));
    }

    private static String compute(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) sha.update(buffer, 0, n);
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (IOException e) {
            throw SerException.inFile(file, "cannot read (" + IoErrors.describe(e) + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
