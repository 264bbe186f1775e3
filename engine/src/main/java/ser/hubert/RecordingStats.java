package ser.hubert;

/**
 * What a whole-file pass normalises by, taken over a whole recording so that a chunk of it can be normalised the
 * same way: the samples' mean and variance (the waveform normalisation of models with do_normalize) and the second
 * moments of the first conv's windows (its group norm, in base models: each channel's mean and variance over time
 * are linear and quadratic in the windows, see {@link GroupNormConv}). Collected in one pass over the samples, in
 * double, by an {@link Accumulator}; given to {@link Hubert#forwardEach(java.util.List, int[], RecordingStats)}.
 *
 * <p>With them, a chunk's feature encoder computes the whole-file pass's frames up to rounding (the moments are
 * summed in double here, in float there); what remains of the seam is the transformer's (attention and the
 * positional conv see the chunk only).
 */
public final class RecordingStats {

    private final int kernel;
    private final float centre;        // what the group-norm conv subtracts from each window sample
    private final double scale;        // do_normalize: 1 / sqrt(var + 1e-7); else 1
    private final double sampleMean;
    private final double[] moments;    // [k + 1, k + 1] second moments of [centred window, 1]

    private RecordingStats(int kernel, float centre, double scale, double sampleMean, double[] moments) {
        this.kernel = kernel;
        this.centre = centre;
        this.scale = scale;
        this.sampleMean = sampleMean;
        this.moments = moments;
    }

    /** An accumulator for a model of shape {@code config}: samples in order, and first-conv windows. */
    public static Accumulator accumulate(HubertConfig config) {
        return new Accumulator(config);
    }

    /** The first conv's kernel and stride, whose windows {@link Accumulator#addWindows} takes. */
    public static int firstKernel(HubertConfig config) {
        return config.convKernels()[0];
    }

    public static int firstStride(HubertConfig config) {
        return config.convStrides()[0];
    }

    /** A clip normalised with the recording's mean and variance, as {@link Waveforms#normalised} does with its own. */
    float[] normalised(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (float) ((x[i] - sampleMean) * scale);
        return out;
    }

    float centre() {
        return centre;
    }

    /** The [k + 1, k + 1] moments {@link GroupNormConv} folds into its weights. */
    double[] moments(int kernel) {
        if (kernel != this.kernel) throw new IllegalArgumentException("stats of windows of " + this.kernel + ", not " + kernel);
        return moments;
    }

    /** Sums over a recording's samples and first-conv windows. */
    public static final class Accumulator {
        private final HubertConfig config;
        private final int k, stride;
        private long samples, windows;
        private double sum, sumSquares;
        private final double[] s1;
        private final double[] s2;

        private Accumulator(HubertConfig config) {
            this.config = config;
            this.k = firstKernel(config);
            this.stride = firstStride(config);
            this.s1 = new double[k];
            this.s2 = new double[k * k];
        }

        /** Samples {@code x[0 .. count)}, the next ones of the recording: each sample of it exactly once. */
        public void addSamples(float[] x, int count) {
            for (int i = 0; i < count; i++) {
                sum += x[i];
                sumSquares += (double) x[i] * x[i];
            }
            samples += count;
        }

        /** First-conv windows {@code t}: samples {@code x[t·stride .. t·stride + k)} for t in [0, count); each window once. */
        public void addWindows(float[] x, int count) {
            for (int t = 0; t < count; t++) {
                int at = t * stride;
                for (int i = 0; i < k; i++) {
                    double xi = x[at + i];
                    s1[i] += xi;
                    for (int j = i; j < k; j++) s2[i * k + j] += xi * x[at + j];
                }
            }
            windows += count;
        }

        public RecordingStats finish() {
            if (samples == 0 || windows == 0) throw new IllegalStateException("no samples or windows");
            double mean = sum / samples;
            double variance = Math.max(0, sumSquares / samples - mean * mean);
            boolean normalise = config.doNormalize();
            double a = normalise ? 1 / Math.sqrt(variance + 1e-7) : 1;
            // Windows of the encoder's input x' = (x - mean)·a (a = 1 and nothing subtracted without normalisation),
            // centred on the input's mean: 0 with normalisation, the sample mean without.
            float centre = normalise ? 0f : (float) mean;
            double shift = normalise ? mean : centre;  // in raw units: what x - shift centres on
            int k1 = k + 1;
            double[] m = new double[k1 * k1];
            double n = windows;
            for (int i = 0; i < k; i++) {
                double mi = s1[i] / n - shift;
                m[k * k1 + i] = a * mi;
                m[i * k1 + k] = a * mi;
                for (int j = i; j < k; j++) {
                    double e = s2[i * k + j] / n - shift * (s1[i] + s1[j]) / n + shift * shift;
                    m[i * k1 + j] = a * a * e;
                    m[j * k1 + i] = a * a * e;
                }
            }
            m[k * k1 + k] = 1;
            return new RecordingStats(k, centre, a, normalise ? mean : 0, m);
        }
    }
}
