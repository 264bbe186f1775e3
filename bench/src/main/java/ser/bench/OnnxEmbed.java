package ser.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ser.audio.AudioLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The ONNX Runtime peer of {@code ser embed} for bench/embed.sh: the same WAV files, read by the engine's loader,
 * one file a pass as {@code ser embed} runs them, in one process with {@code threads} intra-op threads. The first
 * {@code warm} files are a warm-up; the rest are timed on the wall clock and printed as seconds per file.
 *
 * <pre>java -cp bench/target/benchmarks.jar ser.bench.OnnxEmbed DIR THREADS WARM</pre>
 */
public final class OnnxEmbed {

    public static void main(String[] args) throws IOException, OrtException {
        Path dir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        int warm = Integer.parseInt(args[2]);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
        }
        if (files.size() <= warm) throw new IllegalArgumentException("need more than " + warm + " files in " + dir);
        try (OnnxHubert onnx = new OnnxHubert(OnnxHubert.directory(), threads)) {
            long start = 0;
            for (int i = 0; i < files.size(); i++) {
                if (i == warm) start = System.nanoTime();
                float[] samples = AudioLoader.loadMono(files.get(i), 16_000);
                try (OnnxTensor input = onnx.input(List.of(samples))) {
                    onnx.lastHiddenState(input);
                }
            }
            double perFile = (System.nanoTime() - start) / 1e9 / (files.size() - warm);
            System.out.printf("%.4f%n", perFile);
        }
    }
}
