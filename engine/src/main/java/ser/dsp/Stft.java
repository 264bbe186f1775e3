package ser.dsp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import ser.SerException;

/**
 * Short-time power spectra with {@code torch.stft} semantics: frame t starts at sample t*hop of the signal padded
 * by n_fft/2 on both sides (center, reflect or constant), is multiplied by the centred window, and transformed.
 *
 * <p>The fast path computes {@link BatchFft#lanes()} consecutive frames at a time, laid out [bin][frame]; the
 * scalar path ({@link #frame}) hands out one windowed frame for the reference FFT.
 */
public final class Stft {

    private static final VectorSpecies<Float> SPECIES = BatchFft.SPECIES;

    private final int nFft, hop, pad;
    private final boolean reflect;
    private final double power;
    private final float[] window;
    /** Half the window: packing with it pre-scales each frame by 1/2, which {@link BatchFft#powerSpectrum} expects. */
    private final float[] halfWindow;
    /** Packed rows j where sample 2j or 2j+1 has a non-zero weight; rows outside are zero. */
    private final int firstRow, endRow;
    private final BatchFft fft;
    private final int lanes;
    /** Lane l reads the frame l hops further on. */
    private final int[] laneOffsets;

    public Stft(MelConfig config) {
        this.nFft = config.nFft();
        this.hop = config.hopLength();
        this.pad = config.center() ? nFft / 2 : 0;
        this.reflect = config.reflectPadding();
        this.power = config.power();
        this.window = Window.hannPeriodic(config.winLength(), nFft);
        this.halfWindow = new float[nFft];
        for (int t = 0; t < nFft; t++) halfWindow[t] = 0.5f * window[t];  // exact: a power of two
        int left = (nFft - config.winLength()) / 2;
        this.firstRow = left / 2;
        this.endRow = (left + config.winLength() + 1) / 2;
        this.fft = new BatchFft(new Fft(nFft));
        this.lanes = fft.lanes();
        this.laneOffsets = new int[lanes];
        for (int l = 0; l < lanes; l++) laneOffsets[l] = l * hop;
    }

    public int lanes() {
        return lanes;
    }

    public int bins() {
        return nFft / 2 + 1;
    }

    public Fft fft() {
        return fft.plan();
    }

    /**
     * Frames of a clip of {@code samples} samples: 1 + samples/hop when centred, else 1 + (samples - n_fft)/hop.
     * Throws SerException for a clip torch.stft would refuse: reflect padding needs more samples than the pad.
     */
    public int frames(int samples) {
        if (pad == 0) {
            if (samples < nFft) throw new SerException("clip of " + samples + " samples is shorter than n_fft=" + nFft
                    + " (center: false needs at least one whole frame)");
            return 1 + (samples - nFft) / hop;
        }
        if (reflect && samples <= pad) {
            throw new SerException("clip of " + samples + " samples is too short for reflect padding by n_fft/2="
                    + pad + " (torch.stft refuses it too): it needs at least " + (pad + 1)
                    + " samples; pad the clip or use pad_mode: constant");
        }
        return 1 + samples / hop;
    }

    /** Scratch for one thread's {@link #powerSpectra} calls. */
    public final class Workspace {
        final float[] re = new float[nFft / 2 * lanes];
        final float[] im = new float[nFft / 2 * lanes];
        final float[] power = new float[bins() * lanes];
        final float[] edge = new float[(lanes - 1) * hop + nFft];

        Workspace() {}
    }

    public Workspace workspace() {
        return new Workspace();
    }

    /**
     * Power spectra of frames [first, first + lanes) of {@code samples}, as [bin][lane] in the workspace's array,
     * which is returned. Lanes past the clip's last frame hold spectra of zeros (or of padding) and are to be ignored.
     */
    public float[] powerSpectra(float[] samples, int first, Workspace ws) {
        pack(samples, first, ws);
        fft.complexForward(ws.re, ws.im);
        fft.powerSpectrum(ws.re, ws.im, ws.power, power);
        return ws.power;
    }

    /** Windowed frames into the packed layout: row j of lane l is x[2j] + i x[2j+1] of frame first+l, times w/2. */
    private void pack(float[] samples, int first, Workspace ws) {
        float[] source = samples;
        int start = first * hop - pad;  // where frame `first` starts in `source`
        if (start < 0 || start + ws.edge.length > samples.length) {
            copyPadded(samples, start, ws.edge);
            source = ws.edge;
            start = 0;
        }
        packFrom(source, start, ws);
    }

    /**
     * Power spectra of {@code lanes} frames whose padded samples are already laid out in {@code window}: lane l reads
     * {@code window[start + l*hop ..]}, n_fft samples, which must all lie in the array. The same arithmetic as
     * {@link #powerSpectra}, so a caller that lays out the padding itself (a stream of blocks) gets the same bits.
     */
    public float[] powerSpectraOfPadded(float[] window, int start, Workspace ws) {
        packFrom(window, start, ws);
        fft.complexForward(ws.re, ws.im);
        fft.powerSpectrum(ws.re, ws.im, ws.power, power);
        return ws.power;
    }

    /** Whether the scalar path ({@link #powerSpectrumOne}) computes this config's spectra: power 1 or 2. */
    public boolean hasScalarPath() {
        return power == 1 || power == 2;
    }

    /** Scratch for one thread's {@link #powerSpectrumOne} calls: one frame. */
    public final class OneFrame {
        final float[] re = new float[nFft / 2];
        final float[] im = new float[nFft / 2];
        final float[] power = new float[bins()];

        OneFrame() {}
    }

    public OneFrame oneFrame() {
        return new OneFrame();
    }

    /**
     * The scalar twin of {@link #powerSpectraOfPadded} for one frame, which reads {@code source[start .. start + n_fft)}:
     * the same operations in the same order as that frame's lane, so the same bits; returns the bins in the scratch's
     * array. Only where {@link #hasScalarPath}.
     */
    public float[] powerSpectrumOne(float[] source, int start, OneFrame ws) {
        float[] re = ws.re, im = ws.im;
        for (int row = 0; row < firstRow; row++) {
            re[row] = 0f;
            im[row] = 0f;
        }
        for (int row = firstRow; row < endRow; row++) {
            int t = 2 * row;
            re[row] = source[start + t] * halfWindow[t];
            im[row] = source[start + t + 1] * halfWindow[t + 1];
        }
        for (int row = endRow; row < nFft / 2; row++) {
            re[row] = 0f;
            im[row] = 0f;
        }
        fft.complexForwardOne(re, im);
        fft.powerSpectrumOne(re, im, ws.power, power);
        return ws.power;
    }

    /** Frames of {@code lanes} consecutive frames starting at {@code source[start]} into the packed layout. */
    private void packFrom(float[] source, int start, Workspace ws) {
        float[] re = ws.re, im = ws.im;
        var zero = FloatVector.zero(SPECIES);
        for (int row = 0; row < firstRow; row++) {
            zero.intoArray(re, row * lanes);
            zero.intoArray(im, row * lanes);
        }
        for (int row = firstRow; row < endRow; row++) {
            int t = 2 * row;
            FloatVector.fromArray(SPECIES, source, start + t, laneOffsets, 0).mul(halfWindow[t]).intoArray(re, row * lanes);
            FloatVector.fromArray(SPECIES, source, start + t + 1, laneOffsets, 0).mul(halfWindow[t + 1]).intoArray(im, row * lanes);
        }
        for (int row = endRow; row < nFft / 2; row++) {
            zero.intoArray(re, row * lanes);
            zero.intoArray(im, row * lanes);
        }
    }

    /**
     * {@code dst[i]} = the padded signal at sample {@code start + i} (negative or past the end: the padding),
     * and zero beyond the padding, where lanes past the last frame read.
     */
    private void copyPadded(float[] x, int start, float[] dst) {
        int from = Math.clamp(start, 0, x.length), to = Math.clamp((long) start + dst.length, from, x.length);
        int at = from - start;  // where the clip's own samples [from, to) land in dst
        for (int i = 0; i < at; i++) dst[i] = padded(x, start + i);
        System.arraycopy(x, from, dst, at, to - from);
        for (int i = at + to - from; i < dst.length; i++) dst[i] = padded(x, start + i);
    }

    /**
     * The padded signal at sample s (negative before the clip): inside the clip the sample itself; within the pad
     * torch's reflection (mirrored about the edge sample, which is not repeated) or zero; beyond the pad zero.
     */
    float padded(float[] x, int s) {
        return padded(x, 0, x.length, s);
    }

    /**
     * The padded signal at sample s of a clip of {@code n} samples of which {@code x} holds [{@code from},
     * {@code from + x.length}): the samples the padding at s reflects must be among them.
     */
    public float padded(float[] x, long from, long n, long s) {
        if (s >= 0 && s < n) return x[(int) (s - from)];
        if (s < -pad || s >= n + pad || !reflect) return 0;
        return s < 0 ? x[(int) (-s - from)] : x[(int) (2 * (n - 1) - s - from)];
    }

    /** Samples added before the clip (n_fft/2 when centred, else 0). */
    public int pad() {
        return pad;
    }

    public int hop() {
        return hop;
    }

    public int nFft() {
        return nFft;
    }

    /** Scalar path: frame t of {@code samples}, padded and windowed, n_fft long. */
    public float[] frame(float[] samples, int t) {
        float[] out = new float[nFft];
        for (int i = 0; i < nFft; i++) {
            out[i] = padded(samples, t * hop - pad + i) * window[i];
        }
        return out;
    }
}
