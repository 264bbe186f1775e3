package ser.synth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The yardsticks of the synthesiser's tests, checked on signals whose answer is known. */
class AcousticMeasuresTest {

    private static final int RATE = 16_000;

    @Test
    void meanF0OfAHarmonicToneIsItsFundamental() {
        float[] x = new float[RATE];
        for (int i = 0; i < x.length; i++) {
            double t = i / (double) RATE;
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 160 * t) + 0.3 * Math.sin(2 * Math.PI * 320 * t + 1)
                    + 0.2 * Math.sin(2 * Math.PI * 480 * t + 2));
        }
        assertEquals(160, AcousticMeasures.meanF0(x, RATE), 2);
    }

    @Test
    void meanF0OfSilenceIsUndefined() {
        assertTrue(Double.isNaN(AcousticMeasures.meanF0(new float[RATE], RATE)));
    }

    @Test
    void centroidOfASineIsItsFrequencyAndOfTwoEqualSinesTheirMidpoint() {
        assertEquals(1000, AcousticMeasures.spectralCentroid(sines(1000), RATE), 20);
        assertEquals(2000, AcousticMeasures.spectralCentroid(sines(1000, 3000), RATE), 40);
    }

    @Test
    void rmsOfAFullScaleSineIsOneOverRootTwo() {
        assertEquals(Math.sqrt(0.5), AcousticMeasures.rms(sines(500)), 1e-3);
    }

    private static float[] sines(double... hz) {
        float[] x = new float[RATE];
        for (int i = 0; i < x.length; i++) {
            for (double f : hz) {
                x[i] += (float) Math.sin(2 * Math.PI * f * i / RATE);
            }
        }
        return x;
    }
}
