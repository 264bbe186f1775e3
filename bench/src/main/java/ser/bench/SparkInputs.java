package ser.bench;

import ser.hubert.Hubert;
import ser.hubert.HubertConfig;
import ser.hubert.WeightSource;
import ser.io.Safetensors;
import ser.tensor.Parallel;
import ser.tensor.SimdOps;
import ser.tensor.Tensor;
import ser.synth.SyntheticCorpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inputs of bench/spark.sh: {@code DIR/audio} (a synthetic corpus of SPEAKERS × 4 emotions × CLIPS clips of SECONDS),
 * {@code DIR/manifest.csv} (path,label,speaker,corpus) and, with {@code hubert}, {@code DIR/hubert-base-random.safetensors}:
 * an engine weights file of HuBERT base's shapes with random values (RandomWeights), for timing only.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar ser.bench.SparkInputs DIR SPEAKERS CLIPS SECONDS [hubert]}
 */
public final class SparkInputs {

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        List<Path> files = SyntheticCorpus.generate(dir.resolve("audio"), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                List.of("NEU", "HAP", "SAD", "ANG"), 5, Double.parseDouble(args[3]));
        StringBuilder csv = new StringBuilder("path,label,speaker,corpus\n");
        for (Path f : files) {
            String[] parts = f.getFileName().toString().split("_"); // 1001_SYN00_NEU_XX.wav
            csv.append("audio/").append(f.getFileName()).append(',').append(parts[2]).append(',').append(parts[0]).append(",synthetic\n");
        }
        Files.writeString(dir.resolve("manifest.csv"), csv);
        if (args.length > 4 && args[4].equals("hubert")) {
            // Every tensor the model asks for, recorded as it is built, then written as 'ser convert' writes them.
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            WeightSource random = RandomWeights.of(2);
            HubertConfig config = HubertConfig.base();
            try (Parallel pool = new Parallel(1)) {
                new Hubert(config, (name, shape) -> tensors.computeIfAbsent(name, n -> random.get(n, shape)), new SimdOps(pool), pool);
            }
            Safetensors.write(dir.resolve("hubert-base-random.safetensors"), tensors, config.toMetadata());
        }
        System.out.println(files.size() + " files in " + dir.resolve("audio"));
    }
}
