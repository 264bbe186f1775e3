package ser.audio;

import java.nio.file.Path;
import ser.SerException;

/**
 * From a file on disk to the samples the models want: decode, down-mix to mono, resample, pad or trim.
 */
public final class AudioLoader {

    private AudioLoader() {}

    /** Mono samples of {@code file} (WAV or AIFF) at {@code targetRate} Hz, in [-1, 1] for integer PCM. Bad files throw SerException naming the file. */
    public static float[] loadMono(Path file, int targetRate) {
        WavAudio audio = AudioReader.read(file);
        checkResampledFits(file, audio.frames(), audio.sampleRate(), targetRate);
        return Resampler.of(audio.sampleRate(), targetRate).apply(audio.mono());
    }

    /**
     * The decoded size was checked against the heap, but resampling up multiplies it ({@link WavFormat#MIN_SAMPLE_RATE}
     * to 48 kHz is 48 times): the output, with the input still held, must fit as the decoding did.
     */
    static void checkResampledFits(Path file, long frames, int from, int to) {
        long samples = (frames * to + from - 1) / from;
        long bytes = samples * Float.BYTES;
        long heap = Runtime.getRuntime().maxMemory();
        if (samples > Integer.MAX_VALUE - 8 || bytes > heap / AudioFileIo.DECODE_PEAK_FACTOR) {
            throw SerException.inFile(file, "too large to resample: " + frames + " samples at " + from + " Hz become "
                    + samples + " at " + to + " Hz (" + (bytes >> 20) + " MiB), more than a third of the heap ("
                    + (heap >> 20) + " MiB); raise -Xmx or split the file");
        }
    }

    /** The recipe's fixed length: zero-pad at the end, or keep the first {@code length} samples. */
    public static float[] padOrTrim(float[] samples, int length) {
        float[] out = new float[length];
        System.arraycopy(samples, 0, out, 0, Math.min(length, samples.length));
        return out;
    }

    /** The recipe's fixed length without silence: a short clip is repeated until it fills {@code length}. */
    public static float[] repeatOrTrim(float[] samples, int length) {
        if (samples.length == 0) return new float[length];
        float[] out = new float[length];
        for (int at = 0; at < length; at += samples.length) {
            System.arraycopy(samples, 0, out, at, Math.min(samples.length, length - at));
        }
        return out;
    }
}
