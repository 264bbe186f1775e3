package ser.data;

import ser.data.Utterance.Gender;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RAVDESS: {@code 03-01-05-01-02-01-12.wav} is modality-channel-emotion-intensity-statement-repetition-actor:
 * emotion 01 neutral, 02 calm, 03 happy, 04 sad, 05 angry, 06 fearful, 07 disgust, 08 surprised; intensity
 * 01 normal, 02 strong; odd actors are male, even ones female.
 */
final class Ravdess implements FileNameScheme {

    private static final Pattern NAME = Pattern.compile("(\\d{2})-(\\d{2})-(0[1-8])-(0[12])-(\\d{2})-(\\d{2})-(\\d{2})" + AUDIO_EXTENSION);
    private static final List<String> EMOTIONS = List.of("NEU", "CAL", "HAP", "SAD", "ANG", "FEA", "DIS", "SUR");

    @Override
    public String name() {
        return "RAVDESS";
    }

    @Override
    public Optional<Utterance> parse(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) return Optional.empty();
        String emotion = EMOTIONS.get(Integer.parseInt(m.group(3)) - 1);
        String intensity = m.group(4).equals("01") ? "normal" : "strong";
        String actor = m.group(7);
        Gender gender = Integer.parseInt(actor) % 2 == 1 ? Gender.MALE : Gender.FEMALE;
        return Optional.of(new Utterance(file, emotion, actor, gender, m.group(5), intensity));
    }
}
