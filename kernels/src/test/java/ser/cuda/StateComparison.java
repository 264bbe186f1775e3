package ser.cuda;

import ser.hubert.HubertOutput;

import java.util.ArrayList;
import java.util.List;

/**
 * Two runs' hidden states compared state by state: for each state, the worst |expected - actual| over the whole
 * [batch, frames, dim] tensor (padded rows included, as the CPU engine's fixture tests compare them) against
 * that state's largest |expected|. The comparison passes when every state is within {@code tolerance}.
 */
public record StateComparison(String name, List<Check> states, double tolerance) {

    public static StateComparison of(String name, HubertOutput expected, HubertOutput actual, double tolerance) {
        return of(name, expected.hiddenStates(), actual.hiddenStates(), tolerance);
    }

    public static StateComparison of(String name, ser.tensor.Tensor expected, ser.tensor.Tensor actual, double tolerance) {
        if (!java.util.Arrays.equals(expected.shape(), actual.shape())) {
            throw new IllegalArgumentException(name + ": shapes " + java.util.Arrays.toString(expected.shape()) + " and "
                    + java.util.Arrays.toString(actual.shape()));
        }
        List<Check> states = new ArrayList<>();
        for (int l = 0; l < expected.dim(0); l++) {
            states.add(Check.compare(name + " state " + l, expected.select(0, l).toArray(),
                    actual.select(0, l).toArray(), tolerance));
        }
        return new StateComparison(name, states, tolerance);
    }

    /** The state with the largest relative error (a NaN counts as the largest). */
    public Check worst() {
        Check w = states.getFirst();
        for (Check c : states) if (!(c.relative() <= w.relative())) w = c;
        return w;
    }

    public boolean passed() {
        return states.stream().allMatch(Check::passed);
    }

    public String line() {
        Check w = worst();
        return String.format("%-4s %-62s worst state %s: rel %.3e (max|err| %.3e, max|ref| %.3e; tol %.0e, %d states)",
                passed() ? "ok" : "FAIL", name, w.name().substring(w.name().lastIndexOf(' ') + 1), w.relative(),
                w.maxAbsError(), w.referenceMaxAbs(), tolerance, states.size());
    }
}
