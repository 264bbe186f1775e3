package ser.features;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.audio.MonoSamples;
import ser.audio.WavWriter;
import ser.hubert.Hubert;
import ser.hubert.HubertConfig;
import ser.hubert.HubertOutput;
import ser.hubert.WeightSource;
import ser.io.Npy;
import ser.tensor.Tensor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Chunked HuBERT keeps the whole-file pass's frames, one for one, and its seam stays within the bound
 * docs/streaming.md states for the small random-weight model (bench HubertChunkSeam small 30 2 10:2.5).
 */
class HubertChunksTest {

    @TempDir
    Path dir;

    /** The bench's small model: the released models' conv strides and kernels, a narrow transformer. */
    static HubertConfig small() {
        int[] channels = {64, 64, 64, 64, 64, 64, 64};
        return new HubertConfig(channels, new int[] {10, 3, 3, 3, 3, 2, 2}, new int[] {5, 2, 2, 2, 2, 2, 2}, false,
                HubertConfig.FeatureNorm.GROUP, 96, 3, 4, 192, 32, 4, false, true, 1e-5f, false);
    }

    /** The bench's RandomWeights.of(seed). */
    static WeightSource randomWeights(long seed) {
        Random random = new Random(seed);
        return (name, shape) -> {
            float[] data = new float[Math.toIntExact(Tensor.count(shape))];
            float scale = (float) (1 / Math.sqrt(shape.length > 1 ? shape[shape.length - 2] : 1));
            for (int i = 0; i < data.length; i++) data[i] = (float) random.nextGaussian() * scale;
            return Tensor.wrap(data, shape);
        };
    }

    /** The bench's HubertChunkSeam.speechLike: voiced stretches, noise bursts and pauses. */
    static float[] speechLike(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        double phase = 0;
        int at = 0;
        while (at < n) {
            int len = (int) (16_000 * (0.15 + 0.35 * r.nextDouble()));
            int kind = r.nextInt(10);
            double f0 = 90 + 160 * r.nextDouble(), glide = (r.nextDouble() - 0.5) * 80, amp = 0.1 + 0.3 * r.nextDouble();
            for (int i = 0; i < len && at + i < n; i++) {
                double t = i / 16_000.0, env = Math.sin(Math.PI * i / len);
                double v;
                if (kind <= 5) {
                    phase += 2 * Math.PI * (f0 + glide * t) / 16_000;
                    v = 0;
                    for (int h = 1; h <= 12; h++) v += Math.sin(h * phase) / h;
                    v *= 0.4;
                } else if (kind <= 7) {
                    v = (r.nextDouble() - 0.5) * 0.6;
                } else {
                    v = (r.nextDouble() - 0.5) * 0.002;
                }
                x[at + i] = (float) (amp * env * v);
            }
            at += len;
        }
        return x;
    }

    private static final int[] ALL = IntStream.rangeClosed(0, 3).toArray();

    private static Tensor chunked(Hubert h, float[] clip, HubertChunks.Plan plan, HubertOutput.Pool pool) {
        try (MonoSamples s = MonoSamples.of(null, clip)) {
            return HubertChunks.embedding(h, s, plan, ALL, pool);
        }
    }

    /** Worst relative L2 error over the states (axis 0). */
    private static double worstRelative(Tensor ref, Tensor got) {
        assertArrayEquals(ref.shape(), got.shape());
        float[] a = ref.contiguous().toArray(), b = got.contiguous().toArray();
        int per = a.length / ref.dim(0);
        double worst = 0;
        for (int s = 0; s < ref.dim(0); s++) {
            double num = 0, den = 0;
            for (int i = s * per; i < (s + 1) * per; i++) {
                num += (double) (a[i] - b[i]) * (a[i] - b[i]);
                den += (double) a[i] * a[i];
            }
            worst = Math.max(worst, Math.sqrt(num / den));
        }
        return worst;
    }

    @Test
    void geometryIsTheReleasedModels() {
        HubertConfig base = HubertConfig.base();
        assertEquals(320, HubertChunks.stride(base));
        assertEquals(400, HubertChunks.receptiveField(base));
        for (int n : new int[] {399, 400, 719, 720, 16000, 16_000 * 30 + 77}) assertEquals(base.frames(n), HubertChunks.frames(base, n));
        HubertChunks.Plan plan = HubertChunks.Plan.seconds(base, 20, 2.5);
        assertEquals(1000, plan.chunkFrames());
        assertEquals(125, plan.overlapFrames());
        assertFalse(plan.splits(base, 25 * 16_000), "25 s fits one chunk with its context");
        assertTrue(plan.splits(base, 26 * 16_000));
    }

    @Test
    void framesLineUpOneForOneWithAWholeFilePass() {
        Hubert h = new Hubert(small(), randomWeights(2));
        float[] clip = speechLike(16_000 * 3 / 2 + 123, 3);
        int frames = small().frames(clip.length);
        // Context wider than the clip: every chunk runs on the clip's frames, so its cores are the whole-file pass's
        // rows (of the samples that frames read) exactly, whatever the cut; a misaligned chunk would shift them.
        float[] read = Arrays.copyOf(clip, (frames - 1) * 320 + 400);
        Tensor whole = h.forwardEach(List.of(read), ALL).embedding(0, ALL, HubertOutput.Pool.NONE);
        for (int c : new int[] {1, 7, 20, frames - 1, frames, frames + 5}) {
            HubertChunks.Plan plan = new HubertChunks.Plan(c, frames, false);
            Tensor got = chunked(h, clip, plan, HubertOutput.Pool.NONE);
            assertArrayEquals(whole.shape(), got.shape());
            assertArrayEquals(whole.contiguous().toArray(), got.contiguous().toArray(), "chunks of " + c + " frames");
        }
    }

    @Test
    void oneChunkWithTheRecordingsStatsIsTheWholeFilePassUpToRounding() {
        HubertConfig base = small();
        // Group norm (base), group norm over normalised waveforms, layer norms over normalised waveforms (large).
        HubertConfig[] configs = {base, base.withDoNormalize(true),
                new HubertConfig(base.convChannels(), base.convKernels(), base.convStrides(), true, HubertConfig.FeatureNorm.LAYER,
                        96, 3, 4, 192, 32, 4, true, true, 1e-5f, true)};
        float[] clip = speechLike(16_000 * 2 + 300, 4);  // samples past the last frame's window, which the norm sees
        for (int i = 0; i < clip.length; i++) clip[i] += 0.05f;  // and a DC offset, which centring must take out
        for (HubertConfig config : configs) {
            Hubert h = new Hubert(config, randomWeights(2));
            Tensor whole = h.forwardEach(List.of(clip), ALL).embedding(0, ALL, HubertOutput.Pool.NONE);
            Tensor got = chunked(h, clip, new HubertChunks.Plan(1000, 0), HubertOutput.Pool.NONE);
            double error = worstRelative(whole, got);
            assertTrue(error < 1e-5, config + ": relative error " + error);
            // Normalised by its own samples, the chunk misses the tail past its last frame, which the norms see.
            Tensor own = chunked(h, clip, new HubertChunks.Plan(1000, 0, false), HubertOutput.Pool.NONE);
            assertTrue(worstRelative(whole, own) > error, config + ": " + worstRelative(whole, own) + " vs " + error);
        }
    }

    @Test
    void theSeamStaysWithinTheDocumentedBound() {
        HubertConfig config = small();
        Hubert h = new Hubert(config, randomWeights(2));
        float[] clip = speechLike(30 * 16_000, 7);
        HubertOutput pass = h.forwardEach(List.of(clip), ALL);
        Tensor whole = pass.embedding(0, ALL, HubertOutput.Pool.NONE), wholeMean = pass.embedding(0, ALL, HubertOutput.Pool.MEAN);
        HubertChunks.Plan plan = HubertChunks.Plan.seconds(config, 10, 2.5);
        double frames = worstRelative(whole, chunked(h, clip, plan, HubertOutput.Pool.NONE));
        double pooled = worstRelative(wholeMean, chunked(h, clip, plan, HubertOutput.Pool.MEAN));
        // docs/streaming.md, small model, 10 s chunks, 2.5 s overlap: 0.00436 and 0.00171.
        assertTrue(frames <= 0.005, "frame states: worst relative L2 error " + frames);
        assertTrue(pooled <= 0.002, "pooled: worst relative L2 error " + pooled);
        assertTrue(frames > 1e-5, "a real seam, not a whole-file pass in disguise: " + frames);
        // Without the recording's statistics the group norm's seam is ten times larger (0.0205 documented).
        double own = worstRelative(whole, chunked(h, clip, plan.withRecordingStats(false), HubertOutput.Pool.NONE));
        assertTrue(own > 2 * frames, own + " vs " + frames);
    }

    @Test
    void theNpyWrittenChunkByChunkHoldsTheChunkedStates() throws Exception {
        HubertConfig config = small();
        Hubert h = new Hubert(config, randomWeights(2));
        float[] clip = speechLike(16_000 * 5 + 99, 5);
        Path wav = dir.resolve("a.wav");
        WavWriter.writeFloat32(wav, clip, 16_000);
        HubertChunks.Plan plan = HubertChunks.Plan.seconds(config, 1, 0.3);
        int[] states = {3, 0};
        for (HubertOutput.Pool pool : HubertOutput.Pool.values()) {
            Path out = dir.resolve(pool + ".npy");
            try (MonoSamples s = MonoSamples.open(wav, 16_000)) {
                HubertChunks.write(h, s, plan, states, pool, out);
            }
            Tensor expected;
            try (MonoSamples s = MonoSamples.of(wav, clip)) {
                expected = HubertChunks.embedding(h, s, plan, states, pool);
            }
            Tensor got = Npy.read(out);
            assertArrayEquals(expected.shape(), got.shape());
            assertArrayEquals(expected.contiguous().toArray(), got.contiguous().toArray(), pool.toString());
        }
    }
}
