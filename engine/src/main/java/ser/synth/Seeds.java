package ser.synth;

/**
 * Derives independent seeds from a corpus seed and a clip's coordinates, so that every file can be made on any
 * thread in any order and still come out byte-identical.
 */
final class Seeds {

    private Seeds() {}

    /** SplitMix64's finaliser folded over the parts: a change in any part scrambles every bit of the result. */
    static long mix(long... parts) {
        long h = 0x9E3779B97F4A7C15L;
        for (long part : parts) {
            h = finalise(h ^ part);
        }
        return h;
    }

    private static long finalise(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
