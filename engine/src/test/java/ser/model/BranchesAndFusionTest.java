package ser.model;

import org.junit.jupiter.api.Test;
import ser.SerException;
import ser.autograd.CrossEntropy;
import ser.autograd.GradMode;
import ser.autograd.Variable;
import ser.tensor.Tensor;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped HuBERT and fusion architectures at test sizes: shapes, names, masks and gradients. */
class BranchesAndFusionTest {

    /** A 16-band, 16-frame spectrogram and 3 pooled hidden states of 8 values: the shipped files on small inputs. */
    private static final Map<String, int[]> FUSION_INPUTS = Map.of("mel", new int[] {1, 16, 16}, "hubert", new int[] {3, 8});
    private static final int[] FRAMES = {3, -1, 8};

    @Test
    void bothFusionsBuildNameTheirPartsAndTrain() {
        Model concat = build("mel-hubert-concat.yaml", FUSION_INPUTS), gated = build("mel-hubert-gated.yaml", FUSION_INPUTS);
        assertTrue(concat.stateDict().containsKey("mel.0.conv.weight"), concat.stateDict().keySet().toString());
        assertTrue(concat.stateDict().containsKey("hubert.0.weights"));
        assertArrayEquals(new int[] {3}, gated.stateDict().get("hubert.0.weights").shape());
        assertArrayEquals(new int[] {256, 2 * 128 * 2 + 8}, gated.stateDict().get("fusion.gate.weight").shape(),
                "the gate reads both branch vectors: mel's mean and deviation of 128 channels x 2 bands, and hubert's 8");
        assertArrayEquals(new int[] {256, 8}, gated.stateDict().get("fusion.hubert.weight").shape());
        assertArrayEquals(new int[] {4, 256}, gated.stateDict().get("1.weight").shape());
        for (Model m : List.of(concat, gated)) {
            m.reseedDropout(3);
            Variable logits = m.forward(fusionBatch(new SplittableRandom(1), 3));
            assertArrayEquals(new int[] {3, 4}, logits.shape());
            CrossEntropy.loss(m.ops(), logits, new int[] {0, 1, 3}, null, 0).backward();
            for (var p : m.namedParameters().entrySet()) assertNotNull(p.getValue().grad(), p.getKey());
        }
    }

    @Test
    void paddingDoesNotChangeAnUtterancesScores() {
        Model m = build("hubert-attentive.yaml", Map.of(ModelSpec.SINGLE_INPUT, FRAMES));
        m.eval();
        SplittableRandom r = new SplittableRandom(4);
        float[] shortOne = values(r, 3 * 5 * 8), longOne = values(r, 3 * 9 * 8);
        try (var off = GradMode.noGrad()) {
            float[] alone = m.forward(single(InputBatch.stack(FRAMES, List.of(shortOne)))).array();
            float[] padded = m.forward(single(InputBatch.stack(FRAMES, List.of(longOne, shortOne)))).array();
            for (int c = 0; c < 4; c++) assertEquals(alone[c], padded[4 + c], 1e-5, "class " + c);
        }
        assertEquals(List.of("0"), List.copyOf(m.layerMixtures().keySet()));
        assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, m.layerMixtures().get("0"), 1e-12,
                "every layer weighs the same before training");
    }

    /**
     * The gradients the whole model gives the layer mixture and the gate agree with central differences of its
     * loss (float, so a loose tolerance; the ops' own double-precision checks are in FusionOpsTest).
     */
    @Test
    void layerWeightsAndGateGetTheGradientOfTheLoss() {
        Model gated = build("mel-hubert-gated.yaml", FUSION_INPUTS);
        Model attentive = build("hubert-attentive.yaml", Map.of(ModelSpec.SINGLE_INPUT, FRAMES));
        SplittableRandom r = new SplittableRandom(6);
        Map<String, InputBatch> fused = fusionBatch(r, 2);
        Map<String, InputBatch> frames = single(InputBatch.stack(FRAMES, List.of(values(r, 3 * 4 * 8), values(r, 3 * 7 * 8))));
        checkGradient(gated, fused, "hubert.0.weights", 0, 1, 2);
        checkGradient(gated, fused, "fusion.gate.weight", 0, 130, 300);
        checkGradient(gated, fused, "fusion.gate.bias", 0, 7);
        checkGradient(attentive, frames, "0.weights", 0, 1, 2);
    }

    @Test
    void mistakesAreOneLineErrors() {
        assertError("branches:\n  mel: [flatten]\n  hubert: [layer_weighted_sum]\nfusion: concat\nlayers: [linear: classes]\n",
                Map.of("mel", new int[] {4}, "other", new int[] {2, 4}), "has branches [mel, hubert], but the recipe's features are named");
        assertError("branches:\n  mel: [relu]\n  hubert: [layer_weighted_sum]\nfusion: concat\nlayers: [linear: classes]\n",
                inputs("mel", new int[] {-1, 4}, "hubert", new int[] {2, 4}), "branch 'mel' ends in [t, 4] per example");
        assertError("branches:\n  a: [relu]\n  b: [relu]\nfusion: {gated: {dim: 0}}\nlayers: [linear: classes]\n",
                inputs("a", new int[] {4}, "b", new int[] {4}), "fusion (gated) of branches [a, b]: dim must be >= 1");
        assertError("branches:\n  a: [relu]\n  b: [relu]\nfusion: sum\nlayers: [linear: classes]\n",
                inputs("a", new int[] {4}, "b", new int[] {4}), "fusion (sum): unknown fusion (known: concat, gated)");
        assertError("layers: [layer_weighted_sum, flatten, linear: classes]\n", Map.of(ModelSpec.SINGLE_INPUT, FRAMES),
                "layers[1] (flatten) on input [t, 8]: needs a fixed-size input");
        assertError("branches:\n  a: [relu]\n  b: [relu]\nlayers: [linear: classes]\n", Map.of(), "has 'branches:' but no 'fusion:'");
        assertError("fusion: concat\nlayers: [linear: classes]\n", Map.of(), "'fusion:' needs 'branches:'");
    }

    private static void checkGradient(Model m, Map<String, InputBatch> x, String parameter, int... at) {
        m.eval();
        int[] y = {1, 2};
        Variable p = m.namedParameters().get(parameter);
        m.parameters().forEach(Variable::zeroGrad);
        CrossEntropy.loss(m.ops(), m.forward(x), y, null, 0).backward();
        float[] analytic = p.grad().toArray(), w = p.array();
        for (int i : at) {
            float saved = w[i];
            float h = 1e-2f;
            w[i] = saved + h;
            double plus = loss(m, x, y);
            w[i] = saved - h;
            double minus = loss(m, x, y);
            w[i] = saved;
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, analytic[i], 2e-3 + 2e-2 * Math.abs(numeric), parameter + "[" + i + "]");
        }
    }

    private static double loss(Model m, Map<String, InputBatch> x, int[] y) {
        try (var off = GradMode.noGrad()) {
            return CrossEntropy.loss(m.ops(), m.forward(x), y, null, 0).data().getFlat(0);
        }
    }

    private static void assertError(String yaml, Map<String, int[]> inputs, String expected) {
        SerException e = assertThrows(SerException.class,
                () -> ModelBuilder.build(ModelSpec.parse(yaml, Path.of("m.yaml")), inputs, 3, 0));
        assertTrue(e.getMessage().startsWith("m.yaml: ") && e.getMessage().contains(expected), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    private static Model build(String file, Map<String, int[]> inputs) {
        return ModelBuilder.build(ModelSpec.load(ModelBuilderTest.CONFIG.resolve("models").resolve(file)), inputs, 4, 2);
    }

    private static Map<String, InputBatch> fusionBatch(SplittableRandom r, int n) {
        Map<String, InputBatch> batch = new LinkedHashMap<>();
        batch.put("mel", InputBatch.fixed(ModelBuilderTest.random(r, n, 1, 16, 16)));
        batch.put("hubert", InputBatch.fixed(ModelBuilderTest.random(r, n, 3, 8)));
        return batch;
    }

    private static Map<String, InputBatch> single(InputBatch b) {
        return Map.of(ModelSpec.SINGLE_INPUT, b);
    }

    private static Map<String, int[]> inputs(String a, int[] sa, String b, int[] sb) {
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put(a, sa);
        m.put(b, sb);
        return m;
    }

    private static float[] values(SplittableRandom r, int n) {
        return ModelBuilderTest.random(r, n).toArray();
    }
}
