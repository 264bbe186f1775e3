package ser.testing;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Locates the committed fixtures under {@code src/test/resources/fixtures}. */
public final class Fixtures {

    private Fixtures() {}

    public static Path path(String relative) {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/" + relative).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing fixture " + relative + " (run tools/reference/make_melcnn_fixtures.py)", e);
        }
    }
}
