package ser.model;

import org.junit.jupiter.api.Test;
import ser.SerException;
import ser.autograd.GradMode;
import ser.autograd.Variable;
import ser.nn.MelCnn;
import ser.tensor.Tensor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelBuilderTest {

    static final Path CONFIG = Path.of(System.getProperty("user.dir")).resolveSibling("config");

    @Test
    void seedCnnFromYamlHasTheSeedsStateDictAndComputesLikeMelCnn() {
        Model built = ModelBuilder.build(ModelSpec.load(CONFIG.resolve("models/mel-cnn-seed.yaml")), new int[] {1, 128, 151}, 4, 7);
        MelCnn reference = new MelCnn(4, new SplittableRandom(1));
        Map<String, Tensor> own = built.stateDict(), seed = reference.stateDict();
        assertEquals(List.copyOf(seed.keySet()), List.copyOf(own.keySet()));
        for (String k : seed.keySet()) assertArrayEquals(seed.get(k).shape(), own.get(k).shape(), k);
        assertEquals(4L * 36864 + 4, built.stateDict().get("fc.weight").size() + built.stateDict().get("fc.bias").size());

        built.loadStateDict(reference.stateDict());
        built.eval();
        reference.eval();
        Tensor x = random(new SplittableRandom(3), 1, 1, 128, 151);
        try (var off = GradMode.noGrad()) {
            assertArrayEquals(reference.forward(Variable.constant(x)).array(), built.forward(Variable.constant(x)).array());
        }
    }

    @Test
    void hubertMlpUsesTheSeedsNetNames() {
        Model m = ModelBuilder.build(ModelSpec.load(CONFIG.resolve("models/hubert-mlp-seed.yaml")), new int[] {768}, 4, 1);
        assertEquals(List.of("net.0.weight", "net.0.bias", "net.3.weight", "net.3.bias"), List.copyOf(m.stateDict().keySet()));
        assertArrayEquals(new int[] {256, 768}, m.stateDict().get("net.0.weight").shape());
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        ModelSpec spec = ModelSpec.load(CONFIG.resolve("models/hubert-mlp-seed.yaml"));
        float[] a = ModelBuilder.build(spec, new int[] {768}, 4, 5).stateDict().get("net.0.weight").toArray();
        float[] b = ModelBuilder.build(spec, new int[] {768}, 4, 5).stateDict().get("net.0.weight").toArray();
        float[] c = ModelBuilder.build(spec, new int[] {768}, 4, 6).stateDict().get("net.0.weight").toArray();
        assertArrayEquals(a, b);
        assertTrue(a[0] != c[0] || a[1] != c[1]);
    }

    /** A tiny conv → sequence → attentive pooling head trains: its forward shape and backward reach every weight. */
    @Test
    void poolingHeadsBuildRunAndBackpropagate() {
        for (String pool : List.of("mean_pool", "attentive_stats_pool: {hidden: 4}")) {
            ModelSpec spec = ModelSpec.parse("""
                    layers:
                      - conv2d: {out: 3, kernel: 3, padding: 1}
                      - batch_norm
                      - relu
                      - max_pool: 2
                      - to_sequence
                      - %s
                      - dropout: 0.1
                      - linear: classes
                    """.formatted(pool), Path.of("tiny.yaml"));
            Model m = ModelBuilder.build(spec, new int[] {1, 8, 10}, 3, 1);
            m.reseedDropout(9);
            Variable logits = m.forward(Variable.constant(random(new SplittableRandom(2), 2, 1, 8, 10)));
            assertArrayEquals(new int[] {2, 3}, logits.shape());
            ser.autograd.CrossEntropy.loss(m.ops(), logits, new int[] {0, 2}, null, 0).backward();
            for (var p : m.namedParameters().entrySet()) assertNotNull(p.getValue().grad(), pool + " " + p.getKey());
        }
    }

    /**
     * A built model moves to other kernels whole: every layer kind runs its ops on them (a backend that records its
     * calls and hands them on to SIMD sees each), with the same results as the model left on SIMD.
     */
    @Test
    void everyLayerRunsOnTheKernelsTheModelWasMovedTo() {
        ModelSpec spec = ModelSpec.parse("""
                layers:
                  - conv_block: 4
                  - conv2d: {out: 3, kernel: 3, padding: 1}
                  - batch_norm
                  - relu
                  - max_pool: {kernel: 2, stride: 1}
                  - to_sequence
                  - linear: {out: 5}
                  - gelu
                  - mean_pool
                  - dropout: 0.2
                  - linear: classes
                """, Path.of("every.yaml"));
        java.util.Set<String> called = new java.util.TreeSet<>();
        Model moved = ModelBuilder.build(spec, new int[] {1, 8, 10}, 3, 5), stays = ModelBuilder.build(spec, new int[] {1, 8, 10}, 3, 5);
        moved.to(ser.testing.RecordingKernels.into(called));
        Tensor x = random(new SplittableRandom(6), 2, 1, 8, 10);
        float[][] a = trainStep(moved, x), b = trainStep(stays, x);
        for (int i = 0; i < a.length; i++) assertArrayEquals(b[i], a[i]);
        assertEquals(java.util.Set.of("conv2dForward", "batchNormPoolReluTrain", "convBlockBackward", "conv2dBackward",
                "batchNormTrain", "batchNormBackward", "reluForward", "reluBackward", "maxPoolForward", "maxPoolBackward",
                "linearForward", "linearBackward", "geluForward", "geluBackward", "timeMeanForward", "timeMeanBackward",
                "dropoutForward", "dropoutBackward", "crossEntropyForward", "crossEntropyBackward", "updateRunningStats",
                "zeros", "indices", "upload", "download", "copy", "copyOf"), called);
    }

    /** The logits of one training step, then every parameter's gradient. */
    private static float[][] trainStep(Model m, Tensor x) {
        m.reseedDropout(8);
        Variable logits = m.forward(Variable.constant(x));
        ser.autograd.CrossEntropy.loss(m.ops(), logits, new int[] {0, 2}, new float[] {1, 2, 1}, 0.1).backward();
        List<float[]> out = new java.util.ArrayList<>(List.of(logits.array()));
        for (Variable p : m.parameters()) out.add(p.grad().toArray());
        return out.toArray(float[][]::new);
    }

    @Test
    void aConvBlockIsConvBatchNormReluPool() {
        ModelSpec blocks = ModelSpec.parse("layers:\n  - conv_block: 4\n  - conv_block: {out: 3, kernel: 5, pool: 1}\n"
                + "  - flatten\n  - linear: classes\n", Path.of("a.yaml"));
        ModelSpec layers = ModelSpec.parse("""
                layers:
                  - conv2d: {out: 4, kernel: 3, padding: 1}
                  - batch_norm
                  - relu
                  - max_pool: 2
                  - conv2d: {out: 3, kernel: 5, padding: 2}
                  - batch_norm
                  - relu
                  - flatten
                  - linear: classes
                """, Path.of("b.yaml"));
        Model a = ModelBuilder.build(blocks, new int[] {1, 8, 6}, 2, 4), b = ModelBuilder.build(layers, new int[] {1, 8, 6}, 2, 4);
        assertEquals(List.of("0.conv.weight", "0.conv.bias", "0.bn.weight"), List.copyOf(a.stateDict().keySet()).subList(0, 3));
        Tensor x = random(new SplittableRandom(8), 3, 1, 8, 6);
        assertArrayEquals(b.forward(Variable.constant(x)).array(), a.forward(Variable.constant(x)).array(),
                "same draws in the same order: the same weights and the same outputs");
    }

    /** to_sequence is a permutation: y[b, s, c·f + k] = x[b, c, k, s], and backward is its transpose. */
    @Test
    void frameSequenceMovesEveryElementAndBack() {
        Tensor x = random(new SplittableRandom(4), 2, 3, 4, 5);
        Variable in = Variable.parameter(x);
        Variable y = FrameSequence.apply(ser.autograd.kernels.HostTrainingOps.SIMD, in);
        assertArrayEquals(new int[] {2, 5, 12}, y.shape());
        for (int b = 0; b < 2; b++) for (int c = 0; c < 3; c++) for (int f = 0; f < 4; f++) for (int s = 0; s < 5; s++) {
            assertEquals(x.get(b, c, f, s), y.data().get(b, s, c * 4 + f));
        }
        Tensor g = random(new SplittableRandom(5), 2, 5, 12);
        y.backward(g);
        for (int b = 0; b < 2; b++) for (int c = 0; c < 3; c++) for (int f = 0; f < 4; f++) for (int s = 0; s < 5; s++) {
            assertEquals(g.get(b, s, c * 4 + f), in.grad().get(b, c, f, s));
        }
    }

    @Test
    void mistakesAreOneLineErrorsNamingFileAndLayer() {
        assertError("layers:\n  - conv3d: 4\n  - linear: classes\n", "layers[0] (conv3d): unknown layer type");
        assertError("layers:\n  - linear: {out: classes, bias: false}\n", "unknown key 'layers[0].linear.bias'");
        assertError("layers:\n  - max_pool: 2\n  - linear: classes\n", "layers[0] (max_pool) on input [12]: wants [channels, height, width]");
        assertError("layers:\n  - linear: 7\n", "the last layer gives [7] per example, not [3] class scores");
        assertError("layers:\n  - linear: {name: a, out: 5}\n  - linear: {name: a, out: classes}\n", "the name 'a' is used twice");
        assertError("layer:\n  - relu\n", "needs a non-empty 'layers:' list");
        assertError("layers:\n  - linear: {out: many}\n", "key 'layers[0].linear.out' must be a whole number in [1, 65536] or 'classes'");
    }

    private static void assertError(String yaml, String expected) {
        SerException e = assertThrows(SerException.class,
                () -> ModelBuilder.build(ModelSpec.parse(yaml, Path.of("m.yaml")), new int[] {12}, 3, 0));
        assertTrue(e.getMessage().startsWith("m.yaml: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    static Tensor random(SplittableRandom r, int... shape) {
        float[] v = new float[Math.toIntExact(Tensor.count(shape))];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return Tensor.wrap(v, shape);
    }
}
