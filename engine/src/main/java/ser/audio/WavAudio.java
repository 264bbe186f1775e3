package ser.audio;

/**
 * A decoded audio file (WAV, or AIFF through {@link AiffReader}): its format and one array of samples per channel, scaled so that integer PCM lies in
 * [-1, 1) (full scale is 2^(bits-1), as torchaudio and soundfile do). Float files keep their values as written,
 * which may exceed 1.
 */
public record WavAudio(WavFormat format, float[][] channels) {

    public int sampleRate() {
        return format.sampleRate();
    }

    public int channelCount() {
        return channels.length;
    }

    public int frames() {
        return channels[0].length;
    }

    /** The mean over channels, frame by frame: the down-mix that keeps the level of a centred source. */
    public float[] mono() {
        if (channels.length == 1) return channels[0].clone();
        int frames = frames();
        float[] mono = new float[frames];
        for (float[] channel : channels) {
            for (int i = 0; i < frames; i++) mono[i] += channel[i];
        }
        float scale = 1f / channels.length;
        for (int i = 0; i < frames; i++) mono[i] *= scale;
        return mono;
    }
}
