package ser.testing;

import ser.synth.SyntheticCorpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A recipe and corpus small enough for command tests: 0.3 s synthetic clips, 16 mel bands, the tiny test model. */
public final class TinyRecipe {

    public static final String MEL = """
            sample_rate: 16000
            n_fft: 256
            win_length: 256
            hop_length: 128
            n_mels: 16
            f_min: 0.0
            f_max: 8000.0
            power: 2.0
            mel_scale: htk
            norm: null
            top_db: null
            center: true
            pad_mode: reflect
            """;

    private TinyRecipe() {}

    /** Writes the recipe (with {@code split} as given) into {@code dir} and returns its path. */
    public static Path write(Path dir, String split, int epochs) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tiny-mel.yaml"), MEL);
        Files.writeString(dir.resolve("tiny-model.yaml"), TinyRuns.MODEL);
        return Files.writeString(dir.resolve("tiny.yaml"), """
                seed: 3
                features: {mel: tiny-mel.yaml, clip_seconds: 0.3, normalize: utterance}
                split: %s
                model: tiny-model.yaml
                training: {epochs: %d, batch_size: 8, optimizer: adamw, lr: 0.01}
                """.formatted(split, epochs));
    }

    /** 4 synthetic speakers × 4 emotions × 2 clips of 0.3 s, CREMA-D names. */
    public static Path corpus(Path dir) {
        SyntheticCorpus.generate(dir, 4, 2, List.of("NEU", "HAP", "SAD", "ANG"), 11, 0.3);
        return dir;
    }
}
