package ser.model;

import ser.autograd.DropoutOp;
import ser.autograd.Variable;
import ser.nn.Module;

import java.util.SplittableRandom;

/**
 * Inverted dropout whose masks come from a generator the trainer reseeds before every step, from the run seed,
 * the epoch and the step. The masks of step k then do not depend on how many steps this process has run, which
 * is what lets a resumed run draw exactly the masks of an unbroken one.
 */
final class StepDropout extends Module {

    private final float p;
    private SplittableRandom random = new SplittableRandom(0);

    StepDropout(float p) {
        if (p < 0 || p >= 1) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        this.p = p;
    }

    void reseed(long seed) {
        random = new SplittableRandom(seed);
    }

    @Override
    public Variable forward(Variable x) {
        return isTraining() ? DropoutOp.apply(ops(), x, p, random) : x;
    }
}
