package ser.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;
import ser.SerException;
import ser.data.Corpus;
import ser.data.CorpusSet;
import ser.data.Utterance;
import ser.features.FeatureStore;
import ser.features.Features;
import ser.io.Npy;
import ser.run.TrainConfig;
import ser.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The first half of {@code ser train --features DIR}: the Parquet table of {@code ser spark features} turned into
 * the training feature cache the engine already reads, so that the engine needs no Parquet reader and training
 * itself is unchanged. The launcher (./ser) runs this, then {@code ser train} with the same options and
 * {@code --cache} set to the root this prints on stdout.
 *
 * <p>For each corpus of the run ({@code --data}, or the recipe's), each feature input of the recipe whose cache key
 * is the table's {@code config}, and each row whose path is one of the corpus' audio files, the row's array is
 * written as the {@code .npy} the cache would have computed, where it would have put it ({@code FeatureStore.cacheDir}
 * and the file's path below the corpus root). The cache then finds them made (newer than their audio files) and
 * computes only what the table lacks. A table whose config is none of the recipe's inputs' is refused: its arrays
 * are not what this recipe trains on (log-Mel recipes pad or trim to a clip, which {@code ser spark features --kind
 * mel}, like {@code ser features}, does not; HuBERT needs {@code --layers all} and the recipe's pooling).
 */
@Command(name = "train-cache", mixinStandardHelpOptions = true,
        description = "Fills the training feature cache of a 'ser train' run from a 'ser spark features' table.")
public final class FeaturesToCache implements Callable<Integer> {

    @Option(names = "--features", required = true, paramLabel = "DIR", description = "OUT of 'ser spark features', or OUT/features.")
    String features;

    @Option(names = "--config", paramLabel = "FILE", description = "The recipe.")
    Path config;

    @Option(names = "--resume", paramLabel = "RUN")
    Path resume;

    @Option(names = "--data", paramLabel = "DIR|CSV")
    List<Path> data = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR")
    Path out;

    @Option(names = "--cache", paramLabel = "DIR")
    Path cache;

    @Unmatched
    List<String> others = new ArrayList<>(); // the rest of ser train's options, for ser train itself

    public static void main(String[] args) {
        System.exit(SparkMain.execute(new CommandLine(new FeaturesToCache()), args));
    }

    @Override
    public Integer call() throws Exception {
        if (resume != null || config == null) {
            throw new SerException("--features starts a new run (--config R --data M); a resumed run reads the cache it was started with");
        }
        TrainConfig recipe = TrainConfig.load(config, overrides);
        CorpusSet corpora = CorpusSet.open(!data.isEmpty() ? data : recipe.data().paths());
        // Where 'ser train' looks when --cache is not given: .features beside the run directory (TrainJob), whose
        // default is runs/<recipe>-<time> (TrainCommand).
        Path root = cache != null ? cache : (out != null ? out.toAbsolutePath().getParent() : Path.of("runs").toAbsolutePath()).resolve(".features");
        try (SparkSession spark = Sessions.open("ser train --features", "local[*]")) {
            String table = FeaturesJob.exists(spark, features + "/features") ? features + "/features" : features;
            int written = fill(spark, table, recipe.openFeatures(), corpora, root);
            System.err.printf("ser: %d feature files from %s written to the cache %s%n", written, table, root);
        }
        System.out.println(root);
        return 0;
    }

    static int fill(SparkSession spark, String table, Map<String, Features> inputs, CorpusSet corpora, Path root) {
        List<String> configs = spark.read().parquet(table).select("config").distinct().collectAsList().stream().map(r -> r.getString(0)).toList();
        List<Features> matching = inputs.values().stream().filter(f -> configs.contains(f.cacheKey())).toList();
        if (matching.isEmpty()) {
            throw new SerException(table + " holds features of config " + configs + "; the recipe's inputs need "
                    + inputs.values().stream().map(Features::cacheKey).toList() + " (see docs/spark.md, 'Training from the table')");
        }
        // Audio path → (corpus, utterance): the table's paths are the manifest's, resolved as the engine resolves them.
        Map<Path, Corpus> corpusOf = new HashMap<>();
        for (Corpus c : corpora.corpora()) for (Utterance u : c.utterances()) corpusOf.put(u.path().toAbsolutePath().normalize(), c);
        int written = 0;
        for (Features f : matching) {
            Iterator<Row> rows = spark.read().parquet(table).filter(new org.apache.spark.sql.Column("config").equalTo(f.cacheKey()))
                    .select("path", "shape", "features").toLocalIterator();
            while (rows.hasNext()) {
                Row r = rows.next();
                Path audio = Path.of(r.getString(0)).toAbsolutePath().normalize();
                Corpus c = corpusOf.get(audio);
                if (c == null) continue; // not in this run's corpora
                Path npy = npyPath(FeatureStore.cacheDir(root, c, f.cacheKey()), c.root(), audio);
                if (Files.isRegularFile(npy)) continue;
                List<Integer> shape = r.getList(1);
                List<Float> values = r.getList(2);
                float[] x = new float[values.size()];
                for (int i = 0; i < x.length; i++) x[i] = values.get(i);
                Npy.write(npy, Tensor.wrap(x, shape.stream().mapToInt(Integer::intValue).toArray()));
                written++;
            }
        }
        return written;
    }

    /** Where FeatureCache keeps a file's array: its path below the corpus root, .npy, each ".." spelled "__". */
    static Path npyPath(Path dir, Path corpusRoot, Path audio) {
        Path target = dir;
        for (Path part : corpusRoot.toAbsolutePath().normalize().relativize(audio)) {
            target = target.resolve(part.toString().equals("..") ? "__" : part.toString());
        }
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return target.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".npy");
    }
}
