package ser.prosody;

import java.util.Arrays;

/**
 * The candidates of one analysis frame: slot 0 is always "unvoiced" (frequency 0); the others are correlation peaks
 * with their frequency in Hz and strength (a normalised correlation, at most 1). {@code intensity} is the frame's
 * local peak as a share of the signal's global peak, which the path search uses to favour unvoiced in near-silence.
 */
final class PitchCandidates {

    final double[] frequency;
    final double[] strength;
    /** The correlation lag, in samples, at which each candidate peaked before refinement. */
    final int[] peak;
    int count = 1;
    double intensity;

    PitchCandidates(int capacity) {
        frequency = new double[capacity];
        strength = new double[capacity];
        peak = new int[capacity];
    }

    /**
     * Offers a peak; when every slot is taken it replaces the weakest candidate, if it is stronger. Strength is
     * weighed with the octave cost so that, of equal peaks, the higher frequency wins (a periodic signal also peaks
     * at every multiple of its period).
     */
    boolean offer(double hz, double r, int lag, double octaveCost, double floor) {
        int place;
        if (count < frequency.length) {
            place = count++;
        } else {
            place = -1;
            double weakest = Double.POSITIVE_INFINITY;
            for (int i = 1; i < count; i++) {
                double local = strength[i] - octaveCost * log2(floor / frequency[i]);
                if (local < weakest) {
                    weakest = local;
                    place = i;
                }
            }
            if (r - octaveCost * log2(floor / hz) <= weakest) return false;
        }
        frequency[place] = hz;
        strength[place] = r;
        peak[place] = lag;
        return true;
    }

    static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Override
    public String toString() {
        return Arrays.toString(Arrays.copyOf(frequency, count)) + " " + Arrays.toString(Arrays.copyOf(strength, count));
    }
}
