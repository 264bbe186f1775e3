package ser.run;

import ser.config.ConfigNode;
import ser.data.Utterance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which corpora a recipe trains on and how much each counts ({@code data:} in a train config).
 * <pre>
 * data:
 *   balance: corpus_class        # none | class | corpus | corpus_class: what each epoch's draw evens out
 *   corpora:
 *     ravdess-16k: {path: ../shared/data/ravdess-16k, weight: 1.0}
 *     emovo-16k:   {path: ../shared/data/emovo-16k/manifest.csv, weight: 1.0, relabel: {SUR: HAP}}
 * </pre>
 * A corpus is named by its id, the name of its folder (a manifest's folder). {@code path} is used when the
 * command line gives no {@code --data}; relative paths are taken next to the recipe, then in the working
 * directory. {@code relabel} maps a corpus' labels onto the run's label set before labels are chosen.
 *
 * <p>With {@code balance: none} and equal weights each epoch is a shuffle of the training part, as it always was.
 * Otherwise each epoch draws as many examples as the part holds, with replacement, example i with probability
 * proportional to {@code weight(corpus) / size(group of i)}, the group being its class, its corpus, or both: a
 * small corpus or a rare class is then seen as often as a large one.
 */
public record DataConfig(String balance, Map<String, Corpus> corpora) {

    public static final List<String> BALANCES = List.of("none", "class", "corpus", "corpus_class");
    public static final DataConfig NONE = new DataConfig("none", Map.of());

    /** One named corpus of a recipe; {@code path} may be null. */
    public record Corpus(Path path, double weight, Map<String, String> relabel) {}

    public DataConfig {
        corpora = Collections.unmodifiableMap(new LinkedHashMap<>(corpora));
    }

    static DataConfig read(ConfigNode d) {
        String balance = d.choice("balance", "none", BALANCES);
        Map<String, Corpus> corpora = new LinkedHashMap<>();
        if (d.has("corpora")) {
            ConfigNode c = d.node("corpora");
            for (String id : c.keys()) {
                ConfigNode one = c.node(id);
                Path path = one.has("path") ? resolve(one, one.string("path")) : null;
                double weight = one.number("weight", 1.0);
                if (!(weight > 0 && weight < 1e6)) throw one.error("weight", "must be a positive number, got " + weight);
                Map<String, String> relabel = new LinkedHashMap<>();
                if (one.has("relabel")) {
                    ConfigNode r = one.node("relabel");
                    for (String from : r.keys()) relabel.put(from, r.string(from));
                    r.finish();
                }
                one.finish();
                corpora.put(id, new Corpus(path, weight, relabel));
            }
            c.finish();
        }
        d.finish();
        return new DataConfig(balance, corpora);
    }

    private static Path resolve(ConfigNode node, String given) {
        Path p = Path.of(given);
        if (p.isAbsolute()) return p;
        Path dir = node.file() == null ? null : node.file().toAbsolutePath().getParent();
        if (dir != null && Files.exists(dir.resolve(p))) return dir.resolve(p).normalize();
        return p.toAbsolutePath().normalize();
    }

    /** The recipe's own corpus paths, for a run started without {@code --data}; empty if any corpus has none. */
    public List<Path> paths() {
        if (corpora.isEmpty() || corpora.values().stream().anyMatch(c -> c.path() == null)) return List.of();
        return corpora.values().stream().map(Corpus::path).toList();
    }

    /** {@code u} with its corpus' relabelling applied. */
    public Utterance relabel(Utterance u) {
        Corpus c = u.corpus() == null ? null : corpora.get(u.corpus());
        if (c == null || !c.relabel().containsKey(u.label())) return u;
        return u.withLabel(c.relabel().get(u.label()));
    }

    public double weight(String corpus) {
        Corpus c = corpus == null ? null : corpora.get(corpus);
        return c == null ? 1.0 : c.weight();
    }

    /** Whether epochs are weighted draws rather than plain shuffles. */
    public boolean weighted() {
        return !balance.equals("none") || corpora.values().stream().anyMatch(c -> c.weight() != 1.0);
    }

    /** Each training example's draw probability, unnormalised, per {@link #balance}; null for a plain shuffle. */
    public double[] sampleWeights(List<Utterance> train) {
        if (!weighted()) return null;
        Map<String, Integer> groupSize = new LinkedHashMap<>();
        for (Utterance u : train) groupSize.merge(group(u), 1, Integer::sum);
        double[] w = new double[train.size()];
        for (int i = 0; i < w.length; i++) {
            Utterance u = train.get(i);
            w[i] = weight(u.corpus()) / groupSize.get(group(u));
        }
        return w;
    }

    private String group(Utterance u) {
        return switch (balance) {
            case "class" -> u.label();
            case "corpus" -> String.valueOf(u.corpus());
            case "corpus_class" -> u.corpus() + "\u0000" + u.label();
            default -> "";
        };
    }

    Map<String, Object> toYaml() {
        Map<String, Object> corpora = new LinkedHashMap<>();
        this.corpora.forEach((id, c) -> {
            Map<String, Object> one = new LinkedHashMap<>();
            if (c.path() != null) one.put("path", c.path().toString());
            one.put("weight", c.weight());
            if (!c.relabel().isEmpty()) one.put("relabel", new LinkedHashMap<>(c.relabel()));
            corpora.put(id, one);
        });
        return corpora.isEmpty() ? Yamls.map("balance", balance) : Yamls.map("balance", balance, "corpora", corpora);
    }
}
