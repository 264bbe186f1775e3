package ser.features;

import ser.SerException;
import ser.audio.MonoSamples;
import ser.hubert.Hubert;
import ser.hubert.HubertConfig;
import ser.hubert.HubertOutput;
import ser.hubert.RecordingStats;
import ser.io.AtomicFiles;
import ser.io.Npy;
import ser.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;

/**
 * HuBERT hidden states of a recording of any length, in overlapping chunks read from the file as they are needed,
 * so memory is bounded by the chunk rather than the file (a whole-file pass holds the attention's frames × frames
 * scores, 3.6 GB per thread for ten minutes).
 *
 * <p>Frame {@code t} of a whole-file pass reads samples [{@code t·S}, {@code t·S + R}) (S = 320, the product of
 * the conv strides; R = 400, the conv stack's receptive field). A chunk keeps {@code C} frames, its core, and runs
 * on {@code O} more frames each side (fewer at the file's ends): the samples of frames [a, b) are
 * [{@code a·S}, {@code (b - 1)·S + R}), so its frame j is whole-file frame a + j window for window, and only the
 * core frames are kept; the cores tile the file, and there are exactly as many frames as in a whole-file pass.
 *
 * <p>What differs from a whole-file pass (the seam), measured in docs/streaming.md:
 * <ul>
 *   <li>the first conv's group norm (base models) normalises each channel over time, and the waveform
 *       normalisation of models that have one (do_normalize) over the clip: whole-sequence statistics. By default
 *       ({@link Plan#recordingStats}) a streamed pre-pass collects them over the whole recording
 *       ({@link RecordingStats}) and every chunk uses those, which leaves only rounding of this part;
 *       without it each chunk normalises by its own;
 *   <li>attention sees the chunk, not the file: a core frame's context ends at least O frames away;
 *   <li>the positional conv (kernel 128, ±64 frames) near a chunk's edges reads zeros where the file has frames:
 *       an overlap under 1.28 s leaves core frames whose positional term differs, which dominates the seam.
 * </ul>
 * Layer-norm feature encoders (large models) are exact per frame.
 */
public final class HubertChunks {

    /** Frames a second at 16 kHz with the released models' strides (320 samples). */
    private static final int RATE = 16_000;

    private HubertChunks() {}

    /** Samples per frame: the product of the conv strides (320). */
    public static int stride(HubertConfig config) {
        int s = 1;
        for (int v : config.convStrides()) s *= v;
        return s;
    }

    /** Samples one frame reads: the conv stack's receptive field (400). */
    public static int receptiveField(HubertConfig config) {
        int[] k = config.convKernels(), s = config.convStrides();
        int r = 1, jump = 1;
        for (int i = 0; i < k.length; i++) {
            r += (k[i] - 1) * jump;
            jump *= s[i];
        }
        return r;
    }

    /** Frames a whole-file pass makes of {@code samples} samples (as {@link HubertConfig#frames}, for long counts). */
    public static long frames(HubertConfig config, long samples) {
        long n = samples;
        int[] k = config.convKernels(), s = config.convStrides();
        for (int i = 0; i < k.length; i++) n = n < k[i] ? 0 : (n - k[i]) / s[i] + 1;
        return n;
    }

    /** How a file is cut: cores of {@code chunkFrames} frames with {@code overlapFrames} of context each side. */
    public record Plan(int chunkFrames, int overlapFrames, boolean recordingStats) {
        /** Chunks normalised by the whole recording's statistics ({@link RecordingStats}), the default. */
        public Plan(int chunkFrames, int overlapFrames) {
            this(chunkFrames, overlapFrames, true);
        }

        /** The same cut, each chunk normalised by its own statistics (with {@code false}: the plain seam). */
        public Plan withRecordingStats(boolean on) {
            return new Plan(chunkFrames, overlapFrames, on);
        }

        public Plan {
            if (chunkFrames < 1) throw new SerException("a chunk must hold at least one frame (20 ms), got " + chunkFrames);
            if (overlapFrames < 0) throw new SerException("the overlap must not be negative, got " + overlapFrames);
        }

        /** Cores of {@code chunkSeconds} with {@code overlapSeconds} each side, rounded to frames (20 ms). */
        public static Plan seconds(HubertConfig config, double chunkSeconds, double overlapSeconds) {
            if (!(chunkSeconds > 0) || !Double.isFinite(chunkSeconds)) {
                throw new SerException("chunk length must be a positive number of seconds, got " + chunkSeconds);
            }
            if (!(overlapSeconds >= 0) || !Double.isFinite(overlapSeconds)) {
                throw new SerException("chunk overlap must be zero or more seconds, got " + overlapSeconds);
            }
            double perSecond = (double) RATE / stride(config);
            long c = Math.round(chunkSeconds * perSecond), o = Math.round(overlapSeconds * perSecond);
            if (c > 1_000_000 || o > 1_000_000) throw new SerException("chunk of " + chunkSeconds + " s and overlap of "
                    + overlapSeconds + " s: too long to be a chunk");
            return new Plan((int) Math.max(1, c), (int) o);
        }

        /**
         * Whether a file of {@code samples} samples is cut: whether it has more frames than one chunk with its
         * context each side, so that a whole-file pass would hold more than a chunk does.
         */
        public boolean splits(HubertConfig config, long samples) {
            return frames(config, samples) > chunkFrames + 2L * overlapFrames;
        }

        /** The longest chunk, in samples: what one pass holds. */
        public long maxChunkSamples(HubertConfig config) {
            return (long) (chunkFrames + 2L * overlapFrames - 1) * stride(config) + receptiveField(config);
        }
    }

    /** Receives the core of each chunk in order: {@code rows[i]} holds state {@code states[i]}'s frames, [count, hidden]. */
    @FunctionalInterface
    public interface Sink {
        void accept(long firstFrame, int count, float[][] rows) throws IOException;
    }

    /**
     * Runs {@code hubert} over {@code samples} (16 kHz) chunk by chunk under {@code plan}, keeping hidden states
     * {@code states}, and hands each chunk's core frames to {@code sink}; returns the frames in all, those of a
     * whole-file pass.
     */
    public static long forEachChunk(Hubert hubert, MonoSamples samples, Plan plan, int[] states, Sink sink) {
        HubertConfig config = hubert.config();
        int s = stride(config), r = receptiveField(config), d = config.hidden();
        long total = frames(config, samples.length());
        if (total == 0) {
            throw SerException.inFile(samples.file(), "too short for HuBERT: " + samples.length() + " samples at 16 kHz make no frame");
        }
        RecordingStats stats = plan.recordingStats() ? stats(config, samples) : null;
        float[][] rows = new float[states.length][];
        for (long core = 0; core < total; core += plan.chunkFrames()) {
            long coreEnd = Math.min(total, core + plan.chunkFrames());
            long first = Math.max(0, core - plan.overlapFrames()), end = Math.min(total, coreEnd + plan.overlapFrames());
            int length = Math.toIntExact((end - first - 1) * s + r);
            float[] clip = samples.read(first * s, length, new float[length]);
            HubertOutput out = stats != null ? hubert.forwardEach(List.of(clip), states, stats)
                    : hubert.forwardEach(List.of(clip), states);
            int skip = (int) (core - first), count = (int) (coreEnd - core);
            if (out.frames()[0] != end - first) {
                throw new IllegalStateException("chunk of " + length + " samples made " + out.frames()[0] + " frames, not " + (end - first));
            }
            for (int i = 0; i < states.length; i++) {
                rows[i] = out.state(states[i], 0).slice(0, skip, skip + count).contiguous().toArray();
                if (rows[i].length != count * d) throw new IllegalStateException("rows of state " + states[i]);
            }
            try {
                sink.accept(core, count, rows);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return total;
    }

    /** Frames of the first conv read a block at a time. */
    private static final int STATS_BLOCK = 1 << 16;

    /**
     * One pass over {@code samples} for what a whole-file pass normalises by: every sample once, and every window of
     * the first conv once, a block at a time.
     */
    public static RecordingStats stats(HubertConfig config, MonoSamples samples) {
        RecordingStats.Accumulator acc = RecordingStats.accumulate(config);
        int k = RecordingStats.firstKernel(config), s = RecordingStats.firstStride(config);
        long n = samples.length(), windows = n < k ? 0 : (n - k) / s + 1;
        float[] block = new float[(STATS_BLOCK - 1) * s + k];
        for (long from = 0; from < n; from += (long) STATS_BLOCK * s) {
            int count = (int) Math.min((long) STATS_BLOCK * s, n - from);
            acc.addSamples(samples.read(from, count, block), count);
        }
        for (long t = 0; t < windows; t += STATS_BLOCK) {
            int count = (int) Math.min(STATS_BLOCK, windows - t);
            int length = (count - 1) * s + k;
            acc.addWindows(samples.read(t * s, length, block), count);
        }
        return acc.finish();
    }

    /**
     * The chunked embedding of {@code samples} in memory: [states, frames, hidden] with {@link HubertOutput.Pool#NONE},
     * [states, hidden] averaged over every frame with {@link HubertOutput.Pool#MEAN}, as
     * {@link HubertOutput#embedding} lays out a whole-file pass.
     */
    public static Tensor embedding(Hubert hubert, MonoSamples samples, Plan plan, int[] states, HubertOutput.Pool pool) {
        int d = hubert.config().hidden();
        long total = frames(hubert.config(), samples.length());
        if (pool == HubertOutput.Pool.MEAN) {
            Mean mean = new Mean(states.length, d);
            forEachChunk(hubert, samples, plan, states, mean);
            return Tensor.wrap(mean.result(total), states.length, d);
        }
        if (total * d * states.length > Integer.MAX_VALUE - 8) {
            throw SerException.inFile(samples.file(), "too long to hold every frame's states in memory");
        }
        int frames = (int) total;
        float[] all = new float[frames * d * states.length];
        forEachChunk(hubert, samples, plan, states, (first, count, rows) -> {
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(rows[i], 0, all, (int) (((long) i * frames + first) * d), count * d);
            }
        });
        return Tensor.wrap(all, states.length, frames, d);
    }

    /**
     * Writes the chunked embedding of {@code samples} to {@code out} as .npy, a chunk at a time (frames by
     * positioned writes into the temporary file that replaces {@code out} once complete); returns its shape.
     */
    public static int[] write(Hubert hubert, MonoSamples samples, Plan plan, int[] states, HubertOutput.Pool pool, Path out) {
        int d = hubert.config().hidden();
        long total = frames(hubert.config(), samples.length());
        if (total > Integer.MAX_VALUE - 8) throw SerException.inFile(samples.file(), "too long: " + total + " frames");
        int frames = (int) total;
        if (pool == HubertOutput.Pool.MEAN) {
            Mean mean = new Mean(states.length, d);
            forEachChunk(hubert, samples, plan, states, mean);
            Tensor t = Tensor.wrap(mean.result(total), states.length, d);
            Npy.write(out, t);
            return t.shape();
        }
        int[] shape = {states.length, frames, d};
        byte[] header = Npy.header(shape);
        AtomicFiles.writeChannel(out, channel -> {
            writeFully(channel, ByteBuffer.wrap(header), 0);
            ByteBuffer bytes = ByteBuffer.allocate(Math.min(plan.chunkFrames(), frames) * d * Float.BYTES)
                    .order(ByteOrder.LITTLE_ENDIAN);
            try {
                forEachChunk(hubert, samples, plan, states, (first, count, rows) -> {
                    for (int i = 0; i < rows.length; i++) {
                        int n = count * d;
                        bytes.clear();
                        bytes.asFloatBuffer().put(rows[i], 0, n);
                        bytes.limit(n * Float.BYTES);
                        writeFully(channel, bytes, header.length + (((long) i * frames + first) * d) * Float.BYTES);
                    }
                });
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();  // a failed write, which AtomicFiles reports as such
            }
        });
        return shape;
    }

    /** Sums every frame's states in frame order, in double, as {@link HubertOutput#embedding} averages a whole pass. */
    private static final class Mean implements Sink {
        private final double[][] sum;
        private final int d;

        Mean(int states, int d) {
            this.sum = new double[states][d];
            this.d = d;
        }

        @Override
        public void accept(long firstFrame, int count, float[][] rows) {
            for (int i = 0; i < rows.length; i++) {
                for (int t = 0; t < count; t++) for (int j = 0; j < d; j++) sum[i][j] += rows[i][t * d + j];
            }
        }

        float[] result(long frames) {
            float[] out = new float[sum.length * d];
            for (int i = 0; i < sum.length; i++) for (int j = 0; j < d; j++) out[i * d + j] = (float) (sum[i][j] / frames);
            return out;
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        while (bytes.hasRemaining()) position += channel.write(bytes, position);
    }
}
