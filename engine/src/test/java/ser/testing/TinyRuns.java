package ser.testing;

import ser.config.ConfigNode;
import ser.data.Utterance;
import ser.features.Examples;
import ser.run.TrainConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Recipes and data small enough for unit tests: 1 × 8 × 10 "spectrograms" whose class shows in their level. */
public final class TinyRuns {

    /** One small convolution block, dropout and a linear layer: every kind of layer state, in a few hundred weights. */
    public static final String MODEL = """
            layers:
              - conv2d: {out: 3, kernel: 3, padding: 1}
              - batch_norm
              - relu
              - max_pool: 2
              - flatten
              - dropout: 0.25
              - linear: classes
            """;

    public static final List<String> LABELS = List.of("NEU", "HAP", "SAD");

    private TinyRuns() {}

    /** A train config in {@code dir} with the tiny model and {@code training} / {@code augment} sections. */
    public static TrainConfig config(Path dir, String body) {
        try {
            Files.writeString(dir.resolve("tiny-model.yaml"), MODEL);
            Path file = dir.resolve("tiny.yaml");
            Files.writeString(file, "seed: 7\nmodel: tiny-model.yaml\nfeatures: {clip_seconds: 0.2}\n" + body);
            return TrainConfig.parse(ConfigNode.load(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 90 utterances of corpus big (60 NEU, 30 ANG) and 10 of corpus small (5 NEU, 5 ANG), for balanced draws. */
    public static List<Utterance> unbalancedCorpora() {
        List<Utterance> u = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String corpus = i < 90 ? "big" : "small";
            String label = i < 60 || (i >= 90 && i < 95) ? "NEU" : "ANG";
            u.add(new Utterance(Path.of(i + ".wav"), label, "s", Utterance.Gender.UNKNOWN, null, null, corpus));
        }
        return u;
    }

    /** {@code n} examples: noise plus an offset that depends on the class, so a model can learn something. */
    public static Examples examples(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Utterance> utterances = new ArrayList<>();
        float[][] x = new float[n][80];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % LABELS.size();
            for (int k = 0; k < 80; k++) x[i][k] = (float) (r.nextGaussian() + (y[i] - 1) * (k < 40 ? 1 : -1));
            utterances.add(new Utterance(Path.of("clip" + seed + "-" + i + ".wav"), LABELS.get(y[i]), "s" + i % 4,
                    Utterance.Gender.UNKNOWN, null, null));
        }
        return Examples.single(utterances, x, y, new int[] {1, 8, 10});
    }
}
