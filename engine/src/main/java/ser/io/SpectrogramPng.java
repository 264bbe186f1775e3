package ser.io;

import ser.tensor.Tensor;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A log-Mel spectrogram as a PNG: low frequencies at the bottom, time to the right, the magma colormap over the
 * top {@code rangeDb} decibels (quieter is clamped to black, as {@code librosa.display.specshow} and
 * {@code top_db} do), a colorbar with dB ticks every 20 dB, and, when the frame rate is known, a time axis in
 * seconds. Short clips are scaled up by whole pixels (no smoothing: each pixel block is one mel bin and frame).
 */
public final class SpectrogramPng {

    private static final int BACKGROUND = 0xffffff, INK = 0x202020;
    private static final int PAD = 4, FONT_SCALE = 2, TICK = 3, BAR_GAP = 8, BAR_WIDTH = 10, DB_STEP = 20;
    private static final int TEXT_HEIGHT = PixelFont.HEIGHT * FONT_SCALE;

    private SpectrogramPng() {}

    /**
     * How to draw.
     *
     * @param rangeDb         dynamic range below the loudest bin; 80 dB matches torchaudio's usual {@code top_db}
     * @param minWidth        scale frames up by whole pixels until the plot is at least this wide
     * @param minHeight       likewise for mel bins
     * @param framesPerSecond sample rate / hop length for a time axis; 0 for none
     * @param colorbar        draw the dB colorbar at the right
     */
    public record Style(double rangeDb, int minWidth, int minHeight, double framesPerSecond, boolean colorbar) {
        public static Style defaults() {
            return new Style(80, 600, 240, 0, true);
        }

        public Style withFramesPerSecond(double fps) {
            return new Style(rangeDb, minWidth, minHeight, fps, colorbar);
        }
    }

    /** Writes {@code db}, shaped [n_mels, frames], with the default style. */
    public static void write(Path png, Tensor db) {
        write(png, db, Style.defaults());
    }

    public static void write(Path png, Tensor db, Style style) {
        BufferedImage img = render(db, style);
        AtomicFiles.write(png, out -> {
            if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer in this JDK");
        });
    }

    public static BufferedImage render(Tensor db, Style style) {
        if (db.rank() != 2 || db.size() == 0) {
            throw new IllegalArgumentException("a spectrogram is [n_mels, frames] and not empty, got " + db);
        }
        int mels = db.dim(0), frames = db.dim(1);
        float[] v = db.contiguous().toArray();
        double top = max(v);
        double floor = top - style.rangeDb();
        int sx = Math.max(1, ceilDiv(style.minWidth(), frames));
        int sy = Math.max(1, ceilDiv(style.minHeight(), mels));
        int plotW = frames * sx, plotH = mels * sy;

        String[] labels = style.colorbar() ? colorbarLabels(top, style.rangeDb()) : new String[0];
        int labelW = Arrays.stream(labels).mapToInt(s -> PixelFont.width(s, FONT_SCALE)).max().orElse(0);
        int right = style.colorbar() ? BAR_GAP + BAR_WIDTH + TICK + 2 + labelW : 0;
        int topMargin = style.colorbar() ? TEXT_HEIGHT + 4 : 0; // room for "dB" over the bar
        int bottom = style.framesPerSecond() > 0 ? TICK + 2 + TEXT_HEIGHT : 0;
        BufferedImage img = new BufferedImage(PAD + plotW + right + PAD, PAD + topMargin + plotH + bottom + PAD,
                BufferedImage.TYPE_INT_RGB);
        fill(img, 0, 0, img.getWidth(), img.getHeight(), BACKGROUND);

        int x0 = PAD, y0 = PAD + topMargin;
        int[] row = new int[plotW];
        for (int m = 0; m < mels; m++) {
            for (int f = 0; f < frames; f++) {
                int rgb = Magma.rgb((v[m * frames + f] - floor) / style.rangeDb());
                Arrays.fill(row, f * sx, (f + 1) * sx, rgb);
            }
            int y = y0 + (mels - 1 - m) * sy; // mel bin 0 is the lowest frequency: bottom row
            for (int dy = 0; dy < sy; dy++) img.setRGB(x0, y + dy, plotW, 1, row, 0, plotW);
        }
        if (style.colorbar()) drawColorbar(img, x0 + plotW + BAR_GAP, y0, plotH, labels, style.rangeDb());
        if (style.framesPerSecond() > 0) drawTimeAxis(img, x0, y0 + plotH, frames, sx, style.framesPerSecond());
        return img;
    }

    private static void drawColorbar(BufferedImage img, int x, int y, int h, String[] labels, double rangeDb) {
        for (int dy = 0; dy < h; dy++) {
            fill(img, x, y + dy, BAR_WIDTH, 1, Magma.rgb(1 - (dy + 0.5) / h));
        }
        PixelFont.draw(img, "dB", x, y - TEXT_HEIGHT - 3, FONT_SCALE, INK);
        for (int k = 0; k < labels.length; k++) {
            int ty = y + (int) Math.round(k * DB_STEP / rangeDb * (h - 1));
            fill(img, x + BAR_WIDTH, ty, TICK, 1, INK);
            int textY = Math.clamp(ty - TEXT_HEIGHT / 2, y - 2, y + h - TEXT_HEIGHT + 2);
            PixelFont.draw(img, labels[k], x + BAR_WIDTH + TICK + 2, textY, FONT_SCALE, INK);
        }
    }

    private static void drawTimeAxis(BufferedImage img, int x, int y, int frames, int sx, double fps) {
        double seconds = frames / fps;
        int step = 1;
        for (int s : new int[] {1, 2, 5, 10, 30, 60, 300}) {
            step = s;
            if (seconds / s <= 10) break;
        }
        for (int s = 0; s <= seconds; s += step) {
            int tx = x + (int) Math.round(s * fps * sx);
            fill(img, tx, y, 1, TICK, INK);
            String text = s + "s";
            int textX = Math.clamp(tx - PixelFont.width(text, FONT_SCALE) / 2, 0, img.getWidth() - PixelFont.width(text, FONT_SCALE));
            PixelFont.draw(img, text, textX, y + TICK + 2, FONT_SCALE, INK);
        }
    }

    /** Labels at the loudest level and every 20 dB below it that is still inside the range. */
    private static String[] colorbarLabels(double top, double rangeDb) {
        int n = (int) Math.floor(rangeDb / DB_STEP) + 1;
        String[] labels = new String[n];
        for (int k = 0; k < n; k++) labels[k] = Long.toString(Math.round(top - k * DB_STEP));
        return labels;
    }

    private static double max(float[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (float x : v) if (Float.isFinite(x) && x > m) m = x;
        return m == Double.NEGATIVE_INFINITY ? 0 : m; // all silent or NaN: any level will do, all is drawn black
    }

    private static void fill(BufferedImage img, int x, int y, int w, int h, int rgb) {
        for (int j = Math.max(0, y); j < Math.min(img.getHeight(), y + h); j++) {
            for (int i = Math.max(0, x); i < Math.min(img.getWidth(), x + w); i++) img.setRGB(i, j, rgb);
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
