package ser.features;

/**
 * What augmenting a log-Mel input in decibels, before its normalisation, needs to know: the frequency of each
 * band, the frame rate, and the normalisation to apply afterwards. Noise, babble and reverberation add power, so
 * they must act on the decibels the spectrogram had, not on normalised values.
 *
 * @param bandHz       the centre frequency of each mel band, lowest first
 * @param frameSeconds the time between frames
 */
public record SpectrogramInput(double[] bandHz, double frameSeconds, java.util.function.Consumer<float[]> normalization) {

    /** Normalises one example's raw values in place, as {@link Features#toInput} would have. */
    public void normalize(float[] x) {
        normalization.accept(x);
    }
}
