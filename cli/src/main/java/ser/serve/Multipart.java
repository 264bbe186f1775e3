package ser.serve;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The one file part of a {@code multipart/form-data} body (RFC 7578), parsed in memory: the body is already
 * bounded by the upload limit. Parts with a {@code filename} are file parts; when no part has one, every part is.
 */
final class Multipart {

    /** One part: its file name (null when it gave none) and its bytes. */
    record Part(String fileName, byte[] bytes) {}

    private Multipart() {}

    /** The boundary of a {@code multipart/form-data} content type, or null when the type is something else. */
    static String boundary(String contentType) {
        if (contentType == null) return null;
        String[] fields = contentType.split(";");
        if (!fields[0].trim().toLowerCase(Locale.ROOT).equals("multipart/form-data")) return null;
        for (int i = 1; i < fields.length; i++) {
            String f = fields[i].trim();
            if (f.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = f.substring("boundary=".length());
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) b = b.substring(1, b.length() - 1);
                if (!b.isEmpty()) return b;
            }
        }
        throw new BadRequest("multipart/form-data without a boundary parameter");
    }

    /** The body's single file part; anything else is a {@link BadRequest} saying what was found. */
    static Part onlyFile(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delimiter, 0);
        if (at < 0) throw new BadRequest("multipart body without its boundary '" + boundary + "'");
        List<Part> parts = new ArrayList<>();
        boolean closed = false;
        while (true) {
            int after = at + delimiter.length;
            if (after + 1 < body.length && body[after] == '-' && body[after + 1] == '-') {
                closed = true;
                break;
            }
            int headersStart = skipLine(body, after);
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
            if (headersStart < 0 || headersEnd < 0) break;
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
            int contentStart = headersEnd + 4;
            int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), contentStart);
            if (next < 0) break;
            parts.add(new Part(fileName(headers), Arrays.copyOfRange(body, contentStart, next)));
            at = next + 2;
        }
        if (!closed) throw new BadRequest("multipart body cut short: no closing boundary '--" + boundary + "--'");
        List<Part> files = parts.stream().filter(p -> p.fileName() != null).toList();
        if (files.isEmpty()) files = parts;
        if (files.size() != 1) {
            throw new BadRequest("multipart body with " + files.size() + " file parts; send exactly one");
        }
        return files.getFirst();
    }

    private static String fileName(String headers) {
        for (String line : headers.split("\r\n")) {
            if (!line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) continue;
            for (String field : line.split(";")) {
                String f = field.trim();
                if (f.toLowerCase(Locale.ROOT).startsWith("filename=")) {
                    String v = f.substring("filename=".length());
                    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
                    return v;
                }
            }
        }
        return null;
    }

    private static int skipLine(byte[] body, int from) {
        for (int i = from; i + 1 < body.length; i++) {
            if (body[i] == '\r' && body[i + 1] == '\n') return i + 2;
        }
        return -1;
    }

    static int indexOf(byte[] hay, byte[] needle, int from) {
        if (from < 0) return -1;
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
