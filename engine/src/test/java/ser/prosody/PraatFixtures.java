package ser.prosody;

import ser.audio.AudioLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Praat measurements written by {@code tools/reference/praat/make_prosody_fixtures.praat}: one {@link Clip} per
 * line of {@code files.tsv}. Synthetic clips are committed beside the numbers; real speech is read from the shared
 * data folder ({@code -Dser.shared}) and skipped where it is absent.
 */
final class PraatFixtures {

    static final int RATE = 16_000;

    record Clip(String name, String path, double jitter, double shimmer, double hnr) {
        boolean synthetic() {
            return path.startsWith("synthetic/");
        }

        /** The clip's samples; a real clip whose audio is not here skips the calling test. */
        float[] samples() {
            Path file = synthetic() ? dir().resolve(path) : sharedData().resolve(path);
            assumeTrue(Files.isRegularFile(file), "shared speech not present: " + path);
            return AudioLoader.loadMono(file, RATE);
        }

        /** Rows of this clip's {@code NAME.KIND.tsv} (header dropped), as numbers. */
        List<double[]> table(String kind) {
            return rows(dir().resolve(name + "." + kind + ".tsv"));
        }
    }

    private PraatFixtures() {}

    static List<Clip> clips() {
        List<Clip> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(dir().resolve("files.tsv"));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split("\t");
                out.add(new Clip(f[0], f[1], Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static Clip clip(String name) {
        return clips().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    static Path dir() {
        try {
            return Path.of(PraatFixtures.class.getResource("/fixtures/prosody/files.tsv").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path sharedData() {
        String shared = System.getProperty("ser.shared");
        return shared == null ? Path.of("no-shared-data") : Path.of(shared, "data");
    }

    private static List<double[]> rows(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            List<double[]> out = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split("\t");
                double[] row = new double[f.length];
                for (int i = 0; i < f.length; i++) row[i] = Double.parseDouble(f[i]);
                out.add(row);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
