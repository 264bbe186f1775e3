package ser.dsp;

import java.nio.file.Path;

/**
 * The log-Mel parameters, read from YAML (unknown keys are errors).
 * (Contract fixed by the foundation skeleton; implemented in the DSP work.)
 */
public record MelConfig(int sampleRate, int nFft, int winLength, int hopLength, int nMels, double fMin, double fMax,
                        double power, String melScale, String norm, Double topDb, boolean center, String padMode) {

    /** The seed recipe's parameters, from the embedded {@code config/features/mel-seed.yaml}. */
    public static MelConfig seed() {
        throw new UnsupportedOperationException("MelConfig.seed");
    }

    /** Parses a YAML file; a wrong key or value throws SerException naming the file and the key. */
    public static MelConfig load(Path yaml) {
        throw new UnsupportedOperationException("MelConfig.load");
    }
}
