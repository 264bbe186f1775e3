package ser.cli;

import ser.synth.SyntheticCorpus;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run the build records {@code ./ser}'s ahead-of-time cache from ({@code -XX:AOTCacheOutput}, JEP
 * 483/514/515): the common commands on a small synthetic corpus, so that a later launch finds their classes
 * loaded and linked, and their hot methods profiled, instead of doing that work again on every start. Whatever
 * fails here only makes the cache less complete: the run always exits 0 and says what failed on stderr.
 */
public final class AotTraining {

    private AotTraining() {}

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("ser-aot-training");
        PrintStream out = System.out;
        PrintStream err = System.err;
        try {
            Path corpus = dir.resolve("corpus");
            List<Path> clips = SyntheticCorpus.generate(corpus, 4, 1, List.of("NEU", "HAP", "SAD", "ANG"), 1, 3.0);
            String clip = clips.getFirst().toString();
            String run = dir.resolve("run").toString();
            List<String[]> commands = List.of(
                    new String[] {"--help"},
                    new String[] {"mel", clip, "--out", dir.resolve("mel.npy").toString()},
                    new String[] {"train", "--config", "config/train-mel-seed.yaml", "--data", corpus.toString(),
                            "--out", run, "--set", "training.epochs=1",
                            "--set", "split={kind: speakers, val_speakers: 1, test_speakers: 1}"},
                    new String[] {"predict", "--run", run, clip},
                    new String[] {"predict", "--run", run, clip, clips.get(1).toString()});
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            for (String[] command : commands) {
                System.setOut(quiet);
                System.setErr(quiet);
                int status;
                try {
                    status = Main.run(command);
                } finally {
                    System.setOut(out);
                    System.setErr(err);
                }
                if (status != 0) err.println("ser: AOT training run: 'ser " + String.join(" ", command) + "' exited " + status);
            }
        } catch (RuntimeException e) {
            err.println("ser: AOT training run stopped early (the cache will cover less): " + e);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
