package ser.data;

import ser.SerException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Stratified random splits: each label keeps its share in train, validation and test.
 *
 * <p>The algorithm, so that a split can be reproduced anywhere: group the utterances by label; within each
 * label sort them by path, then shuffle with Fisher-Yates (i from n-1 down to 1, swap i with
 * {@code nextInt(i + 1)}) driven by a {@link SplittableRandom} seeded with {@link #seedFor(long, String)}
 * (the seed mixed with the label, so one label's split does not change when another label is added or
 * dropped); the first {@code round(n * testFraction)} go to test, the next {@code round(n * valFraction)} to
 * validation, the rest to training. Each part is returned sorted by path. The same seed and the same files give
 * the same split, whatever order the files were listed in.
 *
 * <p>The seed recipe's split is 80/10/10 ({@link #seedRecipe}); it is compatible in proportions and
 * stratification, not file for file (the seed drew its split with NumPy's generator).
 */
public final class Splits {

    private Splits() {}

    /** The seed recipe's 80/10/10 stratified split. */
    public static Split seedRecipe(List<Utterance> utterances, long seed) {
        return stratified(utterances, 0.1, 0.1, seed);
    }

    public static Split stratified(List<Utterance> utterances, double valFraction, double testFraction, long seed) {
        if (!(valFraction >= 0 && testFraction >= 0 && valFraction + testFraction < 1)) {
            throw new SerException("split fractions must be >= 0 and leave something to train on, got val "
                    + valFraction + ", test " + testFraction);
        }
        Map<String, List<Utterance>> byLabel = utterances.stream()
                .collect(Collectors.groupingBy(Utterance::label, TreeMap::new, Collectors.toList()));
        List<Utterance> train = new ArrayList<>(), val = new ArrayList<>(), test = new ArrayList<>();
        byLabel.forEach((label, group) -> {
            List<Utterance> shuffled = byPath(group);
            shuffle(shuffled, new SplittableRandom(seedFor(seed, label)));
            int n = shuffled.size();
            int nTest = (int) Math.round(n * testFraction);
            int nVal = Math.min((int) Math.round(n * valFraction), n - nTest);
            test.addAll(shuffled.subList(0, nTest));
            val.addAll(shuffled.subList(nTest, nTest + nVal));
            train.addAll(shuffled.subList(nTest + nVal, n));
        });
        return new Split("stratified " + percent(1 - valFraction - testFraction) + "/" + percent(valFraction) + "/"
                + percent(testFraction) + " seed " + seed, byPath(train), byPath(val), byPath(test));
    }

    /** The generator seed for one stratum (a label, a fold): {@code seed} mixed with the key's String hash. */
    static long seedFor(long seed, String key) {
        return seed + 0x9E3779B97F4A7C15L * key.hashCode();
    }

    /** Fisher-Yates, spelled out so that the order does not depend on the JDK's Collections.shuffle. */
    static <T> void shuffle(List<T> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            list.set(i, list.set(j, list.get(i)));
        }
    }

    static List<Utterance> byPath(List<Utterance> utterances) {
        List<Utterance> sorted = new ArrayList<>(utterances);
        sorted.sort(Comparator.comparing(u -> u.path().toString()));
        return sorted;
    }

    private static String percent(double fraction) {
        return Long.toString(Math.round(fraction * 100));
    }
}
