package ser.cuda;

import org.junit.jupiter.api.Test;

import ser.autograd.kernels.HostTrainingOps;
import ser.autograd.kernels.TrainingOps;
import ser.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What {@link CudaPointwiseTraining} does beyond the parity suite's calls, on the emulated GPU: inputs that are host
 * tensors or views, outputs it refuses, arguments it checks on the host before a kernel could read past an array.
 */
class CudaPointwiseTrainingTest {

    private final CudaOps gpu = new CudaOps(new HostGpu(), Cublas.Precision.FP32);
    private static final TrainingOps REF = HostTrainingOps.REFERENCE;

    @Test
    void inputsMayBeHostTensorsAndViews() {
        float[] x = {-1f, 2f, 0f, 3f, -4f, 5f};
        Tensor hostT = Tensor.wrap(x.clone(), 2, 3).transpose(0, 1);  // [3, 2], not contiguous
        Tensor dy = Tensor.wrap(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 3, 2);
        float[] expected = new float[6];
        REF.reluBackward(Tensor.wrap(hostT.contiguous().toArray(), 6), Tensor.wrap(dy.toArray(), 6),
                Tensor.wrap(expected, 6));
        Tensor out = gpu.zeros(3, 2);
        gpu.reluBackward(hostT, gpu.upload(dy).transpose(0, 1).transpose(0, 1), out);
        assertArrayEquals(expected, gpu.download(out).toArray());
    }

    @Test
    void outputsMustBeDenseTensorsOfTheBackendOfTheRightSize() {
        Tensor x = gpu.upload(Tensor.wrap(new float[6], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> gpu.tanhForward(x, Tensor.zeros(2, 3)), "a host output");
        assertThrows(IllegalArgumentException.class, () -> gpu.tanhForward(x, gpu.zeros(3, 2).transpose(0, 1)),
                "a strided output");
        assertThrows(IllegalArgumentException.class, () -> gpu.tanhForward(x, gpu.zeros(5)), "a size that differs");
        assertThrows(IllegalArgumentException.class, () -> gpu.sgdStep(gpu.zeros(6), x, null,
                new TrainingOps.SgdStep(0.1f, 0.9f, 0f, 0f, false, true)), "momentum without its buffer");
    }

    @Test
    void crossEntropyChecksTargetsAndWeightsOnTheHost() {
        Tensor logits = gpu.upload(Tensor.wrap(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> gpu.crossEntropyForward(2, 3, logits, new int[] {0, 3}, null, 0));
        assertThrows(IllegalArgumentException.class, () -> gpu.crossEntropyForward(2, 3, logits, new int[] {-1, 0}, null, 0));
        assertThrows(IllegalArgumentException.class, () -> gpu.crossEntropyForward(2, 3, logits, new int[] {0}, null, 0));
        assertThrows(IllegalArgumentException.class,
                () -> gpu.crossEntropyBackward(2, 3, logits, new int[] {0, 1}, new float[] {1f, 2f}, 0, 1f, gpu.zeros(6)));
        assertEquals(REF.crossEntropyForward(0, 3, Tensor.wrap(new float[0], 0), new int[0], null, 0),
                gpu.crossEntropyForward(0, 3, gpu.zeros(0), new int[0], null, 0), "no rows: 0/0, as the reference");
    }

    @Test
    void layerMixChecksItsHostArrays() {
        Tensor x = gpu.zeros(2 * 3 * 4), y = gpu.zeros(2 * 4);
        assertThrows(IllegalArgumentException.class, () -> gpu.layerMixForward(2, 3, 4, x, new double[2], y));
        assertThrows(IllegalArgumentException.class,
                () -> gpu.layerMixBackward(2, 3, 4, x, new double[3], y, null, new double[2]));
    }
}
