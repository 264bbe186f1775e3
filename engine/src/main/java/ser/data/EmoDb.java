package ser.data;

import ser.data.Utterance.Gender;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Berlin EmoDB: {@code 03a01Fa.wav} is speaker 03, text a01, emotion F (Freude), version a. The emotion letters
 * are German: W Wut (anger), L Langeweile (boredom), E Ekel (disgust), A Angst (fear), F Freude (happiness),
 * T Trauer (sadness), N neutral. The ten speakers' genders are listed in the corpus documentation.
 */
final class EmoDb implements FileNameScheme {

    private static final Pattern NAME = Pattern.compile("(\\d{2})([ab]\\d{2})([WLEAFTN])([a-z])" + AUDIO_EXTENSION);
    private static final Map<Character, String> EMOTIONS = Map.of(
            'W', "ANG", 'L', "BOR", 'E', "DIS", 'A', "FEA", 'F', "HAP", 'T', "SAD", 'N', "NEU");
    private static final Map<String, Gender> GENDERS = Map.of(
            "03", Gender.MALE, "08", Gender.FEMALE, "09", Gender.FEMALE, "10", Gender.MALE, "11", Gender.MALE,
            "12", Gender.MALE, "13", Gender.FEMALE, "14", Gender.FEMALE, "15", Gender.MALE, "16", Gender.FEMALE);

    @Override
    public String name() {
        return "EmoDB";
    }

    @Override
    public Optional<Utterance> parse(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) return Optional.empty();
        String speaker = m.group(1);
        return Optional.of(new Utterance(file, EMOTIONS.get(m.group(3).charAt(0)), speaker,
                GENDERS.getOrDefault(speaker, Gender.UNKNOWN), m.group(2), null));
    }
}
