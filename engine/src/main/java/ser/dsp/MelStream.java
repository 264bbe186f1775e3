package ser.dsp;

import ser.SerException;
import ser.audio.MonoSamples;
import ser.io.AtomicFiles;
import ser.io.Npy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Log-Mel of an audio file (WAV or AIFF/AIFF-C) of any length (what {@code ser mel} runs): audio to log-Mel to .npy
 * a block of frames at a time, so memory stays bounded by the block (a few MB) rather than the file. The .npy is
 * byte for byte the one the whole-file path writes: C order [n_mels, frames], each block's slice of every mel row
 * put in place by a positioned write into the temporary file that {@link AtomicFiles} renames over the target once
 * complete.
 *
 * <p>Each block reads the samples its frames cover plus n_fft/2 + 1 on each side, enough for the reflect padding
 * of the clip's first and last frames, and lays out the padded signal exactly as the whole-file STFT does. The
 * buffers are allocated once for the largest block and reused.
 * Streamed only where nothing needs the whole signal or spectrogram: no top_db, no PNG; top_db and a picture of the
 * whole spectrogram take the whole-file path. A file at another rate is resampled block by block
 * ({@link ser.audio.Resampler#applyRange}: each output sample reads the same inputs with the same filter row as
 * {@link ser.audio.Resampler#apply}, so the same bits).
 */
public final class MelStream {

    /** Frames per block, before rounding to whole batches: 4096 frames of 128 mels are 2 MiB of output. */
    public static final int BLOCK_FRAMES = 4096;

    private MelStream() {}

    /**
     * Writes the log-Mel of {@code input} to {@code out} streamed and returns its shape {n_mels, frames}, or returns
     * null, writing nothing, when the whole-file path must do it: a config with top_db (it needs the whole
     * spectrogram's maximum), or more samples than an array holds. The file is opened, and its header parsed, once:
     * a file the readers turn down (RF64, a damaged header) fails here with the reader's own message.
     */
    public static int[] tryWrite(Path input, Path out, LogMel mel, int blockFrames) {
        if (mel.config().topDb() != null) return null;
        try (MonoSamples samples = MonoSamples.open(input, mel.config().sampleRate())) {
            if (samples.length() > Integer.MAX_VALUE - 8) return null;
            return write(samples, out, mel, blockFrames);
        }
    }

    /** Writes the log-Mel of {@code input}, a WAV or AIFF file, to {@code out}; returns its shape {n_mels, frames}. */
    public static int[] write(Path input, Path out, LogMel mel, int blockFrames) {
        try (MonoSamples samples = MonoSamples.open(input, mel.config().sampleRate())) {
            return write(samples, out, mel, blockFrames);
        }
    }

    /** Writes the log-Mel of {@code samples} (at the config's rate) to {@code out}; returns its shape {n_mels, frames}. */
    public static int[] write(MonoSamples samples, Path out, LogMel mel, int blockFrames) {
        MelConfig cfg = mel.config();
        int lanes = mel.lanes();
        int block = Math.max(lanes, blockFrames / lanes * lanes);
        Path input = samples.file();
        long n = samples.length();
        if (n > Integer.MAX_VALUE - 8) throw SerException.inFile(input, "too long: " + n + " samples");
        int frames;
        try {
            frames = mel.frames((int) n);
        } catch (SerException tooShort) {
            throw SerException.inFile(input, tooShort.getMessage(), tooShort);
        }
        int nMels = cfg.nMels();
        int hop = cfg.hopLength(), pad = mel.pad();
        byte[] header = Npy.header(new int[] {nMels, frames});
        AtomicFiles.writeChannel(out, channel -> {
            writeFully(channel, ByteBuffer.wrap(header), 0);
            ByteBuffer row = ByteBuffer.allocate(block * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            // Buffers for the largest block, reused: the loop allocates nothing, so the heap stays small.
            int longest = mel.windowLength(Math.min(block, frames));
            float[] x = new float[(int) Math.min(n, longest + 2L * pad + 2)];
            float[] window = new float[longest];
            float[] rows = new float[nMels * Math.min(block, frames)];
            for (int first = 0; first < frames; first += block) {
                int count = Math.min(block, frames - first);
                long start = (long) first * hop - pad;
                int length = mel.windowLength(count);
                long lo = Math.max(0, start - pad - 1), hi = Math.min(n, start + length + pad + 1);
                samples.read(lo, (int) (hi - lo), x);
                mel.paddedSamples(x, lo, n, start, length, window);
                mel.computeBlock(window, first, count, rows);
                for (int r = 0; r < nMels; r++) {
                    row.clear();
                    row.asFloatBuffer().put(rows, r * count, count);
                    row.limit(count * Float.BYTES);
                    writeFully(channel, row, header.length + ((long) r * frames + first) * Float.BYTES);
                }
            }
        });
        return new int[] {nMels, frames};
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        while (bytes.hasRemaining()) position += channel.write(bytes, position);
    }
}
