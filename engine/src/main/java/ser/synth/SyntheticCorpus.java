package ser.synth;

import ser.SerException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Writes a SYNTHETIC emotional-speech corpus: 16 kHz mono 16-bit WAV files in the CREMA-D layout
 * ({@code 1001_SYN03_ANG_XX.wav}: speaker, "sentence", emotion, intensity unspecified), so that the ordinary
 * CREMA-D reader loads it, plus a {@code README.txt} that says what it is and how it was made.
 *
 * <p>The clips are made by {@link ClipSynthesizer}; nothing in them is recorded speech, and models trained on
 * them say nothing about real emotion recognition. The corpus is a pure function of its arguments: every clip
 * has its own seed derived from (seed, speaker, emotion, index), so files are made in parallel and are still
 * byte-identical from run to run.
 */
public final class SyntheticCorpus {

    private static final double MAX_SECONDS = 60;

    private SyntheticCorpus() {}

    /**
     * Generates {@code speakers × emotions × clipsPerEmotionPerSpeaker} clips of {@code seconds} each into
     * {@code dir} (created if needed) and returns their paths, speaker by speaker.
     */
    public static List<Path> generate(Path dir, int speakers, int clipsPerEmotionPerSpeaker, List<String> emotions,
                                      long seed, double seconds) {
        if (speakers < 1 || clipsPerEmotionPerSpeaker < 1) {
            throw new SerException("synthetic corpus needs at least one speaker and one clip per emotion, got "
                    + speakers + " speakers and " + clipsPerEmotionPerSpeaker + " clips");
        }
        if (!(seconds > 0 && seconds <= MAX_SECONDS)) {
            throw new SerException("synthetic clip length must be in (0, " + MAX_SECONDS + "] s, got " + seconds);
        }
        if (emotions.isEmpty()) {
            throw new SerException("synthetic corpus needs at least one emotion");
        }
        List<EmotionProfile> profiles = emotions.stream().map(EmotionProfile::of).distinct().toList();
        createDirectory(dir);

        int samples = (int) Math.round(seconds * ClipSynthesizer.SAMPLE_RATE);
        List<Clip> clips = new ArrayList<>();
        for (int s = 0; s < speakers; s++) {
            SpeakerProfile speaker = SpeakerProfile.draw(seed, s);
            for (EmotionProfile emotion : profiles) {
                for (int i = 0; i < clipsPerEmotionPerSpeaker; i++) {
                    clips.add(new Clip(speaker, emotion, i,
                            dir.resolve(fileName(speaker.id(), emotion.code(), i, clipsPerEmotionPerSpeaker))));
                }
            }
        }
        IntStream.range(0, clips.size()).parallel().forEach(c -> {
            Clip clip = clips.get(c);
            long clipSeed = clipSeed(seed, clip.speaker.id(), clip.emotion.code(), clip.index);
            PcmWavWriter.write(clip.file,
                    ClipSynthesizer.synthesize(clip.speaker, clip.emotion, clipSeed, samples),
                    ClipSynthesizer.SAMPLE_RATE);
        });
        writeReadme(dir, speakers, clipsPerEmotionPerSpeaker, profiles, seed, seconds);
        return clips.stream().map(Clip::file).toList();
    }

    /** CREMA-D naming; the sentence field carries the clip index, padded so that names sort in order. */
    static String fileName(int speakerId, String emotion, int index, int clipsPerEmotion) {
        int digits = Math.max(2, String.valueOf(clipsPerEmotion - 1).length());
        return String.format(Locale.ROOT, "%d_SYN%0" + digits + "d_%s_XX.wav", speakerId, index, emotion);
    }

    static long clipSeed(long corpusSeed, int speakerId, String emotion, int index) {
        return Seeds.mix(corpusSeed, speakerId, emotion.hashCode(), index);
    }

    private record Clip(SpeakerProfile speaker, EmotionProfile emotion, int index, Path file) {}

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw SerException.inFile(dir, "cannot create the synthetic corpus directory: " + e.getMessage(), e);
        }
    }

    private static void writeReadme(Path dir, int speakers, int clips, List<EmotionProfile> emotions, long seed,
                                    double seconds) {
        StringBuilder text = new StringBuilder();
        text.append("SYNTHETIC SPEECH - NOT A RECORDED CORPUS\n\n");
        text.append("Made by ser.synth.SyntheticCorpus: nonsense syllables from a source-filter voice whose\n");
        text.append("pitch, tempo, loudness, spectral tilt and voice quality follow textbook acoustic\n");
        text.append("correlates of emotion. Results on it say nothing about real emotion recognition.\n\n");
        text.append("seed: ").append(seed).append('\n');
        text.append("speakers: ").append(speakers).append(" (ids ").append(SpeakerProfile.FIRST_ID)
                .append("..").append(SpeakerProfile.FIRST_ID + speakers - 1).append(")\n");
        text.append("emotions: ").append(String.join(" ", emotions.stream().map(EmotionProfile::code).toList()))
                .append('\n');
        text.append("clips per emotion per speaker: ").append(clips).append('\n');
        text.append("seconds per clip: ").append(seconds).append('\n');
        text.append("format: ").append(ClipSynthesizer.SAMPLE_RATE).append(" Hz mono 16-bit PCM WAV\n");
        text.append("names: <speaker>_SYN<index>_<emotion>_XX.wav (CREMA-D layout)\n\n");
        text.append("speakers:\n");
        for (int s = 0; s < speakers; s++) {
            SpeakerProfile p = SpeakerProfile.draw(seed, s);
            text.append(String.format(Locale.ROOT, "  %d %-6s f0 %.0f Hz, formant scale %.2f\n",
                    p.id(), p.voice().name().toLowerCase(Locale.ROOT), p.f0Hz(), p.formantScale()));
        }
        Path readme = dir.resolve("README.txt");
        try {
            Files.writeString(readme, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw SerException.inFile(readme, "cannot write: " + e.getMessage(), e);
        }
    }
}
