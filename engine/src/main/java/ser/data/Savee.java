package ser.data;

import ser.data.Utterance.Gender;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SAVEE (Surrey audio-visual expressed emotion): {@code DC_a01.wav} is speaker DC saying sentence 01 of the anger
 * set. The distributed folders drop the speaker from the name and use the folder instead: {@code DC/a01.wav}. The
 * four speakers (DC, JE, JK, KL) are male. Emotion codes: a anger, d disgust, f fear, h happiness, n neutral,
 * sa sadness, su surprise; sentences run 01-15, and 01-30 for neutral.
 */
final class Savee implements FileNameScheme {

    // "s" alone is no code: sadness and surprise are spelled sa and su, so that s01 matches nothing.
    private static final Pattern NAME = Pattern.compile("(?:(DC|JE|JK|KL)_)?(a|d|f|h|n|sa|su)(\\d{2})" + AUDIO_EXTENSION);
    private static final Set<String> SPEAKERS = Set.of("DC", "JE", "JK", "KL");
    private static final Map<String, String> EMOTIONS = Map.of(
            "a", "ANG", "d", "DIS", "f", "FEA", "h", "HAP", "n", "NEU", "sa", "SAD", "su", "SUR");

    @Override
    public String name() {
        return "SAVEE";
    }

    @Override
    public Optional<Utterance> parse(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) return Optional.empty();
        String speaker = m.group(1) != null ? m.group(1) : speakerFolder(file);
        if (speaker == null) return Optional.empty(); // a bare "a01.wav" outside a speaker folder says too little
        String code = m.group(2);
        int sentence = Integer.parseInt(m.group(3));
        if (sentence < 1 || sentence > (code.equals("n") ? 30 : 15)) return Optional.empty();
        return Optional.of(new Utterance(file, EMOTIONS.get(code), speaker, Gender.MALE, m.group(3), null));
    }

    private static String speakerFolder(Path file) {
        Path parent = file.getParent();
        Path folder = parent == null ? null : parent.getFileName();
        return folder != null && SPEAKERS.contains(folder.toString()) ? folder.toString() : null;
    }
}
