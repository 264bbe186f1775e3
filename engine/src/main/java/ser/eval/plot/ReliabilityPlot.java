package ser.eval.plot;

import ser.eval.plot.Canvas.Anchor;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code reliability.png}: the reliability diagram. Above, per confidence bin the accuracy as a bar, with a red
 * outline where the mean confidence of the bin sits, and the diagonal a perfectly calibrated model would follow;
 * below, how many predictions each bin holds, so that a bar standing on three files is not read like one standing
 * on three hundred. It takes the bins as plain numbers and knows nothing of how they were computed.
 */
public final class ReliabilityPlot {

    public static final int WIDTH = 720, HEIGHT = 760;
    static final Color BAR = new Color(0x1f, 0x77, 0xb4), CONFIDENCE = new Color(0xd6, 0x27, 0x28);
    private static final Color DIAGONAL = new Color(0x80, 0x80, 0x80);
    private static final BasicStroke DASHED =
            new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
    private static final int TICK = 5;

    /**
     * One confidence range {@code [lo, hi)} within [0, 1], and its predictions.
     *
     * @param count      how many predictions fell in the range
     * @param accuracy   the fraction of them that were right
     * @param confidence their mean confidence
     */
    public record Bin(double lo, double hi, long count, double accuracy, double confidence) {}

    private ReliabilityPlot() {}

    /**
     * @param bins in order of confidence
     * @param ece  the expected calibration error, for the title
     */
    public static void write(Path png, List<Bin> bins, double ece) {
        Canvas c = new Canvas(WIDTH, HEIGHT);
        long total = bins.stream().mapToLong(Bin::count).sum();
        c.font(16, true);
        c.text(String.format(Locale.ROOT, "Reliability (ECE = %.4f, n = %d)", ece, total),
                WIDTH / 2.0, 12, Anchor.CENTER, Anchor.START);

        Rectangle top = new Rectangle(80, 50, WIDTH - 110, 450);
        Rectangle bottom = new Rectangle(80, top.y + top.height + 40, WIDTH - 110, 150);
        NiceTicks unit = NiceTicks.of(0, 1, 6);
        drawAccuracy(c, top, bins, unit);
        drawCounts(c, bottom, bins, unit);
        c.save(png);
    }

    private static void drawAccuracy(Canvas c, Rectangle plot, List<Bin> bins, NiceTicks unit) {
        grid(c, plot, unit);
        for (Bin b : bins) {
            if (b.count() == 0) continue;
            int x0 = x(plot, b.lo()), x1 = x(plot, b.hi());
            int yAccuracy = y(plot, b.accuracy()), yConfidence = y(plot, b.confidence());
            c.g.setColor(BAR);
            c.g.fillRect(x0 + 1, yAccuracy, x1 - x0 - 2, plot.y + plot.height - yAccuracy);
            c.g.setColor(CONFIDENCE);
            c.g.setStroke(new BasicStroke(2f));
            c.g.drawLine(x0 + 1, yConfidence, x1 - 1, yConfidence);
            c.g.setStroke(new BasicStroke(1f));
        }
        c.g.setColor(DIAGONAL);
        c.g.setStroke(DASHED);
        c.g.drawLine(plot.x, plot.y + plot.height, plot.x + plot.width, plot.y);
        c.g.setStroke(new BasicStroke(1f));
        c.g.setColor(Canvas.INK);
        c.g.drawRect(plot.x, plot.y, plot.width, plot.height);
        yTicks(c, plot, unit);
        c.font(13, false);
        c.verticalText("accuracy", plot.x - 55, plot.getCenterY());
        legend(c, plot);
    }

    private static void drawCounts(Canvas c, Rectangle plot, List<Bin> bins, NiceTicks unit) {
        long most = bins.stream().mapToLong(Bin::count).max().orElse(0);
        c.font(11, false);
        for (Bin b : bins) {
            int x0 = x(plot, b.lo()), x1 = x(plot, b.hi());
            int h = most == 0 ? 0 : (int) Math.round((double) b.count() / most * (plot.height - 16));
            c.g.setColor(Canvas.GRID.darker());
            c.g.fillRect(x0 + 1, plot.y + plot.height - h, x1 - x0 - 2, h);
            c.g.setColor(Canvas.INK);
            c.text(Long.toString(b.count()), (x0 + x1) / 2.0, plot.y + plot.height - h - 2, Anchor.CENTER, Anchor.END);
        }
        c.g.setColor(Canvas.INK);
        c.g.drawRect(plot.x, plot.y, plot.width, plot.height);
        c.font(12, false);
        for (int i = 0; i < unit.count(); i++) {
            int x = x(plot, unit.tick(i));
            c.g.drawLine(x, plot.y + plot.height, x, plot.y + plot.height + TICK);
            c.text(unit.label(i), x, plot.y + plot.height + TICK + 4, Anchor.CENTER, Anchor.START);
        }
        c.font(13, false);
        c.text("confidence (probability of the predicted class)", plot.getCenterX(), plot.y + plot.height + 30,
                Anchor.CENTER, Anchor.START);
        c.verticalText("files", plot.x - 55, plot.getCenterY());
    }

    private static void grid(Canvas c, Rectangle plot, NiceTicks unit) {
        c.g.setColor(Canvas.GRID);
        for (int i = 0; i < unit.count(); i++) {
            int x = x(plot, unit.tick(i)), y = y(plot, unit.tick(i));
            c.g.drawLine(x, plot.y, x, plot.y + plot.height);
            c.g.drawLine(plot.x, y, plot.x + plot.width, y);
        }
    }

    private static void yTicks(Canvas c, Rectangle plot, NiceTicks unit) {
        c.font(12, false);
        c.g.setColor(Canvas.INK);
        for (int i = 0; i < unit.count(); i++) {
            int y = y(plot, unit.tick(i));
            c.g.drawLine(plot.x - TICK, y, plot.x, y);
            c.text(unit.label(i), plot.x - TICK - 4, y, Anchor.END, Anchor.CENTER);
        }
    }

    private static void legend(Canvas c, Rectangle plot) {
        c.font(12, false);
        int x = plot.x + 10, y = plot.y + 10, w = 190, rowH = 18;
        c.g.setColor(Color.WHITE);
        c.g.fillRect(x, y, w, rowH * 3 + 8);
        c.g.setColor(Canvas.INK);
        c.g.drawRect(x, y, w, rowH * 3 + 8);
        int cy = y + 4 + rowH / 2;
        c.g.setColor(BAR);
        c.g.fillRect(x + 8, cy - 5, 22, 10);
        c.g.setColor(Canvas.INK);
        c.text("accuracy of the bin", x + 36, cy, Anchor.START, Anchor.CENTER);
        cy += rowH;
        c.g.setColor(CONFIDENCE);
        c.g.setStroke(new BasicStroke(2f));
        c.g.drawLine(x + 8, cy, x + 30, cy);
        c.g.setStroke(new BasicStroke(1f));
        c.g.setColor(Canvas.INK);
        c.text("mean confidence", x + 36, cy, Anchor.START, Anchor.CENTER);
        cy += rowH;
        c.g.setColor(DIAGONAL);
        c.g.setStroke(DASHED);
        c.g.drawLine(x + 8, cy, x + 30, cy);
        c.g.setStroke(new BasicStroke(1f));
        c.g.setColor(Canvas.INK);
        c.text("perfect calibration", x + 36, cy, Anchor.START, Anchor.CENTER);
    }

    private static int x(Rectangle plot, double v) {
        return (int) Math.round(plot.x + v * plot.width);
    }

    private static int y(Rectangle plot, double v) {
        return (int) Math.round(plot.y + plot.height - v * plot.height);
    }
}
