package ser.bench;

import org.jtransforms.fft.FloatFFT_1D;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import ser.dsp.Fft;
import ser.dsp.MelConfig;
import ser.dsp.Stft;
import ser.dsp.Window;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One frame of the seed's STFT, per frame: take 1024 samples, apply the (640-point Hann, centred) window, real FFT,
 * power spectrum of 513 bins. Ours frame-batched ({@link Stft#powerSpectra}, {@code lanes} frames per call, SIMD
 * across frames), our scalar reference ({@link Fft#realForward}) and JTransforms 3.1 {@code FloatFFT_1D.realForward}.
 * Single-threaded; the score is nanoseconds per frame.
 *
 * <p>Seen on a shared, busy 2-core AVX-512 box (sample mode, medians): batched 546 ns, JTransforms 2,996 ns,
 * scalar reference 7,592 ns per frame.
 *
 * <pre>java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar FftBench</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FftBench {

    /** Frames per benchmark call: a multiple of every SIMD width, so the batched path does whole batches. */
    static final int FRAMES = 64;

    private final MelConfig config = MelConfig.seed();
    private final int n = config.nFft(), hop = config.hopLength();
    private float[] signal;
    private float[] window;
    private Stft stft;
    private Stft.Workspace workspace;
    private Fft fft;
    private FloatFFT_1D jtransforms;
    private float[] frame, re, im, power;

    @Setup
    public void setUp() {
        // Enough signal that frames 1..FRAMES+lanes lie inside it, away from the centred padding.
        signal = LogMelBench.speechLikeNoise((FRAMES + 64) * hop + 2 * n, new Random(7));
        window = Window.hannPeriodic(config.winLength(), n);
        stft = new Stft(config);
        workspace = stft.workspace();
        fft = new Fft(n);
        jtransforms = new FloatFFT_1D(n);
        frame = new float[n];
        re = new float[n / 2 + 1];
        im = new float[n / 2 + 1];
        power = new float[n / 2 + 1];
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void batched(Blackhole bh) {
        for (int first = 2; first < 2 + FRAMES; first += stft.lanes()) bh.consume(stft.powerSpectra(signal, first, workspace));
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void scalarReference(Blackhole bh) {
        for (int t = 2; t < 2 + FRAMES; t++) {
            windowed(t);
            fft.realForward(frame, re, im);
            for (int k = 0; k <= n / 2; k++) power[k] = re[k] * re[k] + im[k] * im[k];
            bh.consume(power);
        }
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void jtransforms(Blackhole bh) {
        for (int t = 2; t < 2 + FRAMES; t++) {
            windowed(t);
            jtransforms.realForward(frame);  // packed: [Re 0, Re n/2, Re 1, Im 1, Re 2, Im 2, ...]
            power[0] = frame[0] * frame[0];
            power[n / 2] = frame[1] * frame[1];
            for (int k = 1; k < n / 2; k++) power[k] = frame[2 * k] * frame[2 * k] + frame[2 * k + 1] * frame[2 * k + 1];
            bh.consume(power);
        }
    }

    /** Frame t of the centred STFT (t >= 2 lies wholly inside the signal), windowed, into {@code frame}. */
    private void windowed(int t) {
        int start = t * hop - n / 2;
        for (int i = 0; i < n; i++) frame[i] = signal[start + i] * window[i];
    }
}
