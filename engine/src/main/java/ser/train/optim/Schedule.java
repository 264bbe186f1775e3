package ser.train.optim;

/**
 * A learning rate per optimiser step (counted from 0). Every schedule here starts with an optional linear
 * warm-up, {@code peak·(step + 1)/warmup} for the first {@code warmup} steps; the decay that follows counts its
 * steps from the end of the warm-up.
 */
@FunctionalInterface
public interface Schedule {

    double at(int step);

    static Schedule constant(double lr, int warmup) {
        return withWarmup(lr, warmup, s -> lr);
    }

    /** {@code lr·gamma^⌊s/every⌋}, as {@code StepLR}. */
    static Schedule step(double lr, int every, double gamma, int warmup) {
        if (every < 1) throw new IllegalArgumentException("step schedule needs a period >= 1, got " + every);
        return withWarmup(lr, warmup, s -> lr * Math.pow(gamma, s / every));
    }

    /** Half a cosine from {@code lr} down to {@code minLr} over the steps after warm-up, then {@code minLr}. */
    static Schedule cosine(double lr, int totalSteps, double minLr, int warmup) {
        int decaySteps = Math.max(1, totalSteps - warmup);
        return withWarmup(lr, warmup, s -> {
            double progress = Math.min(1.0, (double) s / decaySteps);
            return minLr + (lr - minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
        });
    }

    private static Schedule withWarmup(double lr, int warmup, Schedule after) {
        if (warmup < 0) throw new IllegalArgumentException("warm-up steps must be >= 0, got " + warmup);
        return s -> s < warmup ? lr * (s + 1) / warmup : after.at(s - warmup);
    }
}
