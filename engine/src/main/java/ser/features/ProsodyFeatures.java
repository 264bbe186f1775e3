package ser.features;

import ser.prosody.PitchSettings;
import ser.prosody.ProsodyAnalyzer;
import ser.prosody.ProsodyVector;
import ser.tensor.Tensor;

/**
 * Audio to the prosody vector ({@code kind: prosody}): decode, mono, 16 kHz, the whole utterance through
 * {@link ProsodyAnalyzer}, and the functionals of {@link ProsodyVector} ({@code [D]}, names in
 * {@link ProsodyVector#NAMES}). The cache holds the raw vector; the entries' scales differ by orders of magnitude,
 * so models start with {@code batch_norm} (config/models/prosody-mlp.yaml).
 */
public final class ProsodyFeatures implements Features {

    private final ProsodyFeatureConfig config;
    private final ProsodyAnalyzer analyzer;

    public ProsodyFeatures(ProsodyFeatureConfig config) {
        this.config = config;
        PitchSettings d = PitchSettings.praatDefaults();
        PitchSettings pitch = new PitchSettings(config.pitchFloor(), config.pitchCeiling(), d.candidates(), d.silenceThreshold(),
                d.voicingThreshold(), d.octaveCost(), d.octaveJumpCost(), d.voicedUnvoicedCost(), d.periodsPerWindow(), d.timeStep());
        this.analyzer = new ProsodyAnalyzer(pitch, config.formantCeiling());
    }

    public ProsodyFeatureConfig config() {
        return config;
    }

    @Override
    public String kind() {
        return "prosody";
    }

    @Override
    public int sampleRate() {
        return ProsodyAnalyzer.SAMPLE_RATE;
    }

    @Override
    public String cacheKey() {
        return config.cacheKey();
    }

    @Override
    public int[] inputShape() {
        return new int[] {ProsodyVector.size()};
    }

    /** Thread-safe. */
    @Override
    public Tensor compute(float[] samples) {
        return Tensor.wrap(ProsodyVector.of(analyzer.analyse(samples)), ProsodyVector.size());
    }

    @Override
    public float[] toInput(Tensor cached) {
        if (cached.rank() != 1 || cached.dim(0) != ProsodyVector.size()) {
            throw new IllegalArgumentException("holds " + java.util.Arrays.toString(cached.shape()) + ", not a prosody vector of "
                    + ProsodyVector.size() + " values");
        }
        return cached.contiguous().toArray();
    }

    /** Single-threaded inside: one file per thread. */
    @Override
    public int parallelFiles(int requested) {
        return requested;
    }

    @Override
    public double clipSeconds() {
        return Double.POSITIVE_INFINITY;
    }
}
