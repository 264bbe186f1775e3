package ser.cli;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import ser.SerException;
import ser.audio.AudioLoader;
import ser.data.CorpusSet;
import ser.data.Corpus;
import ser.data.FeatureCache;
import ser.data.FeatureIndex;
import ser.data.LabelSet;
import ser.data.Utterance;
import ser.dsp.LogMel;
import ser.dsp.MelConfig;
import ser.features.HubertFeatureConfig;
import ser.features.HubertFeatures;
import ser.features.ProsodyFeatureConfig;
import ser.features.ProsodyFeatures;
import ser.features.FeatureStore;
import ser.tensor.Backends;
import ser.tensor.Devices;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ser features}: a whole corpus to a directory of .npy features (log-Mel or HuBERT), once. */
@Command(name = "features", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Features of a whole corpus (log-Mel or HuBERT), extracted once into a directory of .npy files.",
        description = {
                "Each utterance gets one .npy at its audio file's relative path. The table of contents is written "
                        + "twice, as index.csv and as index.json (path, label, speaker, npy, shape).",
                "The corpus is recognised from its file names (CREMA-D, RAVDESS, EmoDB) or read from a CSV "
                        + "manifest (path,label[,speaker], header optional, paths relative to the CSV).",
                "--kind hubert runs a converted HuBERT / wav2vec 2.0 (ser convert) over each file (only its first "
                        + "--max-seconds are read when that is given) and keeps its hidden states: [layers, dim] "
                        + "averaged over the frames (--pool mean), or [layers, frames, dim]. A file longer than 25 s "
                        + "is run in the chunks 'ser embed' uses by default (20 s kept from each, 2.5 s of context "
                        + "on each side), with the same result. With --cache DIR they land where "
                        + "'ser train --cache DIR' looks for them, so a training run finds them computed.",
                "Re-running computes only the missing files. The directory remembers its feature config (for "
                        + "HuBERT, the weights' SHA-256): a different config is refused rather than mixed in. Files "
                        + "that cannot be read are skipped and listed at the end (exit status 3); a feature file that "
                        + "cannot be written (disk full) stops the job (exit status 1)."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  ser features --data ~/data/ravdess --out features/ravdess",
                "  ser features --data ~/data/crema-d --labels all --out features/crema-all",
                "  ser features --data corpus.csv --config mel.yaml --out features/mine",
                "  ser features --kind hubert --weights hubert-base.safetensors --data ~/data/ravdess --cache runs/.features",
                "  ser features --kind hubert --weights hubert-base.safetensors --pool none --data ~/data/ravdess --cache runs/.features",
                ExitCodes.FOOTER})
public final class FeaturesCommand implements Callable<Integer> {

    private static final int SKIPPED_SHOWN = 10;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR|CSV",
            description = "A corpus: a directory (searched recursively for .wav, .aif, .aiff and .aifc files) or a "
                    + "CSV manifest. Repeat it for several corpora: with --out each gets its own folder below DIR, "
                    + "named after the corpus.")
    List<Path> data;

    @ArgGroup(multiplicity = "1")
    Destination destination;

    static final class Destination {
        @Option(names = "--out", paramLabel = "DIR", description = "The feature directory.")
        Path out;

        @Option(names = "--cache", paramLabel = "DIR",
                description = "A training feature cache: the features go to the directory below DIR that "
                        + "'ser train --cache DIR' reads for this corpus and config (HuBERT and prosody).")
        Path cache;
    }

    @Option(names = "--kind", paramLabel = "mel|hubert|prosody", defaultValue = "mel",
            description = "mel: log-Mel spectrograms; hubert: HuBERT hidden states; prosody: the 61 prosodic and "
                    + "voice-quality functionals of docs/prosody.md (with the default settings), one vector per file. "
                    + "Default: ${DEFAULT-VALUE}.")
    String kind;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Log-Mel config (YAML). Default: the embedded seed config (config/features/mel-seed.yaml).")
    Path config;

    @Option(names = "--weights", paramLabel = "W", description = "HuBERT engine weights (from 'ser convert').")
    Path weights;

    @Option(names = "--layers", paramLabel = "all|N,M", defaultValue = "all",
            description = "HuBERT hidden states to keep: all (what training reads), or indices 0 (transformer input) "
                    + ".. L (last layer). Default: ${DEFAULT-VALUE}.")
    String layers;

    @Option(names = "--pool", paramLabel = "mean|none", defaultValue = "mean",
            description = "mean: one vector per layer and file; none: every frame. Default: ${DEFAULT-VALUE}.")
    String pool;

    @Option(names = "--max-seconds", paramLabel = "S", defaultValue = "0",
            description = "HuBERT reads at most the first S seconds of each file; 0: all of it. Default: ${DEFAULT-VALUE}.")
    double maxSeconds;

    @Option(names = "--labels", paramLabel = "SET", defaultValue = "seed4",
            description = "seed4: the seed recipe's NEU, HAP, SAD, ANG (other emotions are left out); "
                    + "all: every emotion of the corpus. Default: ${DEFAULT-VALUE}.")
    String labels;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads. Default: the number of processors.")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = DeviceOptions.NAME, paramLabel = DeviceOptions.LABEL,
            description = "What HuBERT (--kind hubert) runs on: " + Devices.SPECS + ". auto uses the GPU when one can "
                    + "run here, else the CPU (with a notice); cuda stops with the reason when it cannot. Log-Mel and "
                    + "prosody features are computed on the CPU in this version. Default: cpu.")
    String device;

    private Backends.Backend backend;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (!List.of("mel", "hubert", "prosody").contains(kind)) {
            throw new SerException("--kind must be mel, hubert or prosody, got '" + kind + "'");
        }
        Inputs.threads(threads);
        backend = DeviceOptions.open(device);
        if (!kind.equals("hubert")) DeviceOptions.cpuOnly(backend, kind.equals("mel") ? "log-Mel features" : "prosody features");
        CorpusSet corpora = CorpusSet.open(data);
        int failed = 0;
        for (Corpus corpus : corpora.corpora()) {
            Path out = destination.out == null || corpora.single() ? destination.out : destination.out.resolve(corpus.id());
            failed += extract(err, corpus, out);
        }
        return ExitCodes.done(failed);
    }

    /**
     * One corpus into its feature directory ({@code out}, or the cache's directory for it when null); returns the
     * number of files that could not be read.
     */
    private int extract(PrintWriter err, Corpus corpus, Path out) {
        LabelSet labelSet = LabelSet.named(labels, corpus.utterances());
        FeatureCache cache = switch (kind) {
            case "hubert" -> hubertCache(corpus, out);
            case "prosody" -> prosodyCache(corpus, out);
            default -> melCache(out);
        };
        List<Utterance> chosen = labelSet.keep(corpus.utterances());

        err.printf("%s: %d utterances under %s, %d of them in label set %s%n", corpus.name(),
                corpus.utterances().size(), corpus.root(), chosen.size(), labelSet);
        reportSkipped(err, corpus.skipped());
        if (chosen.isEmpty()) throw new SerException("no utterances of " + corpus.root() + " have a label in " + labelSet);

        ProgressBar bar = ProgressBar.onStderr("features " + corpus.id(), chosen.size());
        FeatureCache.Result result;
        try {
            result = cache.build(corpus, chosen, bar::step);
        } finally {
            bar.finish();
        }

        for (FeatureCache.Failure f : result.failures()) err.printf("  failed %s: %s%n", f.file(), f.reason());
        if (result.entries().isEmpty()) {
            throw new SerException("no features extracted: all " + chosen.size() + " files of " + corpus.root() + " failed");
        }
        spec.commandLine().getOut().printf("%s: %d utterances (%d computed, %d reused, %d failed), config %s%n",
                cache.directory().resolve(FeatureIndex.CSV), result.entries().size(), result.computed(), result.reused(),
                result.failures().size(), cache.configHash());
        return result.failures().size();
    }

    private FeatureCache melCache(Path out) {
        if (destination.cache != null) {
            throw new SerException("--cache is for --kind hubert or prosody; 'ser train' computes and caches log-Mel features itself (use --out)");
        }
        MelConfig cfg = Inputs.melConfig(config);
        // One LogMel per worker: it may keep scratch buffers, and they must not be shared between threads.
        ThreadLocal<LogMel> logMel = ThreadLocal.withInitial(() -> new LogMel(cfg));
        return new FeatureCache(out, cfg.toString(),
                wav -> logMel.get().compute(AudioLoader.loadMono(wav, cfg.sampleRate())), threads);
    }

    /** The vectors a {@code kind: prosody} recipe reads; with --cache, where {@code ser train --cache} finds them. */
    private FeatureCache prosodyCache(Corpus corpus, Path out) {
        ProsodyFeatures features = new ProsodyFeatures(ProsodyFeatureConfig.defaults());
        Path dir = out != null ? out : FeatureStore.cacheDir(destination.cache, corpus, features.cacheKey());
        return new FeatureCache(dir, features.cacheKey(), features::compute, features.parallelFiles(threads));
    }

    /** One file at a time: the encoder spreads each file's matrix products over the processors itself. */
    private FeatureCache hubertCache(Corpus corpus, Path out) {
        if (weights == null) throw new SerException("--kind hubert needs --weights W (an engine weights file from 'ser convert')");
        HubertFeatures features;
        try {
            features = new HubertFeatures(new HubertFeatureConfig(Inputs.existingFile(weights), "all", pool, maxSeconds, null), backend);
        } catch (IllegalArgumentException e) {
            throw new SerException("--" + e.getMessage().replace("max_seconds", "max-seconds"));
        }
        int[] states = EmbedCommand.layerIndices(layers, features.model().layers());
        String key = features.cacheKey(states);
        Path dir = out != null ? out : FeatureStore.cacheDir(destination.cache, corpus, key);
        return new FeatureCache(dir, key, wav -> features.compute(wav, states), 1);
    }

    private static void reportSkipped(PrintWriter err, List<Corpus.Skipped> skipped) {
        if (skipped.isEmpty()) return;
        err.printf("skipped %d file%s:%n", skipped.size(), skipped.size() == 1 ? "" : "s");
        skipped.stream().limit(SKIPPED_SHOWN).forEach(s -> err.printf("  %s: %s%n", s.file(), s.reason()));
        if (skipped.size() > SKIPPED_SHOWN) err.printf("  ... and %d more%n", skipped.size() - SKIPPED_SHOWN);
    }
}
