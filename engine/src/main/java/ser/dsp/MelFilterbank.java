package ser.dsp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Triangular mel filters over the one-sided spectrum, as {@code torchaudio.functional.melscale_fbanks} builds them,
 * stored sparse: each filter is its first bin and its run of weights. Of the dense 513 x 128 seed matrix only about
 * 1,000 entries (1.5%) are non-zero, since each bin falls under at most two neighbouring filters.
 *
 * <p>Built in float, rounding where torchaudio rounds ({@link #triangles}).
 */
public final class MelFilterbank {

    private static final VectorSpecies<Float> SPECIES = BatchFft.SPECIES;

    private final int bins;
    private final int[] firstBin;
    /** Filter f's weights are weights[start[f] .. start[f+1]), for bins firstBin[f], firstBin[f] + 1, ... */
    private final int[] start;
    private final float[] weights;

    public MelFilterbank(MelConfig config) {
        this(triangles(config.nFreqs(), config.fMin(), config.fMax(), config.nMels(), config.sampleRate(),
                "slaney".equals(config.norm()), MelScale.of(config.melScale())));
    }

    /** The sparse form of dense filters, {@code filters[mel][bin]}. */
    MelFilterbank(float[][] filters) {
        int nMels = filters.length;
        this.bins = filters[0].length;
        firstBin = new int[nMels];
        start = new int[nMels + 1];
        for (int f = 0; f < nMels; f++) {
            int first = 0, end = bins;
            while (first < bins && filters[f][first] == 0) first++;
            while (end > first && filters[f][end - 1] == 0) end--;
            firstBin[f] = first;
            start[f + 1] = start[f] + end - first;
        }
        weights = new float[start[nMels]];
        for (int f = 0; f < nMels; f++) {
            System.arraycopy(filters[f], firstBin[f], weights, start[f], start[f + 1] - start[f]);
        }
    }

    /**
     * torchaudio's triangles, [mel][bin]: filter f rises from mel point f to f+1 and falls to f+2.
     *
     * <p>Computed in float, step for step as torchaudio computes them, not in double: the weights are differences
     * of nearby frequencies of several kHz, so float rounding moves them by up to 0.2% (Slaney's smallest by more),
     * which would cost up to 0.002 dB of parity with torch. The HTK filters come out bit-identical to torch's; the
     * Slaney ones within 1e-7, as torch's vectorised exp (SLEEF) rounds a few of its mel points differently.
     */
    static float[][] triangles(int bins, double fMin, double fMax, int nMels, int sampleRate, boolean slaneyNorm,
                               MelScale scale) {
        float[] binHz = linspace(0, sampleRate / 2, bins);
        float[] pointHz = linspace((float) scale.hzToMel(fMin), (float) scale.hzToMel(fMax), nMels + 2);
        for (int p = 0; p < pointHz.length; p++) pointHz[p] = scale.melToHz(pointHz[p]);
        float[][] filters = new float[nMels][bins];
        for (int f = 0; f < nMels; f++) {
            float lo = pointHz[f], mid = pointHz[f + 1], hi = pointHz[f + 2];
            float norm = slaneyNorm ? 2f / (hi - lo) : 1f;  // equal area instead of equal height
            for (int k = 0; k < bins; k++) {
                float up = (binHz[k] - lo) / (mid - lo), down = (hi - binHz[k]) / (hi - mid);
                float w = Math.max(0, Math.min(up, down));
                filters[f][k] = slaneyNorm ? w * norm : w;
            }
        }
        return filters;
    }

    /**
     * {@code torch.linspace} in float as torch 1.13's CPU kernel (AVX2 build) computes it: the first half counts up
     * from start, the second down from end, base = fma(step, i, start); whole blocks of 16 go 8 at a time as
     * base + l * step, l in [0, 8). Rounding exactly where it rounds makes the seed's filterbank bit-identical.
     */
    static float[] linspace(float start, float end, int steps) {
        float[] out = new float[steps];
        float step = steps == 1 ? 0 : (end - start) / (steps - 1);
        int half = steps / 2, vec = steps / 16 * 16;
        int i = 0;
        for (; i < vec; i += 8) {
            float base = i < half ? Math.fma(step, (float) i, start) : Math.fma(-step, (float) (steps - i - 1), end);
            for (int l = 0; l < 8; l++) out[i + l] = base + l * step;
        }
        for (; i < steps; i++) out[i] = i < half ? Math.fma(step, (float) i, start) : Math.fma(-step, (float) (steps - i - 1), end);
        return out;
    }

    public int mels() {
        return firstBin.length;
    }

    public int bins() {
        return bins;
    }

    /** Non-zero entries stored (for tests and curiosity). */
    public int storedWeights() {
        return weights.length;
    }

    /** The dense [bins][mels] matrix, torchaudio's layout (tests compare it with torch's). */
    public float[][] dense() {
        float[][] fb = new float[bins][mels()];
        for (int f = 0; f < mels(); f++) {
            for (int i = start[f]; i < start[f + 1]; i++) fb[firstBin[f] + i - start[f]][f] = weights[i];
        }
        return fb;
    }

    /** Scalar reference: mel energies of one power spectrum ({@code bins} long) into {@code mel}. */
    public void apply(float[] power, float[] mel) {
        for (int f = 0; f < mels(); f++) {
            float sum = 0;
            for (int i = start[f], k = firstBin[f]; i < start[f + 1]; i++, k++) sum += weights[i] * power[k];
            mel[f] = sum;
        }
    }

    /**
     * The scalar twin of {@link #applyBatch} for one frame: the same fused multiply-adds in the same order, so the same
     * bits as that frame's lane (unlike {@link #apply}, which multiplies and adds apart). {@code power}: the frame's
     * bins; {@code mel[f]} gets filter f's energy.
     */
    public void applyOne(float[] power, float[] mel) {
        for (int f = 0; f < mels(); f++) {
            float sum = 0f;
            for (int i = start[f], k = firstBin[f]; i < start[f + 1]; i++, k++) sum = Math.fma(power[k], weights[i], sum);
            mel[f] = sum;
        }
    }

    /**
     * Mel energies of {@code lanes} frames at once: {@code power} is [bin][lane], {@code mel} becomes [mel][lane].
     * Each weight multiplies a whole row of frames: a broadcast and one fused multiply-add per vector.
     */
    public void applyBatch(float[] power, float[] mel) {
        int lanes = SPECIES.length();
        for (int f = 0; f < mels(); f++) {
            var sum = FloatVector.zero(SPECIES);
            for (int i = start[f], row = firstBin[f] * lanes; i < start[f + 1]; i++, row += lanes) {
                sum = FloatVector.fromArray(SPECIES, power, row).fma(FloatVector.broadcast(SPECIES, weights[i]), sum);
            }
            sum.intoArray(mel, f * lanes);
        }
    }
}
