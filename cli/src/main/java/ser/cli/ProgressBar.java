package ser.cli;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long job on stderr: {@code features [######......] 480/1200  40%  35.2/s  ETA 0:20}.
 *
 * <p>On a terminal the line is redrawn in place ({@code \r}) at most ten times a second. Into a file or a
 * pipe (a CI log), where carriage returns would pile up, it prints one line each time another tenth is done.
 * {@link #step} may be called from any thread.
 */
public final class ProgressBar {

    private static final int WIDTH = 24;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final String what;
    private final long total;
    private final PrintStream out;
    private final boolean interactive;
    private final LongSupplier nanoClock;
    private final long start;
    private long done;
    private long lastDraw;
    private long lastTenth;
    private boolean finished;
    private String status = "";

    ProgressBar(String what, long total, PrintStream out, boolean interactive, LongSupplier nanoClock) {
        this.what = what;
        this.total = total;
        this.out = out;
        this.interactive = interactive;
        this.nanoClock = nanoClock;
        this.start = nanoClock.getAsLong();
        this.lastDraw = start - REDRAW_NANOS; // the first step draws
    }

    /** A bar on stderr, redrawn in place when stderr is a terminal. */
    public static ProgressBar onStderr(String what, long total) {
        Console console = System.console();
        // Since JDK 22 System.console() exists even when redirected; isTerminal() tells a real terminal.
        boolean terminal = console != null && console.isTerminal();
        return new ProgressBar(what, total, System.err, terminal, System::nanoTime);
    }

    public synchronized void step() {
        done++;
        long now = nanoClock.getAsLong();
        if (interactive) {
            if (done == total || now - lastDraw >= REDRAW_NANOS) {
                out.print('\r' + line(now));
                out.flush();
                lastDraw = now;
            }
        } else if (total > 0 && done * 10 / total > lastTenth) {
            lastTenth = done * 10 / total;
            out.println(line(now));
        }
    }

    /** Text shown after the counts from the next redraw on (a running loss, say); empty for none. */
    public synchronized void status(String text) {
        status = text;
    }

    /**
     * Ends the bar's line; call when the work is over, also when it stopped early. A bar that never moved (the
     * work failed before its first step) prints nothing, so the error is not preceded by an empty bar.
     */
    public synchronized void finish() {
        if (finished || (done == 0 && total > 0)) return;
        finished = true;
        if (interactive) out.println('\r' + line(nanoClock.getAsLong()));
        else if (total == 0 || done < total) out.println(line(nanoClock.getAsLong())); // else 100 % is already out
        out.flush();
    }

    String line(long now) {
        double seconds = (now - start) / 1e9;
        int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        long percent = total == 0 ? 100 : 100 * done / total;
        String rate = seconds > 0 && done > 0 ? String.format(Locale.ROOT, "%.1f/s", done / seconds) : "-/s";
        String eta = seconds > 0 && done > 0 ? duration((long) Math.ceil((total - done) * seconds / done)) : "-:--";
        return "%s [%s] %d/%d %3d%%  %s  ETA %s%s".formatted(what, bar, done, total, percent, rate, eta,
                status.isEmpty() ? "" : "  " + status);
    }

    static String duration(long seconds) {
        long h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60;
        return h > 0 ? "%d:%02d:%02d".formatted(h, m, s) : "%d:%02d".formatted(m, s);
    }
}
