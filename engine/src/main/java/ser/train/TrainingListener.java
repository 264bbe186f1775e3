package ser.train;

import ser.run.EpochRecord;

/** What a trainer reports while it runs (for a progress bar); every method may be left empty. */
public interface TrainingListener {

    TrainingListener SILENT = new TrainingListener() {};

    /** Epoch {@code epoch} (from 1) of {@code epochs} starts, with {@code steps} steps, {@code done} of them already done. */
    default void epochStarted(int epoch, int epochs, int steps, int done) {}

    /** A step finished; the running mean loss and accuracy of the epoch so far. */
    default void stepFinished(double meanLoss, double accuracy) {}

    default void epochFinished(EpochRecord record, boolean best) {}
}
