package ser.synth;

/**
 * Turns an {@link UtterancePlan} into a waveform with the source-filter model of speech.
 *
 * <p>Voiced branch: a Rosenberg glottal pulse train (period jitter and amplitude shimmer drawn per cycle),
 * differentiated for lip radiation, plus aspiration noise that swells while the glottis is open; differenced once
 * more and then low-passed by a one-pole filter that sets the spectral tilt; five cascaded formant resonators
 * shape it into vowels. Frication branch: differenced white noise through a band resonator. Each branch is
 * normalised to unit RMS over the stretches where it is active before mixing, so that formant gains and pitch
 * do not leak into the loudness the emotion asked for.
 */
final class SourceFilterVoice {

    /** Frication sits about 12 dB under the vowels, as in running speech. */
    private static final double FRICATION_LEVEL = 0.25;
    /** Above F4 the tract's higher resonances merge into one fixed, broad one. */
    private static final double F5_MALE_HZ = 4500, F5_BANDWIDTH_HZ = 400;
    private static final double[] BANDWIDTHS_HZ = {70, 100, 160, 250};
    /**
     * Aspiration amplitude per unit of breathiness, relative to the pulse's closing slope: at this scale a
     * breathy voice's noise sits some 8 dB under its harmonics at high frequencies, a modal voice's 18 dB.
     */
    private static final double ASPIRATION_SCALE = 0.3;
    private static final float ACTIVE = 0.1f;

    private final UtterancePlan plan;
    private final double openQuotient;
    private final double jitter;
    private final double shimmer;
    private final double breathiness;
    private final double tilt;
    private final double formantScale;
    private final SynthRandom rng;

    SourceFilterVoice(UtterancePlan plan, EmotionProfile emotion, SpeakerProfile speaker, SynthRandom rng) {
        this.plan = plan;
        this.openQuotient = emotion.openQuotient();
        this.jitter = emotion.jitter();
        this.shimmer = emotion.shimmer();
        this.breathiness = emotion.breathiness() + speaker.breathOffset();
        this.tilt = EmotionProfile.clamp(emotion.tilt() + speaker.tiltOffset(), 0.0, 0.95);
        this.formantScale = speaker.formantScale() * (1 + emotion.formantShift());
        this.rng = rng;
    }

    /** The utterance, with its active voiced stretches at unit RMS. */
    float[] render() {
        int n = plan.samples();
        float[] voiced = new float[n];
        float[] noise = new float[n];
        renderBranches(voiced, noise);
        double voicedGain = 1 / activeRms(voiced, plan.voicing());
        double noiseGain = FRICATION_LEVEL / activeRms(noise, plan.frication());
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (voicedGain * voiced[i] + noiseGain * noise[i]);
        }
        return out;
    }

    private void renderBranches(float[] voiced, float[] noise) {
        int sampleRate = ClipSynthesizer.SAMPLE_RATE;
        Resonator[] tract = new Resonator[5];
        for (int f = 0; f < tract.length; f++) {
            tract[f] = new Resonator(sampleRate);
        }
        tract[4].tune(F5_MALE_HZ * formantScale, F5_BANDWIDTH_HZ);
        Resonator fricationFilter = new Resonator(sampleRate);
        // breathy phonation leaks air through the glottis, which damps F1
        double f1Bandwidth = BANDWIDTHS_HZ[0] + 250 * breathiness;
        double opening = 0.7 * openQuotient, closing = 0.3 * openQuotient;
        double tiltGain = 1 - tilt;

        double phase = rng.uniform(0, 1);
        double cycleRate = 1, cycleAmplitude = 1;
        double previousFlow = 0, previousSource = 0, tilted = 0, previousWhite = 0;
        int blocks = plan.blocks();
        for (int b = 0; b < blocks; b++) {
            for (int f = 0; f < 4; f++) {
                tract[f].tune(plan.formantsHz()[f][b], f == 0 ? f1Bandwidth : BANDWIDTHS_HZ[f]);
            }
            boolean fricating = plan.frication()[b] > 0 || plan.frication()[b + 1] > 0;
            if (fricating) {
                fricationFilter.tune(plan.fricationHz()[b], plan.fricationBwHz()[b]);
            }
            double f0 = plan.f0Hz()[b];
            // scaled by the pulse's steepest slope, so that aspiration keeps pace with the pulse it rides on
            double aspirationLevel = ASPIRATION_SCALE * breathiness * f0 / sampleRate * Math.PI / (2 * closing);
            float v0 = plan.voicing()[b], v1 = plan.voicing()[b + 1];
            float a0 = plan.frication()[b], a1 = plan.frication()[b + 1];
            int first = b * ProsodyPlanner.BLOCK, last = Math.min(plan.samples(), first + ProsodyPlanner.BLOCK);
            for (int i = first; i < last; i++) {
                double along = (i - first) / (double) ProsodyPlanner.BLOCK;
                phase += f0 * cycleRate / sampleRate;
                if (phase >= 1) {
                    phase -= 1;
                    cycleRate = 1 + jitter * rng.gaussian(3);
                    cycleAmplitude = Math.max(0.2, 1 + shimmer * rng.gaussian(3));
                }
                double flow = cycleAmplitude * rosenberg(phase, opening, closing);
                double excitation = flow - previousFlow;
                previousFlow = flow;
                double aspiration = aspirationLevel * (0.3 + 0.7 * flow) * rng.bipolar();
                double source = (v0 + (v1 - v0) * along) * (excitation + aspiration);
                // Rosenberg's smooth closure is duller than real glottal closures; one more difference gives the
                // flat, impulse-like excitation of the LF model, and the tilt filter takes back what each voice lacks
                double flattened = source - previousSource;
                previousSource = source;
                tilted = tiltGain * flattened + tilt * tilted;
                double y = tilted;
                for (Resonator r : tract) {
                    y = r.filter(y);
                }
                voiced[i] = (float) y;
                double noiseAmplitude = a0 + (a1 - a0) * along;
                if (fricating) {
                    // differenced white noise has no energy at 0 Hz, which the DC-normalised resonator would keep
                    double white = rng.bipolar();
                    noise[i] = (float) fricationFilter.filter(noiseAmplitude * (white - previousWhite));
                    previousWhite = white;
                }
            }
        }
    }

    /**
     * Rosenberg's (1971) glottal flow: a raised-cosine opening, a quarter-cosine closing, then closed.
     * The abrupt closure is what gives voiced speech its high-frequency energy, so a short {@code closing}
     * (pressed voice) is bright and a long one (breathy voice) is dull.
     */
    static double rosenberg(double phase, double opening, double closing) {
        if (phase < opening) {
            return 0.5 * (1 - StrictMath.cos(Math.PI * phase / opening));
        }
        if (phase < opening + closing) {
            return StrictMath.cos(0.5 * Math.PI * (phase - opening) / closing);
        }
        return 0;
    }

    private static double activeRms(float[] signal, float[] envelope) {
        double sum = 0;
        long count = 0;
        for (int i = 0; i < signal.length; i++) {
            if (envelope[i / ProsodyPlanner.BLOCK] > ACTIVE) {
                sum += (double) signal[i] * signal[i];
                count++;
            }
        }
        return count == 0 || sum == 0 ? 1 : Math.sqrt(sum / count);
    }
}
