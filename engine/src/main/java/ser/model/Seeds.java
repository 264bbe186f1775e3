package ser.model;

/**
 * Derived seeds: independent-looking streams from one run seed and a few counters (epoch, step, layer), so that
 * any step's randomness can be recreated from the counters alone, without replaying the steps before it.
 */
public final class Seeds {

    private Seeds() {}

    /** A well-mixed seed for {@code (seed, a)}; {@code mix(mix(s, a), b)} for two counters. */
    public static long mix(long seed, long a) {
        return splitMix(seed ^ splitMix(a + 0x632BE59BD9B4E019L));
    }

    /** The SplitMix64 finaliser (Steele, Lea, Flood 2014). */
    static long splitMix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
