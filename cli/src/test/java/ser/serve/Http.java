package ser.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A small blocking HTTP/1.1 client for the tests (java.base's HttpURLConnection: the module reads nothing more). */
final class Http {

    /** An answer: status, body, and the headers the tests look at. */
    record Response(int statusCode, String body, String contentType, String allow, String retryAfter) {}

    /** What the body sends after its first bytes, once a latch opens; null sends it all at once. */
    interface Trickle {
        void beforeRest() throws InterruptedException;
    }

    private Http() {}

    static Response get(String url) throws IOException {
        return send("GET", url, null, null, null);
    }

    static Response post(String url, byte[] body) throws IOException {
        return send("POST", url, null, body, null);
    }

    static Response post(String url, String contentType, byte[] body) throws IOException {
        return send("POST", url, contentType, body, null);
    }

    static Response send(String method, String url, String contentType, byte[] body, Trickle trickle) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(10_000);
        c.setReadTimeout(120_000);
        if (contentType != null) c.setRequestProperty("Content-Type", contentType);
        if (body != null) {
            c.setDoOutput(true);
            if (trickle == null) {
                c.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            } else {
                c.setChunkedStreamingMode(16);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body, 0, 16);
                    out.flush();
                    try {
                        trickle.beforeRest();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    out.write(body, 16, body.length - 16);
                }
            }
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        Response r = new Response(status, text, c.getContentType(), c.getHeaderField("Allow"), c.getHeaderField("Retry-After"));
        if (in != null) in.close();
        return r;
    }

    /** A multipart/form-data body with one file part per name. */
    static byte[] multipart(String boundary, List<String> names, List<byte[]> files) {
        var body = new ByteArrayOutputStream();
        for (int i = 0; i < names.size(); i++) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + names.get(i)
                    + "\"\r\nContent-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(files.get(i));
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }
}
