package ser.data;

import ser.data.Utterance.Gender;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CREMA-D: {@code 1001_DFA_ANG_XX.wav} is speaker 1001 saying sentence DFA in anger at unspecified intensity
 * (LO, MD, HI or XX). Genders come from the corpus' {@code VideoDemographics.csv} when it is found. The sentence
 * field takes any letters and digits, so that corpora written in this layout with their own sentence codes (the
 * synthetic corpus' {@code SYN03}) read as well.
 */
final class CremaD implements FileNameScheme {

    private static final Pattern NAME = Pattern.compile("(\\d{4})_([A-Z0-9]{3,})_(ANG|DIS|FEA|HAP|NEU|SAD)_(LO|MD|HI|XX)" + AUDIO_EXTENSION);

    private final Map<String, Gender> genders;

    CremaD(Map<String, Gender> genders) {
        this.genders = genders;
    }

    @Override
    public String name() {
        return "CREMA-D";
    }

    @Override
    public Optional<Utterance> parse(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) return Optional.empty();
        String speaker = m.group(1);
        return Optional.of(new Utterance(file, m.group(3), speaker,
                genders.getOrDefault(speaker, Gender.UNKNOWN), m.group(2), m.group(4)));
    }
}
