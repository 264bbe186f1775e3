package ser.bench;

import ser.audio.MonoSamples;
import ser.features.HubertChunks;
import ser.hubert.Hubert;
import ser.hubert.HubertConfig;
import ser.hubert.HubertOutput;
import ser.tensor.Parallel;
import ser.tensor.SimdOps;
import ser.tensor.Tensor;

import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The seam of chunked HuBERT ({@link HubertChunks}): every hidden state of a synthetic speech-like clip, chunked
 * under several chunk/overlap settings, against one whole-file pass, on random weights. Prints a Markdown table
 * (the one in docs/streaming.md).
 *
 * <pre>java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar ser.bench.HubertChunkSeam [base|small] [seconds 30] [threads 2] [C:O ...]</pre>
 * Default settings: 5:0 5:1 5:2.5 10:1 10:2.5 10:5 15:5 (seconds of core and of overlap each side), each also
 * as C:O:own, every chunk normalised by its own statistics instead of the recording's ({@link ser.hubert.RecordingStats}).
 */
public final class HubertChunkSeam {

    public static void main(String[] args) {
        String model = args.length > 0 ? args[0] : "base";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 30;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        String[] settings = args.length > 3 ? java.util.Arrays.copyOfRange(args, 3, args.length)
                : new String[] {"5:0:own", "5:0", "5:1:own", "5:1", "5:2.5", "10:1:own", "10:1", "10:2.5", "10:5:own", "10:5", "15:5"};
        HubertConfig config = model.equals("small") ? small() : HubertConfig.base();
        float[] clip = speechLike((int) Math.round(seconds * 16_000), 7);
        try (Parallel pool = new Parallel(threads)) {
            Hubert hubert = new Hubert(config, RandomWeights.of(2), new SimdOps(pool), pool);
            int[] states = IntStream.rangeClosed(0, config.layers()).toArray();
            long t0 = System.nanoTime();
            Tensor whole = hubert.forwardEach(List.of(clip), states).embedding(0, states, HubertOutput.Pool.NONE);
            double wholeSeconds = (System.nanoTime() - t0) / 1e9;
            Tensor wholeMean = mean(whole);
            System.out.printf(Locale.ROOT, "%s HuBERT (random weights), %.0f s synthetic clip, %d frames; whole-file pass %.1f s%n%n",
                    model, seconds, whole.dim(1), wholeSeconds);
            System.out.println("| chunk s | overlap s | norm stats | chunks | frames: max abs err | frames: max abs err / max abs | "
                    + "frames: worst-state rel. L2 (state) | last state rel. L2 | pooled: max abs err | pooled: worst-state rel. L2 | time s |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
            for (String setting : settings) {
                String[] co = setting.split(":");
                double c = Double.parseDouble(co[0]), o = Double.parseDouble(co[1]);
                boolean own = co.length > 2 && co[2].equals("own");
                HubertChunks.Plan plan = HubertChunks.Plan.seconds(config, c, o).withRecordingStats(!own);
                long t1 = System.nanoTime();
                Tensor chunked, chunkedMean;
                try (MonoSamples s = MonoSamples.of(null, clip)) {
                    chunked = HubertChunks.embedding(hubert, s, plan, states, HubertOutput.Pool.NONE);
                }
                double time = (System.nanoTime() - t1) / 1e9;
                chunkedMean = mean(chunked);
                Error frames = Error.of(whole, chunked, states.length), pooled = Error.of(wholeMean, chunkedMean, states.length);
                long chunks = (whole.dim(1) + plan.chunkFrames() - 1) / plan.chunkFrames();
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %d | %.3g | %.3g | %.3g (%d) | %.3g | %.3g | %.3g | %.1f |%n", co[0], co[1], own ? "chunk" : "recording", chunks,
                        frames.maxAbs, frames.maxAbs / frames.refMaxAbs, frames.worstRel, frames.worstState, frames.lastRel, pooled.maxAbs,
                        pooled.worstRel, time);
            }
        }
    }

    /** [states, frames, d] averaged over frames in double, as {@link HubertOutput#embedding} pools. */
    static Tensor mean(Tensor states) {
        int n = states.dim(0), frames = states.dim(1), d = states.dim(2);
        float[] a = states.contiguous().toArray(), out = new float[n * d];
        for (int i = 0; i < n; i++) {
            double[] sum = new double[d];
            for (int t = 0; t < frames; t++) for (int j = 0; j < d; j++) sum[j] += a[(i * frames + t) * d + j];
            for (int j = 0; j < d; j++) out[i * d + j] = (float) (sum[j] / frames);
        }
        return Tensor.wrap(out, n, d);
    }

    /** Max abs error, the reference's max abs value, and relative L2 error per state (worst, and the last). */
    record Error(double maxAbs, double refMaxAbs, double worstRel, double lastRel, int worstState) {
        static Error of(Tensor ref, Tensor got, int states) {
            float[] a = ref.contiguous().toArray(), b = got.contiguous().toArray();
            if (a.length != b.length) throw new IllegalStateException("shapes differ: " + a.length + " vs " + b.length);
            int per = a.length / states;
            double maxAbs = 0, refMax = 0, worst = 0, last = 0;
            int worstState = 0;
            for (int s = 0; s < states; s++) {
                double num = 0, den = 0;
                for (int i = s * per; i < (s + 1) * per; i++) {
                    double d = a[i] - b[i];
                    maxAbs = Math.max(maxAbs, Math.abs(d));
                    refMax = Math.max(refMax, Math.abs(a[i]));
                    num += d * d;
                    den += (double) a[i] * a[i];
                }
                double rel = Math.sqrt(num / den);
                if (rel > worst) {
                    worst = rel;
                    worstState = s;
                }
                if (s == states - 1) last = rel;
            }
            return new Error(maxAbs, refMax, worst, last, worstState);
        }
    }

    /** A small model with the released models' conv strides and kernels (320-sample hop, 400-sample field). */
    static HubertConfig small() {
        int[] channels = {64, 64, 64, 64, 64, 64, 64};
        return new HubertConfig(channels, new int[] {10, 3, 3, 3, 3, 2, 2}, new int[] {5, 2, 2, 2, 2, 2, 2}, false,
                HubertConfig.FeatureNorm.GROUP, 96, 3, 4, 192, 32, 4, false, true, 1e-5f, false);
    }

    /**
     * A speech-like signal: voiced stretches (a gliding 90-250 Hz fundamental and its harmonics, shaped by a
     * 4 Hz syllable envelope), fricative noise bursts, and pauses; deterministic for {@code seed}.
     */
    static float[] speechLike(int n, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] x = new float[n];
        double phase = 0;
        int at = 0;
        while (at < n) {
            int len = (int) (16_000 * (0.15 + 0.35 * r.nextDouble()));
            int kind = r.nextInt(10);  // 0-5 voiced, 6-7 noise, 8-9 pause
            double f0 = 90 + 160 * r.nextDouble(), glide = (r.nextDouble() - 0.5) * 80, amp = 0.1 + 0.3 * r.nextDouble();
            for (int i = 0; i < len && at + i < n; i++) {
                double t = i / 16_000.0, env = Math.sin(Math.PI * i / len);
                double v;
                if (kind <= 5) {
                    phase += 2 * Math.PI * (f0 + glide * t) / 16_000;
                    v = 0;
                    for (int h = 1; h <= 12; h++) v += Math.sin(h * phase) / h;
                    v *= 0.4;
                } else if (kind <= 7) {
                    v = (r.nextDouble() - 0.5) * 0.6;
                } else {
                    v = (r.nextDouble() - 0.5) * 0.002;
                }
                x[at + i] = (float) (amp * env * v);
            }
            at += len;
        }
        return x;
    }
}
