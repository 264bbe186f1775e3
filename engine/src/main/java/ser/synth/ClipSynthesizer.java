package ser.synth;

/**
 * One SYNTHETIC emotional utterance: a string of nonsense syllables spoken by a {@link SpeakerProfile} with the
 * prosody and voice quality of an {@link EmotionProfile}, recorded at a random level over random noise.
 *
 * <p>Nothing here is real speech; it exists so that {@code ser demo} has a learnable task on a machine with no
 * corpus. To keep the task from being trivial each clip draws its own emotion intensity (so weak clips drift
 * towards neutral), its own perturbation of every profile parameter, its own microphone gain and a background
 * noise at a random SNR.
 */
public final class ClipSynthesizer {

    public static final int SAMPLE_RATE = 16_000;

    /** RMS of active neutral speech: about -26 dBFS, leaving headroom for loud anger. */
    private static final double REFERENCE_RMS = 0.05;
    private static final double MICROPHONE_SPREAD_DB = 3;
    private static final double MIN_SNR_DB = 8, MAX_SNR_DB = 35;
    private static final double PEAK_LIMIT = 0.95;

    private ClipSynthesizer() {}

    /** {@code samples} samples at {@link #SAMPLE_RATE} Hz in (-1, 1); the same arguments give the same samples. */
    public static float[] synthesize(SpeakerProfile speaker, EmotionProfile emotion, long clipSeed, int samples) {
        return synthesize(speaker, emotion, clipSeed, samples, true);
    }

    /** With {@code noisy} false, the same clip without its background noise (the speech samples are identical). */
    static float[] synthesize(SpeakerProfile speaker, EmotionProfile emotion, long clipSeed, int samples,
                              boolean noisy) {
        if (samples < 0) {
            throw new IllegalArgumentException("samples < 0: " + samples);
        }
        SynthRandom rng = new SynthRandom(clipSeed);
        double intensity = speaker.expressiveness() * rng.uniform(0.6, 1.0);
        EmotionProfile delivery = emotion.atIntensity(intensity).perturbed(rng);
        UtterancePlan plan = ProsodyPlanner.plan(speaker, delivery, samples, rng);
        float[] speech = new SourceFilterVoice(plan, delivery, speaker, rng).render();

        double gainDb = delivery.gainDb() + rng.uniform(-MICROPHONE_SPREAD_DB, MICROPHONE_SPREAD_DB);
        double speechRms = REFERENCE_RMS * StrictMath.pow(10, gainDb / 20);
        double noiseRms = noisy ? speechRms * StrictMath.pow(10, -rng.uniform(MIN_SNR_DB, MAX_SNR_DB) / 20) : 0;
        addColouredNoise(speech, speechRms, noiseRms, rng);
        limitPeak(speech);
        return speech;
    }

    /**
     * Scales the unit-RMS speech and adds noise whose colour (white to low-pass) is itself random.
     * A one-pole low-pass of white noise with coefficient k keeps sqrt((1-k)/(1+k)) of its RMS.
     */
    private static void addColouredNoise(float[] speech, double speechRms, double noiseRms, SynthRandom rng) {
        double k = rng.uniform(0.3, 0.97);
        double whiteRms = 1 / Math.sqrt(3); // of uniform noise on [-1, 1)
        double noiseGain = noiseRms / (whiteRms * Math.sqrt((1 - k) / (1 + k)));
        double coloured = 0;
        for (int i = 0; i < speech.length; i++) {
            coloured = (1 - k) * rng.bipolar() + k * coloured;
            speech[i] = (float) (speechRms * speech[i] + noiseGain * coloured);
        }
    }

    /** A loud clip is turned down as a whole rather than clipped: the WAV must never saturate. */
    private static void limitPeak(float[] signal) {
        float peak = 0;
        for (float s : signal) {
            peak = Math.max(peak, Math.abs(s));
        }
        if (peak > PEAK_LIMIT) {
            float scale = (float) (PEAK_LIMIT / peak);
            for (int i = 0; i < signal.length; i++) {
                signal[i] *= scale;
            }
        }
    }
}
