package ser.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import ser.autograd.kernels.HostTrainingOps;
import ser.autograd.kernels.Kernels;
import ser.tensor.Tensor;

class VariableTest {

    @Test
    void aValueUsedTwiceCollectsBothGradients() {
        Variable x = Variable.parameter(Tensor.wrap(new float[] {1, -2, 3}, 3));
        Variable both = Shapes.concat(HostTrainingOps.SIMD, 0, Activations.relu(HostTrainingOps.SIMD, x), x);
        both.backward(Tensor.wrap(new float[] {1, 1, 1, 10, 20, 30}, 6));
        assertArrayEquals(new float[] {11, 20, 31}, x.grad().heapArray());
    }

    @Test
    void gradientsAccumulateAcrossBackwardPassesUntilZeroed() {
        Variable x = Variable.parameter(Tensor.wrap(new float[] {1, 2}, 2));
        Variable shared = Shapes.reshape(x, 2);
        Shapes.reshape(shared, 1, 2).backward(Tensor.wrap(new float[] {1, 1}, 1, 2));
        float[] first = x.grad().heapArray();
        Shapes.reshape(x, 2, 1).backward(Tensor.wrap(new float[] {2, 3}, 2, 1));
        assertArrayEquals(new float[] {3, 4}, x.grad().heapArray());
        assertArrayEquals(new float[] {1, 1}, first, "accumulation must not write into an array it does not own");
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test
    void noGradRecordsNothing() {
        Variable x = Variable.parameter(Tensor.wrap(new float[] {1, 2}, 2));
        Variable y;
        try (var off = GradMode.noGrad()) {
            assertFalse(GradMode.isEnabled());
            y = Activations.relu(HostTrainingOps.SIMD, x);
        }
        assertTrue(GradMode.isEnabled());
        assertFalse(y.requiresGrad());
        assertThrows(IllegalStateException.class, () -> y.backward(Tensor.wrap(new float[] {1, 1}, 2)));
    }

    @Test
    void opsOnConstantsNeedNoGradient() {
        Variable c = Variable.constant(Tensor.wrap(new float[] {1, 2}, 2));
        assertFalse(Activations.relu(HostTrainingOps.SIMD, c).requiresGrad());
    }

    @Test
    void backwardWithoutAGradientNeedsAScalar() {
        Variable x = Variable.parameter(Tensor.wrap(new float[] {1, 2}, 2));
        assertThrows(IllegalStateException.class, () -> Activations.relu(HostTrainingOps.SIMD, x).backward());
    }

    @Test
    void aDeepChainDoesNotOverflowTheStack() {
        Variable x = Variable.parameter(Tensor.wrap(new float[] {1}, 1));
        Variable y = x;
        for (int i = 0; i < 100_000; i++) y = Shapes.reshape(y, 1);
        y.backward(Tensor.wrap(new float[] {5}, 1));
        assertArrayEquals(new float[] {5}, x.grad().heapArray());
    }
}
