package ser.features;

import java.util.Arrays;

/**
 * Cuts the silence before and after a take: the first and last 10 ms frames whose energy comes within
 * {@link #THRESHOLD_DB} of the loudest frame bound the speech, and {@link #MARGIN_SECONDS} is kept on either side
 * for onsets and decays. Relative to the take's own loudest frame, so the level it was recorded at does not matter.
 */
public final class SilenceTrim {

    public static final double THRESHOLD_DB = 40;
    static final double MARGIN_SECONDS = 0.05;
    private static final double FRAME_SECONDS = 0.010;

    private SilenceTrim() {}

    /** The samples between the first and last frame of speech; the input itself when it is all silence. */
    public static float[] apply(float[] x, int sampleRate) {
        int frame = Math.max(1, (int) Math.round(FRAME_SECONDS * sampleRate));
        int frames = x.length / frame;
        if (frames < 2) return x;
        double[] energy = new double[frames];
        double max = 0;
        for (int f = 0; f < frames; f++) {
            double e = 0;
            for (int i = f * frame; i < (f + 1) * frame; i++) e += (double) x[i] * x[i];
            energy[f] = e / frame;
            max = Math.max(max, energy[f]);
        }
        if (max == 0) return x;
        double floor = max * Math.pow(10, -THRESHOLD_DB / 10);
        int first = 0, last = frames - 1;
        while (first < frames && energy[first] < floor) first++;
        while (last > first && energy[last] < floor) last--;
        int margin = (int) Math.round(MARGIN_SECONDS * sampleRate);
        int from = Math.max(0, first * frame - margin), to = Math.min(x.length, (last + 1) * frame + margin);
        return Arrays.copyOfRange(x, from, to);
    }
}
