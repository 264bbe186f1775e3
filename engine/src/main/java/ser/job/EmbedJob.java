package ser.job;

import ser.SerException;
import ser.audio.AudioLoader;
import ser.audio.MonoSamples;
import ser.features.HubertChunks;
import ser.hubert.Hubert;
import ser.hubert.HubertOutput;
import ser.io.DirectoryLock;
import ser.io.Npy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ser embed} as a library call: each audio file's HuBERT hidden states ({@code states}, every frame or their
 * mean) into {@code out/<name>.npy}, float32 [states, frames, dim] or [states, dim].
 *
 * <p>Each file's embedding is what the model gives for that file alone ({@link Hubert#forwardEach}): a padded batch
 * would change what the first conv's group norm sees. Short files go a few at a time through one transformer batch
 * (the same numbers as one by one, fewer small GEMMs); a file longer than one chunk of {@code plan} and its context is
 * run on its own in chunks ({@link HubertChunks}), read and written as it goes. A null plan runs every file whole.
 *
 * @param files  audio files; no two may share a name without extension (they would write one .npy)
 * @param states hidden states to keep, each in 0 .. layers
 * @param pool   every frame, or their mean
 * @param plan   the chunking of long files, or null
 * @param out    the output directory, locked while the job writes it
 */
public record EmbedJob(List<Path> files, int[] states, HubertOutput.Pool pool, HubertChunks.Plan plan, Path out) {

    private static final int GROUP_FILES = 8;
    private static final long GROUP_SAMPLES = 60L * 16_000;

    public EmbedJob {
        files = List.copyOf(files);
        states = states.clone();
        checkNames(files);
    }

    /** Refuses two files that would write one .npy (a check a caller may run before loading a model). */
    public static void checkNames(List<Path> files) {
        Map<String, Path> byName = new HashMap<>();
        for (Path f : files) {
            Path clash = byName.put(stem(f), f);
            if (clash != null) throw new SerException("two inputs would both write " + stem(f) + ".npy: " + clash + " and " + f);
        }
    }

    /** Runs the job on {@code hubert}; a file that cannot be read stops it (the arrays written so far stay). */
    public void run(Hubert hubert) {
        try (DirectoryLock lock = DirectoryLock.take(out)) {
            for (int start = 0; start < files.size(); ) {
                List<Path> group = new ArrayList<>();
                List<float[]> clips = new ArrayList<>();
                long samplesInGroup = 0;
                while (start < files.size() && group.size() < GROUP_FILES && samplesInGroup < GROUP_SAMPLES) {
                    Path f = files.get(start++);
                    float[] samples;
                    if (plan == null) {
                        samples = AudioLoader.loadMono(f, 16_000);
                    } else {
                        try (MonoSamples source = MonoSamples.open(f, 16_000)) {
                            if (plan.splits(hubert.config(), source.length())) {
                                HubertChunks.write(hubert, source, plan, states, pool, target(f));
                                continue;
                            }
                            samples = source.read(0, (int) source.length(), new float[(int) source.length()]);
                        }
                    }
                    if (hubert.config().frames(samples.length) == 0) {
                        throw SerException.inFile(f, "too short for HuBERT: " + samples.length + " samples at 16 kHz make no frame");
                    }
                    group.add(f);
                    clips.add(samples);
                    samplesInGroup += samples.length;
                }
                if (clips.isEmpty()) continue;
                HubertOutput output = hubert.forwardEach(clips, states);
                for (int b = 0; b < group.size(); b++) Npy.write(target(group.get(b)), output.embedding(b, states, pool));
            }
        }
    }

    /** Where a file's embedding goes: {@code out/<name without extension>.npy}. */
    public Path target(Path file) {
        return out.resolve(stem(file) + ".npy");
    }

    private static String stem(Path f) {
        String name = f.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
