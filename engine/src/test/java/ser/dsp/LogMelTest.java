package ser.dsp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ser.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The fast LogMel against its scalar reference; the torch parity itself is LogMelTorchParityTest's. */
class LogMelTest {

    static final MelConfig SEED = MelConfig.seed();

    /** Lengths that give one partial batch, several, and enough for several parallel tasks (5 s = 251 frames). */
    @ParameterizedTest
    @ValueSource(ints = {513, 4799, 16001, 80000})
    void matchesScalarReference(int n) {
        float[] x = speechLike(n, new Random(n));
        Tensor fast = new LogMel(SEED).compute(x), reference = new LogMelReference(SEED).compute(x);
        assertArrayEquals(new int[] {128, 1 + n / 320}, fast.shape());
        float[] a = fast.toArray(), b = reference.toArray();
        for (int i = 0; i < a.length; i++) assertEquals(b[i], a[i], 2e-3, "mel " + i / fast.dim(1) + " frame " + i % fast.dim(1));
    }

    @Test
    void oneInstanceServesManyThreadsAtOnce() throws Exception {
        LogMel logMel = new LogMel(SEED);
        List<float[]> clips = new ArrayList<>();
        for (int i = 0; i < 6; i++) clips.add(speechLike(16000 + 977 * i, new Random(i)));
        List<float[]> alone = clips.stream().map(c -> logMel.compute(c).toArray()).toList();
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            List<Future<float[]>> together = new ArrayList<>();
            for (float[] clip : clips) together.add(callers.submit((Callable<float[]>) () -> logMel.compute(clip).toArray()));
            for (int i = 0; i < clips.size(); i++) assertArrayEquals(alone.get(i), together.get(i).get(), "clip " + i);
        } finally {
            callers.shutdown();
        }
    }

    @Test
    void framesAreOnePlusSamplesOverHop() {
        LogMel logMel = new LogMel(SEED);
        assertEquals(51, logMel.frames(16000));
        assertEquals(51, logMel.frames(16319));
        assertEquals(52, logMel.frames(16320));
    }

    @Test
    void topDbClampsTheWholeSpectrogram() {
        MelConfig clamped = new MelConfig(16000, 1024, 640, 320, 128, 0, 8000, 2.0, "htk", null, 40.0, true, "reflect");
        float[] x = speechLike(8000, new Random(1));
        x[4000] = 30;  // one loud click sets the maximum
        float[] plain = new LogMel(SEED).compute(x).toArray(), top = new LogMel(clamped).compute(x).toArray();
        float max = Float.NEGATIVE_INFINITY;
        for (float v : plain) max = Math.max(max, v);
        for (int i = 0; i < plain.length; i++) assertEquals(Math.max(plain[i], max - 40), top[i], 1e-6);
    }

    /** Noise whose loudness swells and fades, with a silent stretch: a wide range of levels across frames. */
    static float[] speechLike(int n, Random random) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (0.1 * random.nextGaussian() * Math.max(0, Math.sin(i * 3e-4)));
        return x;
    }
}
