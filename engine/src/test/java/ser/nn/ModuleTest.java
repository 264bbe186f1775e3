package ser.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import ser.SerException;
import ser.autograd.GradMode;
import ser.autograd.Variable;
import ser.autograd.kernels.HostTrainingOps;
import ser.autograd.kernels.Kernels;
import ser.autograd.kernels.TrainingOps;
import ser.tensor.Tensor;
import ser.testing.RecordingKernels;

class ModuleTest {

    @Test
    void melCnnStateDictHasTheSeedsNamesShapesAndOrder() {
        Map<String, Tensor> state = new MelCnn(4, new SplittableRandom(1)).stateDict();
        List<String> expected = new java.util.ArrayList<>();
        for (int b = 1; b <= 3; b++) {
            expected.addAll(List.of("conv" + b + ".weight", "conv" + b + ".bias", "bn" + b + ".weight", "bn" + b + ".bias",
                    "bn" + b + ".running_mean", "bn" + b + ".running_var", "bn" + b + ".num_batches_tracked"));
        }
        expected.addAll(List.of("fc.weight", "fc.bias"));
        assertEquals(expected, List.copyOf(state.keySet()));
        assertArrayEquals(new int[] {64, 32, 3, 3}, state.get("conv2.weight").shape());
        assertArrayEquals(new int[] {4, 128 * 16 * 18}, state.get("fc.weight").shape());
        assertArrayEquals(new int[0], state.get("bn3.num_batches_tracked").shape());
    }

    @Test
    void hubertMlpNamesItsLayersByPosition() {
        HubertMlp head = new HubertMlp(6, new SplittableRandom(1));
        assertEquals(List.of("net.0.weight", "net.0.bias", "net.3.weight", "net.3.bias"),
                List.copyOf(head.namedParameters().keySet()));
        assertArrayEquals(new int[] {256, 768}, head.stateDict().get("net.0.weight").shape());
        Variable out = head.eval().forward(Variable.constant(Tensor.zeros(3, 768)));
        assertArrayEquals(new int[] {3, 6}, out.shape());
    }

    @Test
    void initialisationFollowsPyTorchsBoundsAndIsSeeded() {
        Map<String, Tensor> a = new MelCnn(4, new SplittableRandom(9)).stateDict();
        Map<String, Tensor> b = new MelCnn(4, new SplittableRandom(9)).stateDict();
        assertArrayEquals(a.get("conv2.weight").toArray(), b.get("conv2.weight").toArray());
        double bound = 1 / Math.sqrt(32 * 9);
        float[] w = a.get("conv2.weight").toArray();
        double max = 0;
        for (float v : w) max = Math.max(max, Math.abs(v));
        assertTrue(max <= bound && max > 0.95 * bound, "kaiming_uniform(a=√5) is U(±1/√fan_in), max " + max);
        assertEquals(1f, a.get("bn1.weight").getFlat(5));
        assertEquals(0f, a.get("bn1.bias").getFlat(5));
        assertEquals(1f, a.get("bn1.running_var").getFlat(5));
        assertNotEquals(a.get("fc.weight").getFlat(0), new MelCnn(4, new SplittableRandom(10)).stateDict().get("fc.weight").getFlat(0));
    }

    @Test
    void loadStateDictIsStrict() {
        MelCnn model = new MelCnn(4, new SplittableRandom(1));
        Map<String, Tensor> state = new LinkedHashMap<>(new MelCnn(4, new SplittableRandom(2)).stateDict());
        model.loadStateDict(state);
        assertArrayEquals(state.get("conv1.weight").toArray(), model.stateDict().get("conv1.weight").toArray());

        state.put("fc.weight", Tensor.zeros(5, 128 * 16 * 18));
        SerException shape = assertThrows(SerException.class, () -> model.loadStateDict(state));
        assertTrue(shape.getMessage().contains("fc.weight"), shape.getMessage());
        state.remove("fc.weight");
        assertThrows(SerException.class, () -> model.loadStateDict(state));
        Map<String, Tensor> extra = new LinkedHashMap<>(model.stateDict());
        extra.put("fc2.weight", Tensor.zeros(1));
        assertThrows(SerException.class, () -> model.loadStateDict(extra));
    }

    @Test
    void batchNormUsesBatchStatisticsInTrainingAndRunningOnesInEval() {
        BatchNorm1d bn = new BatchNorm1d(2);
        Variable x = Variable.constant(Tensor.wrap(new float[] {1, 10, 3, 30}, 2, 2));
        Variable y = bn.forward(x);
        assertEquals(-1, y.array()[0], 1e-3);
        assertEquals(1, bn.stateDict().get("num_batches_tracked").getFlat(0));
        assertEquals(0.2f, bn.stateDict().get("running_mean").getFlat(0), 1e-6);
        assertEquals(0.9f + 0.1f * 2, bn.stateDict().get("running_var").getFlat(0), 1e-6);
        bn.eval();
        assertFalse(bn.isTraining());
        y = bn.forward(x);
        assertEquals((1 - 0.2) / Math.sqrt(1.1 + 1e-5), y.array()[0], 1e-5);
        assertEquals(1, bn.stateDict().get("num_batches_tracked").getFlat(0), "eval leaves the statistics alone");
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(2).forward(x));
    }

    @Test
    void melCnnInferenceIsDeterministicAndRecordsNoGraphUnderNoGrad() {
        MelCnn model = new MelCnn(3, new SplittableRandom(4));
        model.eval();
        float[] input = new float[2 * 128 * 151];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < input.length; i++) input[i] = (float) (-40 + 20 * r.nextGaussian());
        Variable x = Variable.constant(Tensor.wrap(input, 2, 1, 128, 151));
        try (var off = GradMode.noGrad()) {
            Variable a = model.forward(x), b = model.forward(x);
            assertArrayEquals(new int[] {2, 3}, a.shape());
            assertArrayEquals(a.array(), b.array());
            assertFalse(a.requiresGrad());
        }
        assertThrows(SerException.class, () -> model.forward(Variable.constant(Tensor.zeros(1, 1, 128, 150))));
    }

    /**
     * {@code to} reaches every layer: a backend that records its calls and hands them on to the SIMD kernels sees
     * each of the model's ops, forward and backward, and changes no bit of the results.
     */
    @Test
    void toPutsEveryLayerOnTheGivenKernels() {
        Set<String> called = new TreeSet<>();
        TrainingOps recording = RecordingKernels.into(called);
        Module moved = smallCnn(), stays = smallCnn();
        assertSame(moved, moved.to(recording));
        assertSame(recording, moved.ops());
        assertSame(HostTrainingOps.SIMD, stays.ops(), "SIMD unless told otherwise");
        Tensor x = Tensor.wrap(new float[2 * 8 * 10], 2, 1, 8, 10);
        for (int i = 0; i < x.size(); i++) x.setFlat(i, (float) Math.sin(i));
        float[][] a = step(moved, x), b = step(stays, x);
        for (int i = 0; i < a.length; i++) assertArrayEquals(b[i], a[i]);
        assertEquals(Set.of("batchNormBackward", "batchNormTrain", "conv2dBackward", "conv2dForward", "convBlockBackward",
                "batchNormPoolReluTrain", "reluForward", "reluBackward", "maxPoolForward", "maxPoolBackward", "geluForward",
                "geluBackward", "dropoutForward", "dropoutBackward", "linearBackward", "linearForward",
                "crossEntropyForward", "crossEntropyBackward", "updateRunningStats",
                "zeros", "indices", "upload", "download", "copyOf"), called);
    }

    /** A fused conv block; conv, batch norm, ReLU, pool and GELU one by one; dropout and a linear layer. */
    private static Module smallCnn() {
        SplittableRandom r = new SplittableRandom(4);
        Conv2d conv = new Conv2d(1, 3, 3, 1, 1, r), second = new Conv2d(3, 2, 3, 1, 1, r);
        BatchNorm2d norm = new BatchNorm2d(3);
        Module block = new Module() {
            { addModule("conv", conv); addModule("bn", norm); }

            @Override
            public Variable forward(Variable x) {
                return conv.forwardBlock(norm, x);
            }
        };
        return new Sequential(block, second, new BatchNorm2d(2), Layers.relu(), Layers.maxPool2d(2), Layers.gelu(),
                Layers.flatten(), new Dropout(0.3f, r), new Linear(2 * 2 * 2, 3, r));
    }

    /** One forward and backward pass: the logits, then every parameter's gradient. */
    private static float[][] step(Module m, Tensor x) {
        Variable logits = m.forward(Variable.constant(x));
        ser.autograd.CrossEntropy.loss(m.ops(), logits, new int[] {2, 0}, null, 0.1).backward();
        List<float[]> out = new java.util.ArrayList<>(List.of(logits.array()));
        for (Variable p : m.parameters()) out.add(p.grad().toArray());
        return out.toArray(float[][]::new);
    }

    @Test
    void backendsAreChosenByName() {
        assertSame(Kernels.SIMD, Kernels.named("simd"));
        assertSame(Kernels.REFERENCE, Kernels.named("reference"));
        assertSame(HostTrainingOps.SIMD, HostTrainingOps.named("simd"));
        assertSame(HostTrainingOps.REFERENCE, HostTrainingOps.named("reference"));
        assertThrows(IllegalArgumentException.class, () -> HostTrainingOps.named("cuda"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.named("cuda"));
        assertEquals("no training backend 'cuda' (known: simd, reference)", e.getMessage());
    }

    @Test
    void hubertMlpLearnsASeparableProblem() {
        SplittableRandom random = new SplittableRandom(3);
        HubertMlp head = new HubertMlp(2, random);
        float[] features = new float[16 * 768];
        int[] labels = new int[16];
        for (int i = 0; i < 16; i++) {
            labels[i] = i % 2;
            for (int k = 0; k < 768; k++) features[i * 768 + k] = (float) (random.nextGaussian() + (labels[i] == 1 ? 0.3 : -0.3));
        }
        Variable x = Variable.constant(Tensor.wrap(features, 16, 768));
        var adam = new ser.train.optim.Adam(head.parameters(), 1e-3);
        float first = 0, last = 0;
        for (int step = 0; step < 20; step++) {
            adam.zeroGrad();
            Variable loss = ser.autograd.CrossEntropy.loss(head.ops(), head.forward(x), labels, null, 0);
            if (step == 0) first = loss.array()[0];
            last = loss.array()[0];
            loss.backward();
            adam.step();
        }
        assertTrue(last < 0.1 * first, "loss " + first + " -> " + last);
    }
}
