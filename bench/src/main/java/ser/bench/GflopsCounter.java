package ser.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counts the floating-point work a benchmark does, so that JMH reports it as a rate beside the score: a
 * benchmark takes it as a parameter and adds its analytic GFLOP per call to {@link #gflops}.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class GflopsCounter {

    public double gflops;

    @Setup(Level.Iteration)
    public void reset() {
        gflops = 0;
    }
}
