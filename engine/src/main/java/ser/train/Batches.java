package ser.train;

import ser.features.Examples;
import ser.model.Seeds;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The order of the training examples in each epoch, and batches cut from it. The order of epoch e is a
 * Fisher-Yates shuffle driven by a generator seeded from (run seed, e) alone, so a resumed run visits the
 * examples in the order an unbroken one would.
 */
final class Batches {

    /** Streams of randomness a run draws from, kept apart so that turning one on does not shift another. */
    static final long SHUFFLE = 1, DROPOUT = 2, AUGMENT = 3;

    private Batches() {}

    static int[] order(long seed, int epoch, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom random = new SplittableRandom(stream(seed, SHUFFLE, epoch, 0));
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * Epoch e's order as {@code n} draws with replacement, example i with probability proportional to
     * {@code weights[i]} (inverse transform over the cumulative weights); seeded like {@link #order}.
     */
    static int[] weightedOrder(long seed, int epoch, double[] weights) {
        int n = weights.length;
        double[] cumulative = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) cumulative[i] = total += weights[i];
        SplittableRandom random = new SplittableRandom(stream(seed, SHUFFLE, epoch, 0));
        int[] order = new int[n];
        for (int k = 0; k < n; k++) {
            int i = Arrays.binarySearch(cumulative, random.nextDouble() * total);
            order[k] = Math.min(i >= 0 ? i + 1 : -i - 1, n - 1);
        }
        return order;
    }

    /** The seed of one stream at one step: independent of every other (stream, epoch, step). */
    static long stream(long seed, long stream, int epoch, int step) {
        return Seeds.mix(Seeds.mix(Seeds.mix(seed, stream), epoch), step);
    }

    static int count(int examples, int batchSize) {
        return (examples + batchSize - 1) / batchSize;
    }

    static int[] labels(Examples examples, int[] order, int from, int to) {
        int[] y = new int[to - from];
        for (int i = from; i < to; i++) y[i - from] = examples.labels()[order[i]];
        return y;
    }

    static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        return order;
    }
}
