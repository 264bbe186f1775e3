package ser.features;

import ser.dsp.MelConfig;

import java.util.List;
import java.util.Locale;

/**
 * What a model sees of a clip: its log-Mel spectrogram over a fixed length, optionally trimmed and normalised.
 *
 * @param mel         the log-Mel parameters
 * @param clipSeconds every clip is padded or cut to this length before the spectrogram, as the seed does
 * @param normalize   {@code none}: raw decibels, as the seed; {@code utterance}: each spectrogram shifted and
 *                    scaled to mean 0 and standard deviation 1, which removes recording level; {@code bins}: each
 *                    mel band to mean 0 and standard deviation 1 over the clip's frames, which also removes a
 *                    fixed spectral colouring (microphone, room, codec): cepstral mean and variance normalisation
 *                    done per band
 * @param trim        {@code none}, or {@code silence}: leading and trailing stretches quieter than
 *                    {@link SilenceTrim#THRESHOLD_DB} under the clip's loudest frame are cut before padding, so
 *                    corpora that differ in how much silence surrounds a take look alike
 * @param pad         {@code zero}: silence after a short clip, as the seed; {@code repeat}: the clip again, so no
 *                    model input is partly digital silence
 */
public record FeatureConfig(MelConfig mel, double clipSeconds, String normalize, String trim, String pad) {

    public static final List<String> NORMALIZATIONS = List.of("none", "utterance", "bins");
    public static final List<String> TRIMS = List.of("none", "silence");
    public static final List<String> PADS = List.of("zero", "repeat");

    public FeatureConfig {
        if (!(clipSeconds > 0 && clipSeconds <= 600)) {
            throw new IllegalArgumentException("clip_seconds must be in (0, 600], got " + clipSeconds);
        }
        if (!NORMALIZATIONS.contains(normalize)) {
            throw new IllegalArgumentException("normalize must be one of " + NORMALIZATIONS + ", got " + normalize);
        }
        if (!TRIMS.contains(trim)) throw new IllegalArgumentException("trim must be one of " + TRIMS + ", got " + trim);
        if (!PADS.contains(pad)) throw new IllegalArgumentException("pad must be one of " + PADS + ", got " + pad);
    }

    /** The seed's front end: no trimming, zero padding. */
    public FeatureConfig(MelConfig mel, double clipSeconds, String normalize) {
        this(mel, clipSeconds, normalize, "none", "zero");
    }

    public int clipSamples() {
        return (int) Math.round(clipSeconds * mel.sampleRate());
    }

    /**
     * Everything that changes the cached spectrograms, as one line: the feature cache's key. Normalisation is
     * applied after the cache, so it is not part of it and recipes that differ only there share one cache.
     */
    public String cacheKey() {
        String base = String.format(Locale.ROOT, "logmel %s clip_seconds=%s", mel, clipSeconds);
        return trim.equals("none") && pad.equals("zero") ? base : base + " trim=" + trim + " pad=" + pad;
    }
}
