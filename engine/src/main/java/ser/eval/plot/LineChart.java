package ser.eval.plot;

import ser.eval.plot.Canvas.Anchor;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.util.List;

/**
 * One panel of lines: a title, x and y axes with round-number ticks and a light grid, each series as a line with
 * a dot at each point (so a one-epoch run still shows), and a legend in the upper right corner.
 */
final class LineChart {

    /** A named line; {@code NaN} in {@code y} leaves a gap (e.g. an epoch without validation). */
    record Series(String name, Color color, double[] x, double[] y) {
        Series {
            if (x.length != y.length) throw new IllegalArgumentException(name + ": " + x.length + " x but " + y.length + " y");
        }
    }

    private static final int TICK = 5;

    private LineChart() {}

    /** Draws the panel inside {@code box} (title, axes, tick labels and legend included). */
    static void draw(Canvas c, Rectangle box, String title, String xTitle, String yTitle, List<Series> series) {
        c.font(16, true);
        c.text(title, box.getCenterX(), box.y, Anchor.CENTER, Anchor.START);
        Rectangle plot = new Rectangle(box.x + 70, box.y + 32, box.width - 90, box.height - 32 - 60);

        NiceTicks xt = NiceTicks.of(min(series, true), max(series, true), 8);
        NiceTicks yt = NiceTicks.of(min(series, false), max(series, false), 6);
        // Epochs are whole numbers: no tick at 2.5.
        if (xt.step() < 1 && isWhole(series)) xt = new NiceTicks(Math.floor(xt.lo()), Math.ceil(xt.hi()), 1);
        Mapping map = new Mapping(plot, xt, yt);

        c.font(12, false);
        for (int i = 0; i < yt.count(); i++) {
            int y = (int) Math.round(map.y(yt.tick(i)));
            c.g.setColor(Canvas.GRID);
            c.g.drawLine(plot.x, y, plot.x + plot.width, y);
            c.g.setColor(Canvas.INK);
            c.g.drawLine(plot.x - TICK, y, plot.x, y);
            c.text(yt.label(i), plot.x - TICK - 4, y, Anchor.END, Anchor.CENTER);
        }
        for (int i = 0; i < xt.count(); i++) {
            int x = (int) Math.round(map.x(xt.tick(i)));
            c.g.setColor(Canvas.GRID);
            c.g.drawLine(x, plot.y, x, plot.y + plot.height);
            c.g.setColor(Canvas.INK);
            c.g.drawLine(x, plot.y + plot.height, x, plot.y + plot.height + TICK);
            c.text(xt.label(i), x, plot.y + plot.height + TICK + 4, Anchor.CENTER, Anchor.START);
        }
        c.g.drawRect(plot.x, plot.y, plot.width, plot.height);
        c.font(13, false);
        c.text(xTitle, plot.getCenterX(), plot.y + plot.height + 30, Anchor.CENTER, Anchor.START);
        c.verticalText(yTitle, box.x + 12, plot.getCenterY());

        for (Series s : series) drawSeries(c, map, s);
        drawLegend(c, plot, map, series);
    }

    private static void drawSeries(Canvas c, Mapping map, Series s) {
        c.g.setColor(s.color());
        c.g.setStroke(new BasicStroke(2f));
        Path2D.Double line = new Path2D.Double();
        boolean pen = false;
        for (int i = 0; i < s.x().length; i++) {
            if (Double.isNaN(s.y()[i])) {
                pen = false;
                continue;
            }
            double x = map.x(s.x()[i]), y = map.y(s.y()[i]);
            if (pen) line.lineTo(x, y);
            else line.moveTo(x, y);
            pen = true;
            c.g.fill(new Ellipse2D.Double(x - 3, y - 3, 6, 6));
        }
        c.g.draw(line);
        c.g.setStroke(new BasicStroke(1f));
    }

    /** The legend goes in whichever corner covers the fewest points, upper right when several tie. */
    private static void drawLegend(Canvas c, Rectangle plot, Mapping map, List<Series> series) {
        c.font(12, false);
        int w = 0;
        for (Series s : series) w = Math.max(w, c.textWidth(s.name()));
        int rowH = 18, boxW = w + 44, boxH = rowH * series.size() + 8;
        int right = plot.x + plot.width - boxW - 8, bottom = plot.y + plot.height - boxH - 8;
        Rectangle best = null;
        int fewest = Integer.MAX_VALUE;
        for (Rectangle r : List.of(new Rectangle(right, plot.y + 8, boxW, boxH), new Rectangle(right, bottom, boxW, boxH),
                new Rectangle(plot.x + 8, plot.y + 8, boxW, boxH), new Rectangle(plot.x + 8, bottom, boxW, boxH))) {
            int covered = covered(r, map, series);
            if (covered < fewest) {
                fewest = covered;
                best = r;
            }
        }
        int x = best.x, y = best.y;
        c.g.setColor(Color.WHITE);
        c.g.fillRect(x, y, boxW, boxH);
        c.g.setColor(Canvas.INK);
        c.g.drawRect(x, y, boxW, boxH);
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            int cy = y + 4 + rowH * i + rowH / 2;
            c.g.setColor(s.color());
            c.g.setStroke(new BasicStroke(2f));
            c.g.drawLine(x + 8, cy, x + 30, cy);
            c.g.setStroke(new BasicStroke(1f));
            c.g.setColor(Canvas.INK);
            c.text(s.name(), x + 36, cy, Anchor.START, Anchor.CENTER);
        }
    }

    private static int covered(Rectangle r, Mapping map, List<Series> series) {
        Rectangle margin = new Rectangle(r.x - 6, r.y - 6, r.width + 12, r.height + 12);
        int n = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isNaN(s.y()[i]) && margin.contains(map.x(s.x()[i]), map.y(s.y()[i]))) n++;
            }
        }
        return n;
    }

    /** Data coordinates to pixels, y pointing up. */
    private record Mapping(Rectangle plot, NiceTicks xt, NiceTicks yt) {
        double x(double v) {
            return plot.x + (v - xt.lo()) / (xt.hi() - xt.lo()) * plot.width;
        }

        double y(double v) {
            return plot.y + plot.height - (v - yt.lo()) / (yt.hi() - yt.lo()) * plot.height;
        }
    }

    private static double min(List<Series> series, boolean x) {
        double m = Double.POSITIVE_INFINITY;
        for (Series s : series) for (double v : x ? s.x() : s.y()) if (!Double.isNaN(v)) m = Math.min(m, v);
        return m == Double.POSITIVE_INFINITY ? 0 : m;
    }

    private static double max(List<Series> series, boolean x) {
        double m = Double.NEGATIVE_INFINITY;
        for (Series s : series) for (double v : x ? s.x() : s.y()) if (!Double.isNaN(v)) m = Math.max(m, v);
        return m == Double.NEGATIVE_INFINITY ? 1 : m;
    }

    private static boolean isWhole(List<Series> series) {
        for (Series s : series) for (double v : s.x()) if (v != Math.rint(v)) return false;
        return true;
    }
}
