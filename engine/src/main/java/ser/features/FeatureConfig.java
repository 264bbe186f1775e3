package ser.features;

import ser.dsp.MelConfig;

import java.util.List;
import java.util.Locale;

/**
 * What a model sees of a clip: its log-Mel spectrogram over a fixed length, optionally normalised.
 *
 * @param mel         the log-Mel parameters
 * @param clipSeconds every clip is zero-padded or cut to this length before the spectrogram, as the seed does
 * @param normalize   {@code none}: raw decibels, as the seed; {@code utterance}: each spectrogram shifted and
 *                    scaled to mean 0 and standard deviation 1, which removes recording level and most of the
 *                    channel, two things that say nothing about emotion
 */
public record FeatureConfig(MelConfig mel, double clipSeconds, String normalize) {

    public static final List<String> NORMALIZATIONS = List.of("none", "utterance");

    public FeatureConfig {
        if (!(clipSeconds > 0 && clipSeconds <= 600)) {
            throw new IllegalArgumentException("clip_seconds must be in (0, 600], got " + clipSeconds);
        }
        if (!NORMALIZATIONS.contains(normalize)) {
            throw new IllegalArgumentException("normalize must be one of " + NORMALIZATIONS + ", got " + normalize);
        }
    }

    public int clipSamples() {
        return (int) Math.round(clipSeconds * mel.sampleRate());
    }

    /**
     * Everything that changes the cached spectrograms, as one line: the feature cache's key. Normalisation is
     * applied after the cache, so it is not part of it and both recipes share one cache.
     */
    public String cacheKey() {
        return String.format(Locale.ROOT, "logmel %s clip_seconds=%s", mel, clipSeconds);
    }
}
