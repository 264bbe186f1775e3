package ser.eval.plot;

import java.awt.Color;
import java.awt.Rectangle;
import java.nio.file.Path;
import java.util.List;

/** {@code curves.png}: loss and accuracy per epoch, training against validation, side by side. */
public final class TrainingCurvesPlot {

    public static final int WIDTH = 1200, HEIGHT = 480;
    static final Color TRAIN = new Color(0x1f, 0x77, 0xb4), VALIDATION = new Color(0xff, 0x7f, 0x0e);

    /** One value per epoch; NaN where a value is missing (no validation set). Accuracies are fractions. */
    public record Curves(double[] epochs, double[] trainLoss, double[] valLoss, double[] trainAccuracy,
                         double[] valAccuracy) {}

    private TrainingCurvesPlot() {}

    public static void write(Path png, Curves curves) {
        if (curves.epochs().length == 0) throw new IllegalArgumentException("no epochs to plot");
        Canvas c = new Canvas(WIDTH, HEIGHT);
        int half = WIDTH / 2;
        LineChart.draw(c, new Rectangle(10, 12, half - 20, HEIGHT - 20), "Loss", "epoch", "cross-entropy", List.of(
                new LineChart.Series("train", TRAIN, curves.epochs(), curves.trainLoss()),
                new LineChart.Series("validation", VALIDATION, curves.epochs(), curves.valLoss())));
        LineChart.draw(c, new Rectangle(half + 10, 12, half - 20, HEIGHT - 20), "Accuracy", "epoch", "accuracy", List.of(
                new LineChart.Series("train", TRAIN, curves.epochs(), curves.trainAccuracy()),
                new LineChart.Series("validation", VALIDATION, curves.epochs(), curves.valAccuracy())));
        c.save(png);
    }
}
