package ser.eval.plot;

import ser.eval.plot.Canvas.Anchor;

import java.awt.Color;
import java.awt.Rectangle;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code confusion.png}: a confusion matrix twice, as counts and normalised by row (each row is one true class,
 * so the diagonal reads as that class's recall), with the labels on both axes and the value in every cell.
 * It takes plain counts, {@code counts[true][predicted]}, and knows nothing of where they come from.
 */
public final class ConfusionMatrixPlot {

    public static final int WIDTH = 1200, HEIGHT = 620;
    private static final int LABEL_ROOM = 90;

    private ConfusionMatrixPlot() {}

    /**
     * @param labels the class names, in the order of the rows and columns
     * @param counts {@code counts[t][p]}: how many of true class {@code t} were predicted as {@code p}; square, one
     *               row per label
     */
    public static void write(Path png, List<String> labels, long[][] counts) {
        int n = labels.size();
        if (n == 0 || counts.length != n) throw new IllegalArgumentException(n + " labels but " + counts.length + " rows");
        for (long[] row : counts) {
            if (row.length != n) throw new IllegalArgumentException(n + " labels but a row of " + row.length + " counts");
        }
        Canvas c = new Canvas(WIDTH, HEIGHT);
        long maxCount = 1, total = 0;
        for (long[] row : counts) {
            for (long v : row) {
                maxCount = Math.max(maxCount, v);
                total += v;
            }
        }

        int half = WIDTH / 2;
        String[][] countText = new String[n][n];
        String[][] rowText = new String[n][n];
        double[][] countShade = new double[n][n];
        double[][] rowShare = new double[n][n];
        for (int t = 0; t < n; t++) {
            long support = 0;
            for (long v : counts[t]) support += v;
            for (int p = 0; p < n; p++) {
                // a row without support stays zero
                rowShare[t][p] = support == 0 ? 0 : (double) counts[t][p] / support;
                countText[t][p] = Long.toString(counts[t][p]);
                countShade[t][p] = (double) counts[t][p] / maxCount;
                rowText[t][p] = String.format(Locale.ROOT, "%.2f", rowShare[t][p]);
            }
        }
        heatmap(c, new Rectangle(0, 0, half, HEIGHT), "Counts (n = " + total + ")", labels, countShade, countText);
        heatmap(c, new Rectangle(half, 0, half, HEIGHT), "Normalised by true class", labels, rowShare, rowText);
        c.save(png);
    }

    private static void heatmap(Canvas c, Rectangle box, String title, List<String> labels, double[][] shade,
                                String[][] text) {
        int n = labels.size();
        int side = Math.min(box.width - LABEL_ROOM - 30, box.height - LABEL_ROOM - 50);
        int cell = side / n;
        side = cell * n;
        int x0 = box.x + LABEL_ROOM + (box.width - LABEL_ROOM - 30 - side) / 2, y0 = box.y + 50;

        c.font(16, true);
        c.text(title, x0 + side / 2.0, box.y + 12, Anchor.CENTER, Anchor.START);
        c.font(Math.clamp(cell / 4, 9, 16), false);
        for (int t = 0; t < n; t++) {
            for (int p = 0; p < n; p++) {
                double v = Math.clamp(shade[t][p], 0, 1);
                c.g.setColor(blues(v));
                c.g.fillRect(x0 + p * cell, y0 + t * cell, cell, cell);
                c.g.setColor(v > 0.55 ? Color.WHITE : Canvas.INK);
                c.text(text[t][p], x0 + p * cell + cell / 2.0, y0 + t * cell + cell / 2.0, Anchor.CENTER, Anchor.CENTER);
            }
        }
        c.g.setColor(Canvas.INK);
        c.g.drawRect(x0, y0, side, side);
        c.font(13, false);
        for (int i = 0; i < n; i++) {
            String label = labels.get(i);
            c.text(label, x0 - 6, y0 + i * cell + cell / 2.0, Anchor.END, Anchor.CENTER);
            c.text(label, x0 + i * cell + cell / 2.0, y0 + side + 6, Anchor.CENTER, Anchor.START);
        }
        c.font(14, true);
        c.text("predicted", x0 + side / 2.0, y0 + side + 30, Anchor.CENTER, Anchor.START);
        c.verticalText("true", box.x + 16, y0 + side / 2.0);
    }

    /** White to dark blue, like matplotlib's "Blues". */
    static Color blues(double v) {
        int r = (int) Math.round(247 + (8 - 247) * v);
        int g = (int) Math.round(251 + (48 - 251) * v);
        int b = (int) Math.round(255 + (107 - 255) * v);
        return new Color(r, g, b);
    }
}
