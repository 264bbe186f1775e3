package ser.spark;

import ser.synth.SyntheticCorpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The tests' corpus: 3 synthetic speakers × 4 emotions × 1 clip of 0.5 s, a manifest, and one bad file in it. */
final class TinyCorpus {

    static final String BAD = "audio/broken.wav";

    private TinyCorpus() {}

    /** Writes {@code dir/audio/*.wav} and {@code dir/manifest.csv} (relative paths, the bad file last); returns the manifest. */
    static Path write(Path dir) throws IOException {
        List<Path> files = SyntheticCorpus.generate(dir.resolve("audio"), 3, 1, List.of("NEU", "HAP", "SAD", "ANG"), 7, 0.5);
        StringBuilder csv = new StringBuilder("path,label,speaker,corpus\n");
        for (Path f : files) {
            String[] parts = f.getFileName().toString().split("_"); // 1001_SYN00_NEU_XX.wav
            csv.append("audio/").append(f.getFileName()).append(',').append(parts[2]).append(',').append(parts[0])
                    .append(',').append(parts[0].endsWith("1") ? "syn-a" : "syn-b").append('\n');
        }
        Files.write(dir.resolve(BAD), "RIFF\0\0\0\0WAVEnot really".getBytes());
        csv.append(BAD).append(",NEU,9999,syn-a\n");
        return Files.writeString(dir.resolve("manifest.csv"), csv);
    }

    static int goodFiles() {
        return 12;
    }
}
