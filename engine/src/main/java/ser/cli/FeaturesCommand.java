package ser.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import ser.SerException;
import ser.audio.AudioLoader;
import ser.data.Corpora;
import ser.data.Corpus;
import ser.data.FeatureCache;
import ser.data.FeatureIndex;
import ser.data.LabelSet;
import ser.data.Utterance;
import ser.dsp.LogMel;
import ser.dsp.MelConfig;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ser features}: a whole corpus to a directory of .npy log-Mel features, once. */
@Command(name = "features", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Log-Mel features of a whole corpus, extracted once into a directory of .npy files.",
        description = {
                "Each utterance gets one .npy at its audio file's relative path. The table of contents is written "
                        + "twice, as index.csv and as index.json (path, label, speaker, npy, shape).",
                "The corpus is recognised from its file names (CREMA-D, RAVDESS, EmoDB) or read from a CSV "
                        + "manifest (path,label[,speaker], header optional, paths relative to the CSV).",
                "Re-running computes only the missing files. The directory remembers its feature config: a "
                        + "different config is refused rather than mixed in. Files that cannot be read are "
                        + "skipped and listed at the end."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  ser features --data ~/data/ravdess --out features/ravdess",
                "  ser features --data ~/data/crema-d --labels all --out features/crema-all",
                "  ser features --data corpus.csv --config mel.yaml --out features/mine"})
public final class FeaturesCommand implements Callable<Integer> {

    private static final int SKIPPED_SHOWN = 10;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR|CSV",
            description = "The corpus: a directory (searched recursively for .wav files) or a CSV manifest.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The feature directory.")
    Path out;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Feature config (YAML). Default: the embedded seed config (config/features/mel-seed.yaml).")
    Path config;

    @Option(names = "--labels", paramLabel = "SET", defaultValue = "seed4",
            description = "seed4: the seed recipe's NEU, HAP, SAD, ANG (other emotions are left out); "
                    + "all: every emotion of the corpus. Default: ${DEFAULT-VALUE}.")
    String labels;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads. Default: the number of processors.")
    int threads = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Corpus corpus = Corpora.open(data);
        LabelSet labelSet = LabelSet.named(labels, corpus.utterances());
        MelConfig cfg = Inputs.melConfig(config);
        List<Utterance> chosen = labelSet.keep(corpus.utterances());

        err.printf("%s: %d utterances under %s, %d of them in label set %s%n", corpus.name(),
                corpus.utterances().size(), corpus.root(), chosen.size(), labelSet);
        reportSkipped(err, corpus.skipped());
        if (chosen.isEmpty()) throw new SerException("no utterances of " + data + " have a label in " + labelSet);

        // One LogMel per worker: it may keep scratch buffers, and they must not be shared between threads.
        ThreadLocal<LogMel> logMel = ThreadLocal.withInitial(() -> new LogMel(cfg));
        FeatureCache cache = new FeatureCache(out, cfg.toString(),
                wav -> logMel.get().compute(AudioLoader.loadMono(wav, cfg.sampleRate())), threads);
        ProgressBar bar = ProgressBar.onStderr("features", chosen.size());
        FeatureCache.Result result;
        try {
            result = cache.build(corpus, chosen, bar::step);
        } finally {
            bar.finish();
        }

        for (FeatureCache.Failure f : result.failures()) err.printf("  failed %s: %s%n", f.file(), f.reason());
        if (result.entries().isEmpty()) {
            throw new SerException("no features extracted: all " + chosen.size() + " files failed");
        }
        spec.commandLine().getOut().printf("%s: %d utterances (%d computed, %d reused, %d failed), config %s%n",
                out.resolve(FeatureIndex.CSV), result.entries().size(), result.computed(), result.reused(),
                result.failures().size(), cache.configHash());
        return 0;
    }

    private static void reportSkipped(PrintWriter err, List<Corpus.Skipped> skipped) {
        if (skipped.isEmpty()) return;
        err.printf("skipped %d file%s:%n", skipped.size(), skipped.size() == 1 ? "" : "s");
        skipped.stream().limit(SKIPPED_SHOWN).forEach(s -> err.printf("  %s: %s%n", s.file(), s.reason()));
        if (skipped.size() > SKIPPED_SHOWN) err.printf("  ... and %d more%n", skipped.size() - SKIPPED_SHOWN);
    }
}
