package ser.cli;

import ser.Progress;
import ser.run.EpochRecord;
import ser.train.TrainingListener;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The trainer's reports as a line per epoch, and on a terminal also a progress bar through each epoch with the
 * running loss and accuracy (in a log file those bars would only repeat the epoch lines).
 */
final class TrainingProgress implements TrainingListener, Progress.Factory {

    private final PrintStream out;
    private final boolean terminal = System.console() != null && System.console().isTerminal();
    private ProgressBar bar;

    TrainingProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public Progress start(String what, long total) {
        ProgressBar b = ProgressBar.onStderr(what, total);
        return new Progress() {
            @Override
            public void step() {
                b.step();
            }

            @Override
            public void finish() {
                b.finish();
            }
        };
    }

    @Override
    public void epochStarted(int epoch, int epochs, int steps, int done) {
        if (terminal) bar = ProgressBar.onStderr("epoch " + epoch + "/" + epochs, steps - done);
    }

    @Override
    public void stepFinished(double meanLoss, double accuracy) {
        if (bar == null) return;
        bar.status(String.format(Locale.ROOT, "loss %.4f acc %.3f", meanLoss, accuracy));
        bar.step();
    }

    @Override
    public void epochFinished(EpochRecord r, boolean best) {
        if (bar != null) bar.finish();
        out.printf(Locale.ROOT, "epoch %d: train loss %.4f acc %.3f | val loss %.4f acc %.3f uar %.3f | %.1f s%s%n",
                r.epoch(), r.trainLoss(), r.trainAccuracy(), r.valLoss(), r.valAccuracy(), r.valUar(), r.seconds(),
                best ? "  *" : "");
    }
}
