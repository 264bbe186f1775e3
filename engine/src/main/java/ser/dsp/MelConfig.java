package ser.dsp;

import ser.RegularFiles;
import ser.SerException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The log-Mel parameters, read from YAML (unknown keys are errors).
 *
 * <p>The keys and their meaning are those of torchaudio's {@code MelSpectrogram} and {@code AmplitudeToDB}:
 * {@code sample_rate, n_fft, win_length, hop_length, n_mels, f_min, f_max, power, mel_scale (htk|slaney),
 * norm (null|slaney), top_db (null|number), center, pad_mode (reflect|constant)}. The constructor checks every
 * value, so a {@code MelConfig} in hand is always one {@link LogMel} can compute.
 */
public record MelConfig(int sampleRate, int nFft, int winLength, int hopLength, int nMels, double fMin, double fMax,
                        double power, String melScale, String norm, Double topDb, boolean center, String padMode) {

    /** Where the seed recipe's parameters live, both in the source tree and inside the jar. */
    static final String SEED_RESOURCE = "config/features/mel-seed.yaml";

    public MelConfig {
        require(sampleRate > 0, "sample_rate must be positive, got " + sampleRate);
        require(nFft >= 4 && Integer.bitCount(nFft) == 1, "n_fft must be a power of two >= 4, got " + nFft);
        require(winLength > 0 && winLength <= nFft, "win_length must be in [1, n_fft=" + nFft + "], got " + winLength);
        require(hopLength > 0, "hop_length must be positive, got " + hopLength);
        require(nMels > 0, "n_mels must be positive, got " + nMels);
        require(fMin >= 0 && fMin < fMax, "f_min must be in [0, f_max=" + fMax + "), got " + fMin);
        require(fMax <= sampleRate / 2.0, "f_max must be at most sample_rate/2=" + sampleRate / 2.0 + ", got " + fMax);
        require(power > 0 && Double.isFinite(power), "power must be a positive number, got " + power);
        require("htk".equals(melScale) || "slaney".equals(melScale), "mel_scale must be htk or slaney, got " + melScale);
        require(norm == null || "slaney".equals(norm), "norm must be null or slaney, got " + norm);
        require(topDb == null || topDb >= 0 && Double.isFinite(topDb), "top_db must be null or >= 0, got " + topDb);
        require("reflect".equals(padMode) || "constant".equals(padMode),
                "pad_mode must be reflect or constant, got " + padMode);
    }

    /** The seed recipe's parameters, from the embedded {@code config/features/mel-seed.yaml}. */
    public static MelConfig seed() {
        Path origin = Path.of(SEED_RESOURCE);
        try (InputStream in = MelConfig.class.getResourceAsStream("/" + SEED_RESOURCE)) {   // the module's own, also in a named module
            if (in == null) throw SerException.inFile(origin, "not found on the classpath (the engine jar embeds config/)");
            return MelConfigYaml.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), origin);
        } catch (IOException e) {
            throw SerException.inFile(origin, "cannot read the embedded copy: " + e.getMessage(), e);
        }
    }

    /** Parses a YAML file; a wrong key or value throws SerException naming the file and the key. */
    public static MelConfig load(Path yaml) {
        String text;
        try {
            RegularFiles.checkBeforeOpening(yaml);
            text = Files.readString(yaml);
        } catch (IOException e) {
            throw SerException.inFile(yaml, "cannot read: " + e.getMessage(), e);
        }
        return MelConfigYaml.parse(text, yaml);
    }

    /** Parses YAML text (e.g. a config embedded in the jar); errors name {@code origin}. */
    public static MelConfig parse(String yaml, Path origin) {
        return MelConfigYaml.parse(yaml, origin);
    }

    /** Bins of the one-sided spectrum: n_fft/2 + 1. */
    public int nFreqs() {
        return nFft / 2 + 1;
    }

    public boolean reflectPadding() {
        return "reflect".equals(padMode);
    }

    private static void require(boolean ok, String problem) {
        if (!ok) throw new IllegalArgumentException(problem);
    }
}
