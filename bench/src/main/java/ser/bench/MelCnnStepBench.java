package ser.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import ser.autograd.CrossEntropy;
import ser.autograd.GradMode;
import ser.autograd.Variable;
import ser.autograd.kernels.HostTrainingOps;
import ser.autograd.kernels.TrainingOps;
import ser.nn.MelCnn;
import ser.tensor.Tensor;
import ser.train.optim.Adam;

/**
 * One Mel CNN training step (forward, cross-entropy, backward, Adam) and one inference batch, on the vectorised
 * kernels and on the scalar double-precision references in the same run: the models are built on the backend the
 * {@code kernels} parameter names ({@link HostTrainingOps#named}). Compare with {@code bench/scripts/time_pytorch_melcnn.py}
 * (PyTorch 1.13, 2 threads) at the same batch.
 *
 * <p>The references take minutes per step at batch 128; for a quick side-by-side use a small batch:
 * {@code -p batch=8}. Threads: {@code -jvmArgsAppend -Dser.threads=2}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// A pre-touched heap: without it every 300 MB activation lands on fresh pages, and the page faults, not the
// arithmetic, decide the allocation cost (about 4× slower here).
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms6g", "-Xmx6g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 6, time = 1) // a step is about a second: C2 takes some six steps to settle (939 → 833 ms over five measured ones with two)
@Measurement(iterations = 8, time = 1)
public class MelCnnStepBench {

    @Param({"simd", "reference"})
    public String kernels;

    @Param({"128"})
    public int batch;

    private MelCnn training, inference;
    private Adam adam;
    private Variable input;
    private int[] targets;

    @Setup(Level.Trial)
    public void setUp() {
        TrainingOps backend = HostTrainingOps.named(kernels);
        SplittableRandom random = new SplittableRandom(1);
        training = new MelCnn(4, random);
        training.to(backend);
        inference = new MelCnn(4, random);
        inference.to(backend).eval();
        adam = new Adam(training.parameters(), 1e-3);
        float[] x = new float[batch * MelCnn.MELS * MelCnn.FRAMES];
        for (int i = 0; i < x.length; i++) x[i] = (float) (-40 + 20 * random.nextGaussian());
        input = Variable.constant(Tensor.wrap(x, batch, 1, MelCnn.MELS, MelCnn.FRAMES));
        targets = new int[batch];
        for (int i = 0; i < batch; i++) targets[i] = i % 4;
    }

    @Benchmark
    public float trainStep() {
        adam.zeroGrad();
        Variable loss = CrossEntropy.loss(training.ops(), training.forward(input), targets, null, 0);
        loss.backward();
        adam.step();
        return loss.array()[0];
    }

    @Benchmark
    public Variable inferenceBatch() {
        try (var off = GradMode.noGrad()) {
            return inference.forward(input);
        }
    }
}
