package ser.data;

import ser.data.Utterance.Gender;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TESS (Toronto emotional speech set): {@code OAF_back_angry.wav} is speaker OAF (older) or YAF (younger), both
 * female, saying the word "back" ("Say the word back") in anger. Pleasant surprise is spelled {@code ps},
 * {@code pleasant_surprise} or {@code pleasant_surprised} in the copies in circulation. Names are read in any case.
 */
final class Tess implements FileNameScheme {

    private static final Pattern NAME = Pattern.compile(
            "(?i)(OAF|YAF)_([a-z]+)_(angry|disgust|fear|happy|neutral|sad|ps|pleasant_surprised?)" + AUDIO_EXTENSION);
    private static final Map<String, String> EMOTIONS = Map.of(
            "angry", "ANG", "disgust", "DIS", "fear", "FEA", "happy", "HAP", "neutral", "NEU", "sad", "SAD",
            "ps", "SUR", "pleasant_surprise", "SUR", "pleasant_surprised", "SUR");

    @Override
    public String name() {
        return "TESS";
    }

    @Override
    public Optional<Utterance> parse(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) return Optional.empty();
        String emotion = EMOTIONS.get(m.group(3).toLowerCase(Locale.ROOT));
        return Optional.of(new Utterance(file, emotion, m.group(1).toUpperCase(Locale.ROOT), Gender.FEMALE,
                m.group(2).toLowerCase(Locale.ROOT), null));
    }
}
