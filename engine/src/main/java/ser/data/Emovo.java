package ser.data;

import ser.data.Utterance.Gender;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EMOVO (Italian): {@code dis-f1-b1.wav} is emotion, speaker, sentence. The emotion codes are Italian: neu
 * neutrale, gio gioia (joy), tri tristezza (sadness), rab rabbia (anger), pau paura (fear), dis disgusto, sor
 * sorpresa. Speakers f1-f3 are female, m1-m3 male; sentences are b1-b3, d1-d2, l1-l4, n1-n5.
 */
final class Emovo implements FileNameScheme {

    private static final Pattern NAME = Pattern.compile("(neu|gio|tri|rab|pau|dis|sor)-([fm][1-3])-([a-z]\\d{1,2})" + AUDIO_EXTENSION);
    private static final Map<String, String> EMOTIONS = Map.of(
            "neu", "NEU", "gio", "HAP", "tri", "SAD", "rab", "ANG", "pau", "FEA", "dis", "DIS", "sor", "SUR");

    @Override
    public String name() {
        return "EMOVO";
    }

    @Override
    public Optional<Utterance> parse(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) return Optional.empty();
        String speaker = m.group(2);
        Gender gender = speaker.charAt(0) == 'f' ? Gender.FEMALE : Gender.MALE;
        return Optional.of(new Utterance(file, EMOTIONS.get(m.group(1)), speaker, gender, m.group(3), null));
    }
}
