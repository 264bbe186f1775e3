package ser.dsp;

import ser.tensor.Parallel;
import ser.tensor.Tensor;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Log-Mel spectrogram exactly as torchaudio's MelSpectrogram followed by AmplitudeToDB.
 *
 * <p>{@code lanes} consecutive frames go through the pipeline together (pack with the window, batched FFT, power,
 * sparse mel, dB), laid out [bin][frame] so every step is plain vertical SIMD and the last one stores each mel row
 * straight into the [n_mels, frames] output. Long clips share their frame batches out over the project's pool ({@link Parallel#shared()}); when
 * that pool is busy (the feature cache runs one clip per thread) a clip simply runs on its caller.
 * {@link LogMelReference} is the same computation one frame at a time in scalar code.
 *
 * <p>The first {@link #SCALAR_FRAMES} frames a JVM computes (2^20, about 5.8 hours of audio at the seed's hop; a
 * call at a time, whole calls only; {@code -Dser.mel.scalarFrames=N} sets it) take a scalar twin of that pipeline
 * instead ({@link Stft#powerSpectrumOne}), frame by frame in tasks of 256 frames over the same pool: the same
 * operations in the same order, hence the same bits. Until C2 compiles it, Vector API code runs lane by lane
 * through lambdas or C1's boxed fallbacks, allocating every intermediate vector, and C2's compilation of it is long:
 * measured whole-process on the 2-core machine (docs/startup.md), the scalar twin costs less CPU time for anything a
 * command does at once, up to an hour of audio (2.4 s of CPU against 4.2 s for {@code ser mel} on one hour). A JVM
 * that goes on computing (training over a large corpus) takes the vector path once the budget is spent.
 *
 * <p>Thread-safe: one instance may serve many threads at once.
 */
public final class LogMel {

    /**
     * Frame batches per parallel task: 64 frames (1.3 s at the seed's hop) with 16 lanes. Tasks are contiguous runs
     * so that two threads rarely write the same cache line of an output row, and a clip shorter than one task is
     * computed on the caller alone, as waking a helper would cost more than it saves.
     */
    private static final int BATCHES_PER_TASK = 4;

    /** Frames a JVM computes on the scalar path before calls take the vector path (see the class comment). */
    static final long SCALAR_FRAMES = Long.getLong("ser.mel.scalarFrames", 1L << 20);
    /** Frames per parallel task on the scalar path: a clip of up to 5 s (at the seed's hop) runs on its caller alone. */
    private static final int SCALAR_TASK_FRAMES = 256;
    private static final AtomicLong SHARED_SCALAR_BUDGET = new AtomicLong(SCALAR_FRAMES);

    private final MelConfig config;
    private final Stft stft;
    private final MelFilterbank filterbank;
    private final ThreadLocal<Workspace> workspaces;
    /** Frames left for the scalar path: the JVM's budget, or a test's own. */
    private final AtomicLong scalarBudget;

    private final class Workspace {
        final Stft.Workspace stft = LogMel.this.stft.workspace();
        final float[] mel = new float[config.nMels() * LogMel.this.stft.lanes()];
    }

    public LogMel(MelConfig config) {
        this(config, SHARED_SCALAR_BUDGET);
    }

    /** With a budget of its own (tests: 0 for the vector path only, Long.MAX_VALUE for the scalar path only). */
    LogMel(MelConfig config, long scalarFrames) {
        this(config, new AtomicLong(scalarFrames));
    }

    private LogMel(MelConfig config, AtomicLong scalarBudget) {
        this.config = config;
        this.scalarBudget = scalarBudget;
        this.stft = new Stft(config);
        this.filterbank = new MelFilterbank(config);
        this.workspaces = ThreadLocal.withInitial(Workspace::new);
    }

    public MelConfig config() {
        return config;
    }

    /** Log-Mel in dB of mono samples at the config's sample rate, shaped [n_mels, frames]. */
    public Tensor compute(float[] samples) {
        int frames = frames(samples.length);
        int lanes = stft.lanes();
        float[] out = new float[config.nMels() * frames];
        if (takeScalar(frames)) {
            int pad = stft.pad();
            float[] padded = new float[(frames - 1) * config.hopLength() + config.nFft()];
            for (int i = 0; i < padded.length; i++) padded[i] = stft.padded(samples, i - pad);
            computeScalar(padded, frames, out, frames, 0);
            if (config.topDb() != null) Decibels.clampToTop(out, config.topDb().floatValue());
            return Tensor.wrap(out, config.nMels(), frames);
        }
        int batches = (frames + lanes - 1) / lanes;
        int tasks = (batches + BATCHES_PER_TASK - 1) / BATCHES_PER_TASK;
        Parallel.shared().parallelFor(tasks, task -> {
            for (int b = task * BATCHES_PER_TASK; b < Math.min(batches, (task + 1) * BATCHES_PER_TASK); b++) {
                computeBatch(samples, b * lanes, frames, out);
            }
        });
        if (config.topDb() != null) Decibels.clampToTop(out, config.topDb().floatValue());
        return Tensor.wrap(out, config.nMels(), frames);
    }

    /**
     * Frames [first, first + count) of a clip, for a caller that streams it block by block: {@code window[i]} is the
     * padded clip at sample {@code first * hop - pad + i} (see {@link #paddedSamples}), and must hold at least
     * {@link #windowLength}(count) samples. {@code first} must be a multiple of {@link #lanes()}, so the frames go
     * through the same batches, hence the same arithmetic, as in {@link #compute}: the result is bit for bit the
     * columns [first, first + count) of compute's. Returns [n_mels][count], row-major. top_db is not applied (it
     * needs the whole spectrogram's maximum).
     */
    public float[] computeBlock(float[] window, int first, int count) {
        return computeBlock(window, first, count, new float[config.nMels() * count]);
    }

    /** The same into {@code out} (at least n_mels * count floats, laid out [n_mels][count]), which is returned. */
    public float[] computeBlock(float[] window, int first, int count, float[] out) {
        int lanes = stft.lanes();
        if (first % lanes != 0) throw new IllegalArgumentException("first frame " + first + " is not a multiple of " + lanes);
        if (window.length < windowLength(count)) {
            throw new IllegalArgumentException("window of " + window.length + " samples, " + windowLength(count) + " needed");
        }
        if (out.length < config.nMels() * count) throw new IllegalArgumentException("output of " + out.length + " floats");
        if (takeScalar(count)) {
            computeScalar(window, count, out, count, 0);
            return out;
        }
        int batches = (count + lanes - 1) / lanes;
        int tasks = (batches + BATCHES_PER_TASK - 1) / BATCHES_PER_TASK;
        int hop = config.hopLength();
        Parallel.shared().parallelFor(tasks, task -> {
            for (int b = task * BATCHES_PER_TASK; b < Math.min(batches, (task + 1) * BATCHES_PER_TASK); b++) {
                Workspace ws = workspaces.get();
                float[] power = stft.powerSpectraOfPadded(window, b * lanes * hop, ws.stft);
                filterbank.applyBatch(power, ws.mel);
                Decibels.fromPowerBatch(ws.mel, config.nMels(), out, count, b * lanes);
            }
        });
        return out;
    }

    /** Frames computed together; {@link #computeBlock}'s blocks start at multiples of it. */
    public int lanes() {
        return stft.lanes();
    }

    /** Padded samples {@link #computeBlock} reads for {@code count} frames (whole batches of lanes). */
    public int windowLength(int count) {
        int lanes = stft.lanes();
        int batches = (count + lanes - 1) / lanes;
        return (batches * lanes - 1) * config.hopLength() + config.nFft();
    }

    /**
     * {@code length} samples of the padded clip from sample {@code start} (negative: in the front padding), for a
     * clip of {@code n} samples of which {@code x} holds [{@code from}, {@code from + x.length}); it must hold every
     * sample the range reads or reflects: [max(0, start - pad - 1), min(n, start + length + pad + 1)) is enough.
     */
    public float[] paddedSamples(float[] x, long from, long n, long start, int length) {
        return paddedSamples(x, from, n, start, length, new float[length]);
    }

    /** The same into {@code out[0 .. length)}, which is returned. */
    public float[] paddedSamples(float[] x, long from, long n, long start, int length, float[] out) {
        // The samples inside the clip in one copy; the padding before and after it sample by sample.
        long lo = Math.min(Math.max(start, 0), start + length), hi = Math.max(lo, Math.min(n, start + length));
        for (long s = start; s < lo; s++) out[(int) (s - start)] = stft.padded(x, from, n, s);
        if (hi > lo) System.arraycopy(x, (int) (lo - from), out, (int) (lo - start), (int) (hi - lo));
        for (long s = hi; s < start + length; s++) out[(int) (s - start)] = stft.padded(x, from, n, s);
        return out;
    }

    /** Samples padded before the clip: n_fft/2 when centred, else 0. */
    public int pad() {
        return stft.pad();
    }

    /** Takes {@code frames} from the scalar budget when they fit in what is left (and the config has a scalar path). */
    private boolean takeScalar(int frames) {
        if (!stft.hasScalarPath()) return false;
        for (long left = scalarBudget.get(); frames <= left; left = scalarBudget.get()) {
            if (scalarBudget.compareAndSet(left, left - frames)) return true;
        }
        return false;
    }

    /**
     * The scalar twin of the batched pipeline: frame j reads {@code padded[j * hop ..]}, its mel row r goes to
     * {@code out[r * outFrames + outFirst + j]}; bit for bit what the vector path computes for the same frames.
     */
    private void computeScalar(float[] padded, int count, float[] out, int outFrames, int outFirst) {
        int nMels = config.nMels(), hop = config.hopLength();
        int tasks = (count + SCALAR_TASK_FRAMES - 1) / SCALAR_TASK_FRAMES;
        Parallel.shared().parallelFor(tasks, task -> {
            Stft.OneFrame ws = stft.oneFrame();
            float[] mel = new float[nMels];
            for (int j = task * SCALAR_TASK_FRAMES; j < Math.min(count, (task + 1) * SCALAR_TASK_FRAMES); j++) {
                float[] power = stft.powerSpectrumOne(padded, j * hop, ws);
                filterbank.applyOne(power, mel);
                for (int r = 0; r < nMels; r++) out[r * outFrames + outFirst + j] = Decibels.fromPower(mel[r]);
            }
        });
    }

    private void computeBatch(float[] samples, int first, int frames, float[] out) {
        Workspace ws = workspaces.get();
        float[] power = stft.powerSpectra(samples, first, ws.stft);
        filterbank.applyBatch(power, ws.mel);
        Decibels.fromPowerBatch(ws.mel, config.nMels(), out, frames, first);
    }

    /**
     * Frames for {@code samples} samples with center=True: 1 + samples / hop (1 + (samples - n_fft) / hop without).
     * A clip too short for reflect padding throws SerException, as torch refuses it.
     */
    public int frames(int samples) {
        return stft.frames(samples);
    }
}
