package ser.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fp32 FMA peak of one core as the Vector API reaches it: 12 independent {@code FloatVector.fma} chains
 * that live in registers, with no memory traffic. Twelve chains cover the FMA latency (4 cycles) on two FMA
 * ports with room to spare, and still fit AVX2's 16 registers. The {@code gflops} counter is the peak against
 * which {@link GemmBench} is judged (2 flops per lane per FMA).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PeakFlopsBench {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12, STEPS = 1 << 20;
    private static final double GFLOP_PER_CALL = 2.0 * CHAINS * SPECIES.length() * STEPS / 1e9;

    /** Inputs the JIT cannot see as constants, so that it cannot fold the chains. */
    @State(Scope.Thread)
    public static class Inputs {
        float start = 1f, factor = 0.999999f, step = 1e-7f;
    }

    @Benchmark
    public float fmaChains(Inputs in, GflopsCounter f) {
        FloatVector m = FloatVector.broadcast(SPECIES, in.factor), s = FloatVector.broadcast(SPECIES, in.step);
        FloatVector a0 = FloatVector.broadcast(SPECIES, in.start), a1 = a0.add(s), a2 = a1.add(s), a3 = a2.add(s);
        FloatVector a4 = a3.add(s), a5 = a4.add(s), a6 = a5.add(s), a7 = a6.add(s);
        FloatVector a8 = a7.add(s), a9 = a8.add(s), a10 = a9.add(s), a11 = a10.add(s);
        for (int i = 0; i < STEPS; i++) {
            a0 = a0.fma(m, s); a1 = a1.fma(m, s); a2 = a2.fma(m, s); a3 = a3.fma(m, s);
            a4 = a4.fma(m, s); a5 = a5.fma(m, s); a6 = a6.fma(m, s); a7 = a7.fma(m, s);
            a8 = a8.fma(m, s); a9 = a9.fma(m, s); a10 = a10.fma(m, s); a11 = a11.fma(m, s);
        }
        f.gflops += GFLOP_PER_CALL;
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
