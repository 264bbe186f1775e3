package ser.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The Spark session of a job, with what executors need to run the engine. */
final class Sessions {

    /** The engine's own JVM flags: the incubating Vector API, native access for the memory-mapped weights. */
    static final String ENGINE_FLAGS = "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED";

    private Sessions() {}

    /**
     * A session on {@code master}, or, when null, on the master spark-submit chose ({@code spark.master}) and else
     * {@code local[*]}. Executors get the engine's JVM flags added to {@code spark.executor.extraJavaOptions} (Spark
     * adds its own --add-opens itself), and the code they need: the jars of the engine, this module, picocli and
     * SnakeYAML through {@code spark.jars} (the driver serves them); where any of that code is a folder of classes (a
     * development build, the tests), all of it through {@code spark.executor.extraClassPath}, which only works for
     * executors on this machine, as tools/spark-cluster.sh's are.
     */
    static SparkSession open(String app, String master) {
        SparkConf conf = new SparkConf();
        if (master != null) conf.setMaster(master);
        else if (!conf.contains("spark.master")) conf.setMaster("local[*]");
        conf.setAppName(conf.get("spark.app.name", app));
        String opts = conf.get("spark.executor.extraJavaOptions", "");
        if (!opts.contains("jdk.incubator.vector")) conf.set("spark.executor.extraJavaOptions", (opts + " " + ENGINE_FLAGS).strip());
        if (!conf.get("spark.master").startsWith("local")) shipCode(conf);
        // Small jobs: the default 200 shuffle partitions would be 200 tiny tasks (and files) per write.
        if (!conf.contains("spark.sql.shuffle.partitions")) conf.set("spark.sql.shuffle.partitions", "8");
        return SparkSession.builder().config(conf).getOrCreate();
    }

    private static void shipCode(SparkConf conf) {
        Set<String> jars = new LinkedHashSet<>(), dirs = new LinkedHashSet<>();
        for (Class<?> c : List.of(ser.SerException.class, Sessions.class, picocli.CommandLine.class, org.yaml.snakeyaml.Yaml.class)) {
            var source = c.getProtectionDomain().getCodeSource();
            if (source == null) continue;
            Path p = Path.of(java.net.URI.create(source.getLocation().toString()));
            (Files.isDirectory(p) ? dirs : jars).add(p.toString());
        }
        if (!dirs.isEmpty()) {
            // All of it on the executors' system class path, jars too: classes there cannot see spark.jars' classes
            // (they sit in a child class loader), so a folder of ours and a jar of ours must not be split up.
            if (!conf.contains("spark.executor.extraClassPath")) {
                dirs.addAll(jars);
                conf.set("spark.executor.extraClassPath", String.join(java.io.File.pathSeparator, dirs));
            }
            return;
        }
        List<String> all = new ArrayList<>();
        if (conf.contains("spark.jars") && !conf.get("spark.jars").isBlank()) all.add(conf.get("spark.jars"));
        all.addAll(jars);
        conf.set("spark.jars", String.join(",", all));
    }
}
