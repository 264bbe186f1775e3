package ser.hubert;

/** Input conditioning for the encoder. */
public final class Waveforms {

    private Waveforms() {}

    /**
     * Zero mean, unit variance over the whole clip, as Hugging Face's Wav2Vec2FeatureExtractor does when
     * do_normalize is set: (x - mean) / sqrt(var + 1e-7), with the population variance.
     */
    public static float[] normalised(float[] x) {
        double sum = 0;
        for (float v : x) sum += v;
        double mean = x.length == 0 ? 0 : sum / x.length, sq = 0;
        for (float v : x) sq += (v - mean) * (v - mean);
        double inv = 1 / Math.sqrt((x.length == 0 ? 0 : sq / x.length) + 1e-7);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (float) ((x[i] - mean) * inv);
        return out;
    }
}
