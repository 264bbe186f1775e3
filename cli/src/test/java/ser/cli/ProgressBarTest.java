package ser.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/** Time is a fake clock the test advances, so nothing here depends on how fast the machine is. */
class ProgressBarTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private long now;

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void lineShowsCountPercentRateAndEta() {
        ProgressBar bar = new ProgressBar("features", 100, out, false, () -> now);
        now = 10_000_000_000L; // 10 s for the first 25
        for (int i = 0; i < 25; i++) bar.step();
        assertEquals("features [######..................] 25/100  25%  2.5/s  ETA 0:30", bar.line(now));
    }

    @Test
    void logsGetOneLinePerTenth() {
        ProgressBar bar = new ProgressBar("x", 1000, out, false, () -> now);
        for (int i = 0; i < 1000; i++) {
            now += 1_000_000;
            bar.step();
        }
        bar.finish();
        String[] lines = output().split("\n");
        assertEquals(10, lines.length);
        assertTrue(lines[0].contains(" 100/1000  10%"), lines[0]);
        assertTrue(lines[9].contains(" 1000/1000 100%"), lines[9]);
        assertFalse(output().contains("\r"));
    }

    @Test
    void aBarStoppedEarlyStillSaysWhereItStopped() {
        ProgressBar bar = new ProgressBar("x", 1000, out, false, () -> now);
        for (int i = 0; i < 150; i++) bar.step();
        bar.finish();
        assertTrue(output().endsWith(" 150/1000  15%  -/s  ETA -:--\n"), output());
    }

    @Test
    void aBarThatNeverMovedStaysQuiet() {
        new ProgressBar("x", 10, out, true, () -> now).finish();
        new ProgressBar("x", 10, out, false, () -> now).finish();
        assertEquals("", output());
    }

    @Test
    void terminalsRedrawInPlaceAtMostTenTimesASecond() {
        ProgressBar bar = new ProgressBar("x", 1000, out, true, () -> now);
        for (int i = 0; i < 1000; i++) {
            now += 1_000_000; // 1 ms a step: 1 s in all
            bar.step();
        }
        bar.finish();
        long redraws = output().chars().filter(c -> c == '\r').count();
        assertTrue(redraws >= 10 && redraws <= 13, "redraws: " + redraws);
        assertTrue(output().endsWith(" 1000/1000 100%  1000.0/s  ETA 0:00\n"), output());
    }

    @Test
    void durations() {
        assertEquals("0:07", ProgressBar.duration(7));
        assertEquals("2:05", ProgressBar.duration(125));
        assertEquals("1:00:01", ProgressBar.duration(3601));
    }
}
