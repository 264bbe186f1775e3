package ser.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import ser.SerException;
import ser.api.EmotionRecognizer;
import ser.api.Prediction;
import ser.io.Json;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ser predict}: one JSON line per file (or per segment) on stdout. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Labels WAV or AIFF files (any sample rate and channel count; directories are searched recursively) with a "
                        + "run's best model and prints one JSON line per file: "
                        + "{\"file\", \"label\", \"probabilities\": {...}}.",
                "Without --window a file is labelled by its first clip (the model's clip length, e.g. 3 s): a longer "
                        + "file gets a notice on stderr and \"labelled_seconds\" and \"file_seconds\" in its line. "
                        + "Only that clip is read, and the file's length taken from its header, when the clip is "
                        + "all the model's inputs use (log-Mel without silence trimming, HuBERT with max_seconds).",
                "With --window, long recordings are labelled window by window: one line per segment, with "
                        + "\"start\" and \"end\" in seconds (at most 100000 windows a file). A file is read "
                        + "as it is labelled and each line printed as its window is done, so memory stays bounded "
                        + "whatever the file's length; the lines are those of the file read whole.",
                "Files that cannot be read are reported on stderr and skipped; the exit status is 3 if any was."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  ser predict --run runs/seed clip.wav more-clips/",
                "  ser predict --run runs/seed --window 3 --hop 1 interview.wav",
                ExitCodes.FOOTER})
public final class PredictCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, paramLabel = "RUN", description = "The run directory.")
    Path run;

    @Parameters(arity = "1..*", paramLabel = "FILE_OR_DIR", description = "WAV or AIFF files, or directories.")
    List<Path> inputs;

    @Option(names = "--window", paramLabel = "S",
            description = "Label segments of this many seconds (at most the model's clip length; default with --hop: that length).")
    Double window;

    @Option(names = "--hop", paramLabel = "S", description = "Step between segments in seconds. Default: the window.")
    Double hop;

    @Option(names = DeviceOptions.NAME, paramLabel = DeviceOptions.LABEL, description = DeviceOptions.RUN_HELP)
    String device;

    @Override
    public Integer call() {
        EmotionRecognizer recognizer = EmotionRecognizer.open(run, DeviceOptions.checked(device), DeviceOptions::notice);
        if (hop != null && window == null) {
            if (Double.isInfinite(recognizer.clipSeconds())) throw new SerException("this model reads whole files: give --window S with --hop");
            window = recognizer.clipSeconds();
        }
        if (window != null) {
            try {
                recognizer.checkWindow(window, hop != null ? hop : window);
            } catch (SerException e) {
                throw new SerException("--window " + window + (hop != null ? " --hop " + hop : "") + ": " + e.getMessage(), e);
            }
        }
        List<Path> files = expand(inputs);
        PrintStream out = System.out;
        int failed = 0;
        for (Path file : files) {
            try {
                if (window == null) {
                    Prediction p = recognizer.classify(file);
                    out.println(Json.write(p.toJson()));
                    if (p.partial()) {
                        System.err.printf(Locale.ROOT, "ser: %s: %.1f s long, only its first %s s are labelled; "
                                + "give --window %s to label all of it%n", file, p.fileSeconds(), seconds(p.end()), seconds(p.end()));
                    }
                } else {
                    // Streamed: each batch of windows is printed as it is labelled, and the file is read as it goes.
                    recognizer.classifyWindows(file, window, hop != null ? hop : window, p -> {
                        out.println(Json.write(p.toJson()));
                        out.flush();
                    });
                }
                out.flush();
            } catch (SerException e) {
                failed++;
                System.err.println("ser: " + e.getMessage());
            }
        }
        if (failed > 0) System.err.printf(Locale.ROOT, "ser: %d of %d files could not be labelled%n", failed, files.size());
        return ExitCodes.done(failed);
    }

    /** Seconds as short as they can be written: 3, not 3.0. */
    private static String seconds(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }

    /**
     * Files as given, directories as their audio files (recursively, sorted, see {@link Inputs#audioFilesUnder});
     * a path that does not exist is reported when it is read.
     */
    static List<Path> expand(List<Path> inputs) {
        List<Path> files = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                files.addAll(Inputs.audioFilesUnder(p));
            } else {
                files.add(p); // a missing or bad file is reported when it is read, and the others still run
            }
        }
        return files;
    }
}
