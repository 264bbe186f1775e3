package ser.run;

import ser.SerException;
import ser.config.ConfigNode;
import ser.data.SpeakerSplits;
import ser.data.Split;
import ser.data.Splits;
import ser.data.Utterance;

import java.util.List;
import java.util.Map;

/**
 * How a corpus is divided into training, validation and test utterances ({@code split:} in a train config).
 *
 * <ul>
 *   <li>{@code random}: stratified by label, {@code val} and {@code test} fractions, {@code seed}: the seed
 *       recipe's 80/10/10 split. The same speakers appear in all three parts, so scores are optimistic.</li>
 *   <li>{@code speakers} (the default): whole speakers held out for validation and test, either
 *       {@code val_speakers}/{@code test_speakers} of them chosen by {@code seed} (gender-balanced when genders
 *       are known), or the given lists of speaker ids.</li>
 *   <li>{@code kfold}: {@code folds} folds of whole speakers; fold i tests on its speakers, validates on
 *       {@code val_speakers} others and trains on the rest. One run per fold.</li>
 * </ul>
 * With several corpora, {@code per_corpus: true} makes a seeded {@code speakers} hold-out take its counts from
 * each corpus, so that every corpus is validated and tested on speakers of its own.
 */
public record SplitConfig(String kind, double val, double test, long seed, int valSpeakers, int testSpeakers,
                          List<String> valSpeakerIds, List<String> testSpeakerIds, int folds, boolean perCorpus) {

    public static final List<String> KINDS = List.of("random", "speakers", "kfold");

    static SplitConfig read(ConfigNode split, long defaultSeed) {
        String kind = split.choice("kind", "speakers", KINDS);
        double val = 0.1, test = 0.1;
        int valSpeakers = 2, testSpeakers = 2, folds = 5;
        List<String> valIds = List.of(), testIds = List.of();
        boolean perCorpus = false;
        long seed = split.longValue("seed", defaultSeed);
        switch (kind) {
            case "random" -> {
                val = split.number("val", val);
                test = split.number("test", test);
            }
            case "speakers" -> {
                if (split.raw("val_speakers") instanceof List<?>) valIds = split.strings("val_speakers");
                else valSpeakers = split.integer("val_speakers", valSpeakers);
                if (split.raw("test_speakers") instanceof List<?>) testIds = split.strings("test_speakers");
                else testSpeakers = split.integer("test_speakers", testSpeakers);
                if (valIds.isEmpty() != testIds.isEmpty()) {
                    throw split.error("val_speakers", "and test_speakers must both be counts or both be lists of ids");
                }
                perCorpus = split.bool("per_corpus", false);
                if (perCorpus && !valIds.isEmpty()) throw split.error("per_corpus", "needs speaker counts, not lists of ids");
            }
            default -> {
                folds = split.integer("folds", folds);
                valSpeakers = split.integer("val_speakers", valSpeakers);
            }
        }
        return new SplitConfig(kind, val, test, seed, valSpeakers, testSpeakers, valIds, testIds, folds, perCorpus);
    }

    /** One split, or one per fold. */
    public List<Split> apply(List<Utterance> utterances) {
        return switch (kind) {
            case "random" -> List.of(Splits.stratified(utterances, val, test, seed));
            case "speakers" -> List.of(perCorpus ? SpeakerSplits.holdoutPerCorpus(utterances, valSpeakers, testSpeakers, seed)
                    : valSpeakerIds.isEmpty() ? SpeakerSplits.holdout(utterances, valSpeakers, testSpeakers, seed)
                    : SpeakerSplits.holdout(utterances, valSpeakerIds, testSpeakerIds));
            case "kfold" -> SpeakerSplits.folds(utterances, folds, valSpeakers, seed);
            default -> throw new SerException("unknown split kind " + kind);
        };
    }

    /** The {@code split:} section as it would be written, every value explicit. */
    Map<String, Object> toYaml() {
        return switch (kind) {
            case "random" -> Yamls.map("kind", kind, "val", val, "test", test, "seed", seed);
            case "speakers" -> valSpeakerIds.isEmpty()
                    ? Yamls.map("kind", kind, "val_speakers", valSpeakers, "test_speakers", testSpeakers, "seed", seed,
                    "per_corpus", perCorpus)
                    : Yamls.map("kind", kind, "val_speakers", valSpeakerIds, "test_speakers", testSpeakerIds, "seed", seed);
            default -> Yamls.map("kind", kind, "folds", folds, "val_speakers", valSpeakers, "seed", seed);
        };
    }
}
