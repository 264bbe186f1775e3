package ser.cli;

import ser.SerException;
import ser.audio.WavReader;
import ser.dsp.LogMel;
import ser.dsp.MelConfig;
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
 * {@code ser mel} for inputs of any length: WAV to log-Mel to .npy a block of frames at a time, so memory stays
 * bounded by the block (a few MB) rather than the file. The .npy is byte for byte the one the whole-file path
 * writes: C order [n_mels, frames], each block's slice of every mel row put in place by a positioned write into
 * the temporary file that {@link AtomicFiles} renames over the target once complete.
 *
 * <p>Each block reads the samples its frames cover plus n_fft/2 + 1 on each side, enough for the reflect padding
 * of the clip's first and last frames, and lays out the padded signal exactly as the whole-file STFT does. The
 * buffers are allocated once for the largest block and reused, so a long file makes no garbage either.
 * Streamed only where nothing needs the whole signal or spectrogram: a WAV file already at the config's sample
 * rate, no top_db, no PNG. Anything else (AIFF, another rate, which needs resampling) takes the whole-file path.
 */
final class MelStream {

    /** Frames per block, before rounding to whole batches: 4096 frames of 128 mels are 2 MiB of output. */
    static final int BLOCK_FRAMES = 4096;

    private MelStream() {}

    /** Whether {@code input} can be streamed under {@code cfg}: a RIFF/WAVE file at cfg's rate, and no top_db. */
    static boolean applies(Path input, MelConfig cfg) {
        if (cfg.topDb() != null || !isRiff(input)) return false;
        try (WavReader.Stream s = WavReader.openStream(input)) {
            return s.sampleRate() == cfg.sampleRate() && s.frames() <= Integer.MAX_VALUE - 8;
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
    static int[] write(Path input, Path out, LogMel mel, int blockFrames) {
        MelConfig cfg = mel.config();
        int lanes = mel.lanes();
        int block = Math.max(lanes, blockFrames / lanes * lanes);
        try (WavReader.Stream stream = WavReader.openStream(input)) {
            if (stream.sampleRate() != cfg.sampleRate()) {
                throw SerException.inFile(input, "streamed at " + stream.sampleRate() + " Hz, config wants " + cfg.sampleRate());
            }
            long n = stream.frames();
            if (n > Integer.MAX_VALUE - 8) throw SerException.inFile(input, "too long: " + n + " samples");
            int frames = mel.frames((int) n);
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
                    stream.readMono(lo, (int) (hi - lo), x);
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
