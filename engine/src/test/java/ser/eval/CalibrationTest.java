package ser.eval;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CalibrationTest {

    @Test
    void certainAndAlwaysRightIsPerfectlyCalibrated() {
        Calibration c = Calibration.of(new double[] {1, 1, 1}, new boolean[] {true, true, true});
        assertEquals(0, c.ece(), 0);
        assertEquals(Calibration.BINS, c.bins().size());
        Calibration.Bin last = c.bins().getLast();
        assertEquals(3, last.count(), "a confidence of exactly 1 falls in the last bin");
        assertEquals(1, last.accuracy(), 0);
        assertEquals(1, last.confidence(), 0);
        for (int b = 0; b < Calibration.BINS - 1; b++) assertEquals(0, c.bins().get(b).count());
    }

    @Test
    void eceWeighsEachBinsGapByItsShare() {
        // [0.9, 1): one right, one wrong at 0.9 → |0.5 − 0.9| × 2/4; [0.2, 0.3): right at 0.25 → 0.75 × 1/4;
        // [0.6, 0.7): wrong at 0.65 → 0.65 × 1/4.
        Calibration c = Calibration.of(new double[] {0.9, 0.9, 0.25, 0.65}, new boolean[] {true, false, true, false});
        assertEquals(0.4 * 2 / 4 + 0.75 / 4 + 0.65 / 4, c.ece(), 1e-12);
        assertEquals(0.55, c.ece(), 1e-12);
        Calibration.Bin high = c.bins().get(9);
        assertEquals(2, high.count());
        assertEquals(0.5, high.accuracy(), 0);
        assertEquals(0.9, high.confidence(), 1e-12);
        assertEquals(1, c.bins().get(2).count());
        assertEquals(1, c.bins().get(6).count());
        assertEquals(0.6, c.bins().get(6).lo(), 1e-12);
        assertEquals(0.7, c.bins().get(6).hi(), 1e-12);
    }

    @Test
    void binsAreHalfOpenOnTheRight() {
        Calibration c = Calibration.of(new double[] {0.5, 0.0}, new boolean[] {true, false}, 4);
        assertEquals(1, c.bins().get(2).count(), "0.5 starts [0.5, 0.75)");
        assertEquals(1, c.bins().get(0).count());
    }

    @Test
    void jsonListsEveryBin() {
        Calibration c = Calibration.of(new double[] {0.35}, new boolean[] {true});
        List<?> bins = (List<?>) c.toJson().get("bins");
        assertEquals(Calibration.BINS, bins.size());
        Map<?, ?> third = (Map<?, ?>) bins.get(3);
        assertEquals(List.of("lo", "hi", "count", "accuracy", "confidence"), List.copyOf(third.keySet()));
        assertEquals(1L, third.get("count"));
        assertEquals(0.35, (double) third.get("confidence"), 1e-12);
    }

    @Test
    void refusesWhatIsNotAProbability() {
        assertThrows(IllegalArgumentException.class, () -> Calibration.of(new double[] {1.5}, new boolean[] {true}));
        assertThrows(IllegalArgumentException.class, () -> Calibration.of(new double[0], new boolean[0]));
        assertThrows(IllegalArgumentException.class, () -> Calibration.of(new double[] {0.5}, new boolean[0]));
    }
}
