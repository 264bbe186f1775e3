package ser.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ser.audio.Signals.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The resampler against analytic signals: what is in band comes through exactly, what is not is gone. */
class ResamplerTest {

    private static final int TARGET = 16000;
    /** Output samples left out at each end, where the filter sees the zeros beyond the signal. */
    private static final int EDGE = 400;

    @ParameterizedTest
    @ValueSource(ints = {44100, 48000, 8000, 22050, 11025, 32000, 96000})
    void toneMatchesTheAnalyticSine(int from) {
        float[] out = Resampler.resample(tone(1000, from, from / 2), from, TARGET);
        assertEquals(TARGET / 2, out.length);
        double worst = 0;
        for (int n = EDGE; n < out.length - EDGE; n++) {
            worst = Math.max(worst, Math.abs(out[n] - Math.sin(2 * Math.PI * 1000 * n / TARGET)));
        }
        assertTrue(worst < 1e-4, from + " Hz: worst error " + worst);
    }

    /** 44101 and 16001 are prime to 16000: filters too big to table, whose rows are made per sample. */
    @ParameterizedTest
    @ValueSource(ints = {44101, 16001})
    void awkwardRatiosAreAsAccurate(int from) {
        float[] out = Resampler.resample(tone(1000, from, from / 8), from, TARGET);
        double worst = 0;
        for (int n = EDGE; n < out.length - EDGE; n++) {
            worst = Math.max(worst, Math.abs(out[n] - Math.sin(2 * Math.PI * 1000 * n / TARGET)));
        }
        assertTrue(worst < 1e-4, from + " Hz: worst error " + worst);
    }

    /** A tone between the output's Nyquist frequency and the input's must not fold back into the band. */
    @ParameterizedTest
    @CsvSource({"48000, 9000", "44100, 10000", "44100, 8100", "22050, 8500", "96000, 20000"})
    void toneAboveTheTargetNyquistIsAttenuated80dB(int from, double hz) {
        float[] out = Resampler.resample(tone(hz, from, from), from, TARGET);
        double alias = TARGET - hz % TARGET; // where the folded tone would land
        double aliasDb = decibels(amplitudeAt(out, EDGE, out.length - EDGE, alias, TARGET));
        double residueDb = decibels(Math.sqrt(2) * rms(out, EDGE, out.length - EDGE));
        assertTrue(aliasDb < -80, "alias at " + alias + " Hz: " + aliasDb + " dB");
        assertTrue(residueDb < -80, "residue: " + residueDb + " dB");
    }

    /** Upsampling must not leave the image of the input spectrum mirrored about the input's Nyquist. */
    @Test
    void upsamplingRemovesTheImage() {
        float[] out = Resampler.resample(tone(3000, 8000, 8000), 8000, TARGET);
        double image = amplitudeAt(out, EDGE, out.length - EDGE, 5000, TARGET);
        double tone = amplitudeAt(out, EDGE, out.length - EDGE, 3000, TARGET);
        assertTrue(decibels(image) < -80, "image at 5 kHz: " + decibels(image) + " dB");
        assertEquals(1, tone, 1e-3);
    }

    @ParameterizedTest
    @CsvSource({"44100, 7000", "48000, 7000", "8000, 3500"})
    void chirpSweepMatchesItsAnalyticFormInThePassband(int from, double topHz) {
        double seconds = 0.5;
        float[] out = Resampler.resample(chirp(50, topHz, seconds, from), from, TARGET);
        double worst = 0;
        for (int n = EDGE; n < out.length - EDGE; n++) {
            double expected = Math.sin(chirpPhase(50, topHz, seconds, (double) n / TARGET));
            worst = Math.max(worst, Math.abs(out[n] - expected));
        }
        assertTrue(worst < 1e-3, from + " Hz chirp to " + topHz + ": worst error " + worst);
    }

    @ParameterizedTest
    @ValueSource(ints = {44100, 8000, 44101})
    void dcPassesWithUnityGain(int from) {
        float[] constant = new float[from / 8];
        java.util.Arrays.fill(constant, 0.7f);
        float[] out = Resampler.resample(constant, from, TARGET);
        for (int n = EDGE; n < out.length - EDGE; n++) assertEquals(0.7f, out[n], 1e-6f, "sample " + n);
    }

    @Test
    void sameRateIsACopy() {
        float[] x = tone(440, TARGET, 1000);
        float[] out = Resampler.resample(x, TARGET, TARGET);
        assertNotSame(x, out);
        assertArrayEquals(x, out);
    }

    @Test
    void lengthIsTheCeilingOfTheScaledLength() {
        assertEquals(4, Resampler.resample(new float[11], 44100, 16000).length); // 3.99 -> 4
        assertEquals(22, Resampler.resample(new float[11], 8000, 16000).length);
        assertEquals(1, Resampler.resample(new float[1], 48000, 16000).length);
        assertEquals(0, Resampler.resample(new float[0], 48000, 16000).length);
    }

    @Test
    void filtersAreDesignedOncePerRatePair() {
        assertSame(Resampler.of(22050, 16000), Resampler.of(22050, 16000));
    }

    @ParameterizedTest
    @ValueSource(ints = {44100, 8000, 44101, 48000})
    void vectorPathMatchesScalarReference(int from) {
        float[] x = chirp(30, 3000, 0.1, from);
        Resampler resampler = Resampler.of(from, TARGET);
        float[] vector = resampler.apply(x);
        float[] scalar = resampler.applyScalar(x);
        assertEquals(scalar.length, vector.length);
        for (int n = 0; n < scalar.length; n++) assertEquals(scalar[n], vector[n], 1e-5f, "sample " + n);
    }
}
