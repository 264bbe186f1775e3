package ser.dsp;

import ser.SerException;
import ser.audio.Resampler;
import ser.audio.WavReader;
import ser.io.AtomicFiles;
import ser.io.Npy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Log-Mel of a WAV file of any length (what {@code ser mel} runs): WAV to log-Mel to .npy a block of frames at a time, so memory stays
 * bounded by the block (a few MB) rather than the file. The .npy is byte for byte the one the whole-file path
 * writes: C order [n_mels, frames], each block's slice of every mel row put in place by a positioned write into
 * the temporary file that {@link AtomicFiles} renames over the target once complete.
 *
 * <p>Each block reads the samples its frames cover plus n_fft/2 + 1 on each side, enough for the reflect padding
 * of the clip's first and last frames, and lays out the padded signal exactly as the whole-file STFT does. The
 * buffers are allocated once for the largest block and reused.
 * Streamed only where nothing needs the whole signal or spectrogram: a WAV file, no top_db, no PNG; AIFF, top_db
 * and a picture of the whole spectrogram take the whole-file path. A file at another rate is resampled block by block
 * ({@link Resampler#applyRange}: each output sample reads the same inputs with the same filter row as
 * {@link Resampler#apply}, so the same bits).
 */
public final class MelStream {

    /** Frames per block, before rounding to whole batches: 4096 frames of 128 mels are 2 MiB of output. */
    public static final int BLOCK_FRAMES = 4096;

    private MelStream() {}

    /** Whether {@code input} can be streamed under {@code cfg}: a RIFF/WAVE file, and no top_db. */
    public static boolean applies(Path input, MelConfig cfg) {
        if (cfg.topDb() != null || !isRiff(input)) return false;
        try (WavReader.Stream s = WavReader.openStream(input)) {
            return Resampler.of(s.sampleRate(), cfg.sampleRate()).outputLength(s.frames()) <= Integer.MAX_VALUE - 8;
        }
    }

    private static boolean isRiff(Path input) {
        try (InputStream in = Files.newInputStream(input)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'R' && magic[1] == 'I' && magic[2] == 'F' && magic[3] == 'F';
        } catch (IOException e) {
            return false;  // the whole-file path reports it
        }
    }

    /** Writes the log-Mel of {@code input} to {@code out}; returns its shape {n_mels, frames}. */
    public static int[] write(Path input, Path out, LogMel mel, int blockFrames) {
        MelConfig cfg = mel.config();
        int lanes = mel.lanes();
        int block = Math.max(lanes, blockFrames / lanes * lanes);
        try (WavReader.Stream stream = WavReader.openStream(input)) {
            Resampler resampler = Resampler.of(stream.sampleRate(), cfg.sampleRate());
            boolean resample = stream.sampleRate() != cfg.sampleRate();
            long nIn = stream.frames();
            long n = resampler.outputLength(nIn);
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
                float[] raw = new float[0];
                for (int first = 0; first < frames; first += block) {
                    int count = Math.min(block, frames - first);
                    long start = (long) first * hop - pad;
                    int length = mel.windowLength(count);
                    long lo = Math.max(0, start - pad - 1), hi = Math.min(n, start + length + pad + 1);
                    if (!resample) {
                        stream.readMono(lo, (int) (hi - lo), x);
                    } else {  // the input that output samples [lo, hi) read, resampled as the whole-file path does
                        long a = Math.max(0, resampler.inputFirst(lo)), b = Math.min(nIn, resampler.inputEnd(hi));
                        int m = (int) Math.max(0, b - a);
                        if (raw.length < m) raw = new float[m];
                        stream.readMono(a, m, raw);
                        resampler.applyRange(raw, a, m, nIn, lo, (int) (hi - lo), x);
                    }
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
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        while (bytes.hasRemaining()) position += channel.write(bytes, position);
    }
}
