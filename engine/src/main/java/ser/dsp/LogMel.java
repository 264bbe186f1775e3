package ser.dsp;

import ser.tensor.Tensor;

/**
 * Log-Mel spectrogram exactly as torchaudio's MelSpectrogram followed by AmplitudeToDB.
 *
 * <p>{@code lanes} consecutive frames go through the pipeline together (pack with the window, batched FFT, power,
 * sparse mel, dB), laid out [bin][frame] so every step is plain vertical SIMD and the last one stores each mel row
 * straight into the [n_mels, frames] output. Long clips share their frame batches out over {@link DspThreads}.
 * {@link LogMelReference} is the same computation one frame at a time in scalar code.
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

    private final MelConfig config;
    private final Stft stft;
    private final MelFilterbank filterbank;
    private final ThreadLocal<Workspace> workspaces;

    private final class Workspace {
        final Stft.Workspace stft = LogMel.this.stft.workspace();
        final float[] mel = new float[config.nMels() * LogMel.this.stft.lanes()];
    }

    public LogMel(MelConfig config) {
        this.config = config;
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
        int batches = (frames + lanes - 1) / lanes;
        int tasks = (batches + BATCHES_PER_TASK - 1) / BATCHES_PER_TASK;
        DspThreads.forEach(tasks, task -> {
            for (int b = task * BATCHES_PER_TASK; b < Math.min(batches, (task + 1) * BATCHES_PER_TASK); b++) {
                computeBatch(samples, b * lanes, frames, out);
            }
        });
        if (config.topDb() != null) Decibels.clampToTop(out, config.topDb().floatValue());
        return Tensor.wrap(out, config.nMels(), frames);
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
