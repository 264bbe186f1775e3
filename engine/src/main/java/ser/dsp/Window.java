package ser.dsp;

/** Analysis windows as {@code torch.stft} applies them. */
public final class Window {

    private Window() {}

    /**
     * The periodic Hann window of {@code winLength} ({@code torch.hann_window(winLength)}), zero-padded on both sides
     * to {@code nFft} with the extra zero on the right when the padding is odd, as {@code torch.stft} centres it.
     *
     * <p>Torch computes it in float: the angle n * (2 pi / winLength) as a float product, a float cosine, then
     * 0.5 - 0.5 cos. We round at the same points, so the window matches torch's to the last bit or close to it.
     */
    public static float[] hannPeriodic(int winLength, int nFft) {
        if (winLength < 1 || winLength > nFft) throw new IllegalArgumentException("window " + winLength + " > n_fft " + nFft);
        float[] window = new float[nFft];
        int left = (nFft - winLength) / 2;
        if (winLength == 1) {  // torch's special case: a window of one sample is [1], not Hann's [0]
            window[left] = 1;
            return window;
        }
        float step = (float) (2 * Math.PI / winLength);
        for (int n = 0; n < winLength; n++) {
            float cos = (float) Math.cos(n * step);
            window[left + n] = cos * -0.5f + 0.5f;
        }
        return window;
    }
}
