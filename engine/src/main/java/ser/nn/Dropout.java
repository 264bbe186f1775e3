package ser.nn;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import ser.autograd.DropoutOp;
import ser.autograd.Variable;

/** Inverted dropout, active in training mode only; its own generator is seeded from the model's at construction. */
public final class Dropout extends Module {

    private final float p;
    private final SplittableRandom random;

    public Dropout(float p, RandomGenerator seeds) {
        if (p < 0 || p >= 1) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        this.p = p;
        this.random = new SplittableRandom(seeds.nextLong());
    }

    @Override
    public Variable forward(Variable x) {
        return isTraining() && p > 0 ? DropoutOp.apply(ops(), x, p, random) : x;
    }
}
