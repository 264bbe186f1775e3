package ser.eval.plot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlotsTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @Test
    void confusionMatrixIsAPngOfTheDocumentedSize(@TempDir Path dir) throws IOException {
        long[][] counts = {{1, 1, 0, 0}, {0, 2, 0, 0}, {0, 0, 1, 0}, {1, 0, 0, 2}};
        Path png = dir.resolve("confusion.png");
        ConfusionMatrixPlot.write(png, List.of("NEU", "HAP", "SAD", "ANG"), counts);
        BufferedImage img = readPng(png);
        assertEquals(ConfusionMatrixPlot.WIDTH, img.getWidth());
        assertEquals(ConfusionMatrixPlot.HEIGHT, img.getHeight());
        assertTrue(distinctColours(img) > 20, "cells, text and anti-aliasing give many colours");
    }

    @Test
    void curvesArePngsOfTheDocumentedSizeEvenForOneEpoch(@TempDir Path dir) throws IOException {
        var one = new TrainingCurvesPlot.Curves(new double[] {1}, new double[] {1.3}, new double[] {Double.NaN},
                new double[] {0.4}, new double[] {Double.NaN});
        var many = new TrainingCurvesPlot.Curves(new double[] {1, 2, 3}, new double[] {1.3, 1.0, 0.7},
                new double[] {1.4, 1.2, 1.1}, new double[] {0.3, 0.5, 0.7}, new double[] {0.3, 0.4, 0.45});
        for (var curves : List.of(one, many)) {
            Path png = dir.resolve("curves.png");
            TrainingCurvesPlot.write(png, curves);
            BufferedImage img = readPng(png);
            assertEquals(TrainingCurvesPlot.WIDTH, img.getWidth());
            assertEquals(TrainingCurvesPlot.HEIGHT, img.getHeight());
        }
        BufferedImage img = readPng(dir.resolve("curves.png"));
        assertTrue(contains(img, TrainingCurvesPlot.TRAIN.getRGB()), "the training line is drawn");
        assertTrue(contains(img, TrainingCurvesPlot.VALIDATION.getRGB()), "the validation line is drawn");
    }

    @Test
    void reliabilityDiagramIsAPngOfTheDocumentedSize(@TempDir Path dir) throws IOException {
        // 0.3 wrong; 0.55 right and 0.6 wrong; 0.9, 0.95 and 1.0 right: ten bins of 0.1
        List<ReliabilityPlot.Bin> bins = new ArrayList<>();
        for (int b = 0; b < 10; b++) bins.add(new ReliabilityPlot.Bin(b / 10.0, (b + 1) / 10.0, 0, 0, 0));
        bins.set(3, new ReliabilityPlot.Bin(0.3, 0.4, 1, 0, 0.3));
        bins.set(5, new ReliabilityPlot.Bin(0.5, 0.6, 1, 1, 0.55));
        bins.set(6, new ReliabilityPlot.Bin(0.6, 0.7, 1, 0, 0.6));
        bins.set(9, new ReliabilityPlot.Bin(0.9, 1.0, 3, 1, 0.95));
        Path png = dir.resolve("reliability.png");
        ReliabilityPlot.write(png, bins, 0.25);
        BufferedImage img = readPng(png);
        assertEquals(ReliabilityPlot.WIDTH, img.getWidth());
        assertEquals(ReliabilityPlot.HEIGHT, img.getHeight());
        assertTrue(contains(img, ReliabilityPlot.BAR.getRGB()), "the accuracy bars are drawn");
        assertTrue(contains(img, ReliabilityPlot.CONFIDENCE.getRGB()), "the mean confidences are drawn");
    }

    @Test
    void ticksAreRoundNumbersAroundTheData() {
        NiceTicks t = NiceTicks.of(0.31, 0.87, 6); // 0.56 / 5 = 0.112: the next round step is 0.2
        assertEquals(0.2, t.step(), 1e-12);
        assertEquals(0.2, t.lo(), 1e-12);
        assertEquals(1.0, t.hi(), 1e-12);
        assertEquals("0.2", t.label(0));
        assertEquals("1.0", t.label(4));
        assertEquals(5, t.count());
        assertEquals("0.05", NiceTicks.of(0, 0.2, 5).label(1));
        NiceTicks epochs = NiceTicks.of(1, 20, 8);
        assertEquals(5, epochs.step(), 1e-12);
        assertEquals("0", epochs.label(0));
        assertEquals("20", epochs.label(epochs.count() - 1));
        NiceTicks flat = NiceTicks.of(2, 2, 5);
        assertTrue(flat.lo() < 2 && flat.hi() > 2);
    }

    private static BufferedImage readPng(Path png) throws IOException {
        byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
        assertArrayEquals(PNG_SIGNATURE, head, "PNG signature");
        return ImageIO.read(png.toFile());
    }

    private static long distinctColours(BufferedImage img) {
        return Arrays.stream(img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth())).distinct().count();
    }

    private static boolean contains(BufferedImage img, int rgb) {
        return Arrays.stream(img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth()))
                .anyMatch(p -> p == rgb);
    }
}
