package ser.autograd.kernels;

import java.util.Objects;
import ser.autograd.reference.ConvShape;
import ser.autograd.reference.GatedMixReference;
import ser.tensor.ForwardingOps;
import ser.tensor.Ops;
import ser.tensor.ScalarOps;
import ser.tensor.SimdOps;
import ser.tensor.Tensor;

/**
 * {@link TrainingOps} on the CPU: the {@link Ops} of a host backend ({@link SimdOps} or {@link ScalarOps}), and the
 * training kernels of a {@link Kernels} backend over the tensors' heap arrays. {@link #SIMD} is what a model
 * trains on unless told otherwise; {@link #REFERENCE}, the float64 references rounded, is the yardstick every
 * backend is tested against.
 */
public final class HostTrainingOps extends ForwardingOps implements TrainingOps {

    /** The vectorised kernels over {@link SimdOps}: the default. */
    public static final HostTrainingOps SIMD = new HostTrainingOps(new SimdOps(), Kernels.SIMD);
    /** The float64 references over {@link ScalarOps}: slow, the yardstick. */
    public static final HostTrainingOps REFERENCE = new HostTrainingOps(new ScalarOps(), Kernels.REFERENCE);

    private final Kernels kernels;

    public HostTrainingOps(Ops host, Kernels kernels) {
        super(host);
        if (!(host instanceof SimdOps || host instanceof ScalarOps)) {
            throw new IllegalArgumentException(host + " is not a host backend");
        }
        this.kernels = Objects.requireNonNull(kernels, "kernels");
    }

    /**
     * The training ops of {@code ops}: itself when it has them (a device backend), the host kernels beside a CPU
     * backend ({@link Kernels#REFERENCE} beside {@link ScalarOps}, else {@link Kernels#SIMD}); throws
     * {@link UnsupportedOperationException} for a backend that cannot train.
     */
    public static TrainingOps of(Ops ops) {
        if (ops instanceof TrainingOps t) return t;
        if (ops instanceof ScalarOps) return REFERENCE;
        if (ops instanceof SimdOps) return new HostTrainingOps(ops, Kernels.SIMD);
        throw new UnsupportedOperationException(ops + " has no training kernels");
    }

    /** {@link #SIMD} or {@link #REFERENCE} by its kernels' name ({@link Kernels#named}: {@code simd}, {@code reference}). */
    public static HostTrainingOps named(String name) {
        return Kernels.named(name) == Kernels.REFERENCE ? REFERENCE : SIMD;
    }

    /** The kernels these ops run on. */
    public Kernels kernels() { return kernels; }

    @Override public String toString() { return "HostTrainingOps[" + kernels.name() + "]"; }

    /** The pooling indices of the host: an int array. */
    record HostIndices(int[] values) implements Indices {
        @Override public int size() { return values.length; }
    }

    @Override
    public Indices indices(int size) { return new HostIndices(new int[size]); }

    /** The heap array of a dense tensor from element 0 (the kernels' layout); null for null. */
    static float[] array(Tensor t) {
        if (t == null) return null;
        float[] a = t.heapArray();
        if (a == null || !t.isContiguous() || t.offset() != 0 || a.length != t.size()) {
            throw new IllegalArgumentException("training kernels want a dense heap tensor from element 0, got " + t);
        }
        return a;
    }

    private static int[] ints(Indices i) {
        return ((HostIndices) i).values();
    }

    @Override
    public void linearForward(int n, int in, int out, Tensor x, Tensor w, Tensor b, Tensor y) {
        kernels.linearForward(n, in, out, array(x), array(w), array(b), array(y));
    }

    @Override
    public void linearBackward(int n, int in, int out, Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        kernels.linearBackward(n, in, out, array(x), array(w), array(dy), array(dx), array(dw), array(db));
    }

    @Override
    public void conv2dForward(ConvShape s, Tensor x, Tensor w, Tensor b, Tensor y) {
        kernels.conv2dForward(s, array(x), array(w), array(b), array(y));
    }

    @Override
    public void conv2dBackward(ConvShape s, Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        kernels.conv2dBackward(s, array(x), array(w), array(dy), array(dx), array(dw), array(db));
    }

    @Override
    public void batchNormTrain(int n, int c, int spatial, Tensor x, Tensor gamma, Tensor beta, float eps, Tensor y,
                               Tensor mean, Tensor var) {
        kernels.batchNormTrain(n, c, spatial, array(x), array(gamma), array(beta), eps, array(y), array(mean),
                array(var));
    }

    @Override
    public void batchNormEval(int n, int c, int spatial, Tensor x, Tensor gamma, Tensor beta, float eps, Tensor mean,
                              Tensor var, Tensor y) {
        kernels.batchNormEval(n, c, spatial, array(x), array(gamma), array(beta), eps, array(mean), array(var),
                array(y));
    }

    @Override
    public void batchNormBackward(int n, int c, int spatial, Tensor x, Tensor gamma, float eps, Tensor mean,
                                  Tensor var, Tensor dy, Tensor dx, Tensor dgamma, Tensor dbeta) {
        kernels.batchNormBackward(n, c, spatial, array(x), array(gamma), eps, array(mean), array(var), array(dy),
                array(dx), array(dgamma), array(dbeta));
    }

    @Override
    public void batchNormEvalBackward(int n, int c, int spatial, Tensor x, Tensor gamma, float eps, Tensor mean,
                                      Tensor var, Tensor dy, Tensor dx, Tensor dgamma, Tensor dbeta) {
        float[] xs = array(x), gm = array(gamma), mu = array(mean), vr = array(var), g = array(dy);
        float[] dxs = array(dx), dgm = array(dgamma), dbt = array(dbeta);
        java.util.Arrays.fill(dgm, 0f);
        java.util.Arrays.fill(dbt, 0f);
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                float inv = (float) (1 / Math.sqrt((double) vr[ch] + eps));
                for (int p = 0, at = (i * c + ch) * spatial; p < spatial; p++, at++) {
                    dxs[at] = g[at] * gm[ch] * inv;
                    dgm[ch] += g[at] * (xs[at] - mu[ch]) * inv;
                    dbt[ch] += g[at];
                }
            }
        }
    }

    @Override
    public void updateRunningStats(Tensor runningMean, Tensor runningVar, Tensor mean, Tensor var, float momentum,
                                   long count) {
        float[] rm = array(runningMean), rv = array(runningVar), m = array(mean), v = array(var);
        for (int ch = 0; ch < m.length; ch++) {
            rm[ch] = (1 - momentum) * rm[ch] + momentum * m[ch];
            rv[ch] = (1 - momentum) * rv[ch] + momentum * v[ch] * count / (count - 1);
        }
    }

    @Override
    public void batchNormPoolReluTrain(int n, int c, int h, int w, Tensor x, Tensor gamma, Tensor beta, float eps,
                                       Tensor y, Indices from, Tensor mean, Tensor var) {
        kernels.batchNormPoolReluTrain(n, c, h, w, array(x), array(gamma), array(beta), eps, array(y), ints(from),
                array(mean), array(var));
    }

    @Override
    public void batchNormPoolReluEval(int n, int c, int h, int w, Tensor x, Tensor gamma, Tensor beta, float eps,
                                      Tensor mean, Tensor var, Tensor y) {
        kernels.batchNormPoolReluEval(n, c, h, w, array(x), array(gamma), array(beta), eps, array(mean), array(var),
                array(y));
    }

    @Override
    public void batchNormPoolReluBackward(int n, int c, int h, int w, Tensor x, Tensor gamma, float eps, Tensor mean,
                                          Tensor var, Tensor y, Indices from, Tensor dy, Tensor dx, Tensor dgamma,
                                          Tensor dbeta) {
        kernels.batchNormPoolReluBackward(n, c, h, w, array(x), array(gamma), eps, array(mean), array(var), array(y),
                ints(from), array(dy), array(dx), array(dgamma), array(dbeta));
    }

    @Override
    public void convBlockBackward(ConvShape s, Tensor x, Tensor w, Tensor conv, Tensor gamma, float eps, Tensor mean,
                                  Tensor var, Tensor y, Indices from, Tensor dy, Tensor dx, Tensor dw, Tensor db,
                                  Tensor dgamma, Tensor dbeta) {
        kernels.convBlockBackward(s, array(x), array(w), array(conv), array(gamma), eps, array(mean), array(var),
                array(y), ints(from), array(dy), array(dx), array(dw), array(db), array(dgamma), array(dbeta));
    }

    @Override
    public void maxPoolForward(int n, int c, int h, int w, int kernel, int stride, Tensor x, Tensor y, Indices from) {
        kernels.maxPoolForward(n, c, h, w, kernel, stride, array(x), array(y), ints(from));
    }

    @Override
    public void maxPoolBackward(int n, int c, int h, int w, int kernel, int stride, Tensor x, Indices from,
                                Tensor dy, Tensor dx) {
        kernels.maxPoolBackward(n, c, h, w, kernel, stride, array(x), ints(from), array(dy), array(dx));
    }

    @Override public void reluForward(Tensor x, Tensor y) { kernels.reluForward(array(x), array(y)); }

    @Override public void reluBackward(Tensor x, Tensor dy, Tensor dx) { kernels.reluBackward(array(x), array(dy), array(dx)); }

    @Override public void geluForward(Tensor x, Tensor y) { kernels.geluForward(array(x), array(y)); }

    @Override public void geluBackward(Tensor x, Tensor dy, Tensor dx) { kernels.geluBackward(array(x), array(dy), array(dx)); }

    @Override
    public void tanhForward(Tensor x, Tensor y) {
        float[] in = array(x), out = array(y);
        for (int i = 0; i < in.length; i++) out[i] = (float) Math.tanh(in[i]);
    }

    @Override
    public void tanhBackward(Tensor y, Tensor dy, Tensor dx) {
        float[] ys = array(y), g = array(dy), out = array(dx);
        for (int i = 0; i < ys.length; i++) out[i] = g[i] * (1 - ys[i] * ys[i]);
    }

    @Override public void dropoutForward(Tensor x, Tensor mask, Tensor y) { kernels.dropoutForward(array(x), array(mask), array(y)); }

    @Override public void dropoutBackward(Tensor mask, Tensor dy, Tensor dx) { kernels.dropoutBackward(array(mask), array(dy), array(dx)); }

    @Override
    public void gatedMixForward(Tensor z, Tensor a, Tensor b, Tensor gate, Tensor y) {
        float[] zs = array(z), as = array(a), bs = array(b), gs = array(gate), ys = array(y);
        for (int i = 0; i < ys.length; i++) {
            gs[i] = (float) GatedMixReference.sigmoid(zs[i]);
            ys[i] = gs[i] * as[i] + (1 - gs[i]) * bs[i];
        }
    }

    @Override
    public void gatedMixBackward(Tensor gate, Tensor a, Tensor b, Tensor dy, Tensor dz, Tensor da, Tensor db) {
        float[] gs = array(gate), as = array(a), bs = array(b), g = array(dy);
        float[] dzs = array(dz), das = array(da), dbs = array(db);
        for (int i = 0; i < g.length; i++) {
            das[i] = gs[i] * g[i];
            dbs[i] = (1 - gs[i]) * g[i];
            dzs[i] = g[i] * (as[i] - bs[i]) * gs[i] * (1 - gs[i]);
        }
    }

    @Override
    public void timeMeanForward(int n, int t, int d, Tensor x, Tensor mask, Tensor y) {
        kernels.timeMeanForward(n, t, d, array(x), array(mask), array(y));
    }

    @Override
    public void timeMeanBackward(int n, int t, int d, Tensor mask, Tensor dy, Tensor dx) {
        kernels.timeMeanBackward(n, t, d, array(mask), array(dy), array(dx));
    }

    @Override
    public void layerMixForward(int n, int layers, int rest, Tensor x, double[] p, Tensor y) {
        float[] in = array(x), out = array(y);
        Parallel.forEachChunk(n, (chunk, from, to) -> {
            for (int i = from; i < to; i++) {
                java.util.Arrays.fill(out, i * rest, (i + 1) * rest, 0f);
                for (int l = 0; l < layers; l++) {
                    float pl = (float) p[l];
                    int src = (i * layers + l) * rest, dst = i * rest;
                    for (int r = 0; r < rest; r++) out[dst + r] += pl * in[src + r];
                }
            }
        });
    }

    @Override
    public void layerMixBackward(int n, int layers, int rest, Tensor x, double[] p, Tensor dy, Tensor dx, double[] dp) {
        float[] in = array(x), g = array(dy), out = array(dx);
        double[][] perExample = new double[n][layers];
        Parallel.forEachChunk(n, (chunk, from, to) -> {
            for (int i = from; i < to; i++) {
                for (int l = 0; l < layers; l++) {
                    float pl = (float) p[l];
                    int src = (i * layers + l) * rest, at = i * rest;
                    double dot = 0;
                    for (int r = 0; r < rest; r++) dot += (double) g[at + r] * in[src + r];
                    perExample[i][l] = dot;
                    if (out != null) for (int r = 0; r < rest; r++) out[src + r] = pl * g[at + r];
                }
            }
        });
        java.util.Arrays.fill(dp, 0);
        for (double[] e : perExample) for (int l = 0; l < layers; l++) dp[l] += e[l];
    }

    @Override
    public float crossEntropyForward(int n, int c, Tensor logits, int[] targets, float[] weights, double smoothing) {
        return kernels.crossEntropyForward(n, c, array(logits), targets, weights, smoothing);
    }

    @Override
    public void crossEntropyBackward(int n, int c, Tensor logits, int[] targets, float[] weights, double smoothing,
                                     float upstream, Tensor dlogits) {
        kernels.crossEntropyBackward(n, c, array(logits), targets, weights, smoothing, upstream, array(dlogits));
    }

    @Override
    public void adamStep(Tensor weights, Tensor gradient, Tensor firstMoment, Tensor secondMoment, AdamStep s) {
        float[] w = array(weights), g = array(gradient), m = array(firstMoment), v = array(secondMoment);
        for (int i = 0; i < w.length; i++) {
            float grad = g[i];
            if (s.decoupled()) w[i] *= s.decay();
            else if (s.weightDecay() != 0) grad += s.weightDecay() * w[i];
            m[i] = m[i] * s.beta1() + (1 - s.beta1()) * grad;
            v[i] = v[i] * s.beta2() + (1 - s.beta2()) * grad * grad;
            float denom = (float) (Math.sqrt(v[i]) / s.correction2Root()) + s.eps();
            w[i] -= s.stepSize() * m[i] / denom;
        }
    }

    @Override
    public void sgdStep(Tensor weights, Tensor gradient, Tensor momentum, SgdStep s) {
        float[] w = array(weights), g = array(gradient), buf = array(momentum);
        for (int i = 0; i < w.length; i++) {
            float d = g[i];
            if (s.weightDecay() != 0) d += s.weightDecay() * w[i];
            if (s.momentum() != 0) {
                buf[i] = s.first() ? d : buf[i] * s.momentum() + (1 - s.dampening()) * d;
                d = s.nesterov() ? d + s.momentum() * buf[i] : buf[i];
            }
            w[i] -= s.lr() * d;
        }
    }

    @Override
    public double sumOfSquares(Tensor gradient) {
        double squares = 0;
        for (float g : array(gradient)) squares += (double) g * g;
        return squares;
    }
}
