package ser.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import ser.autograd.reference.CrossEntropyReference;
import ser.testing.Close;
import ser.testing.Fixtures;
import ser.testing.JsonFixture;

/** Weighted, label-smoothed cross-entropy against PyTorch's {@code CrossEntropyLoss} (float64). */
class CrossEntropyPyTorchTest {

    @Test
    void referenceMatchesPyTorch() {
        JsonFixture f = new JsonFixture(Fixtures.path("cross_entropy.json"));
        double[] shape = f.numbers("shape");
        int n = (int) shape[0], c = (int) shape[1];
        int[] targets = java.util.Arrays.stream(f.numbers("targets")).mapToInt(d -> (int) d).toArray();
        double[] logits = f.numbers("logits"), weights = f.numbers("weights");
        double smoothing = f.number("label_smoothing");
        assertEquals(f.number("loss"), CrossEntropyReference.loss(n, c, logits, targets, weights, smoothing), 1e-12);
        Close.assertClose("gradient", f.numbers("grad"),
                CrossEntropyReference.backward(n, c, logits, targets, weights, smoothing), 1e-12, 1e-12);
    }
}
