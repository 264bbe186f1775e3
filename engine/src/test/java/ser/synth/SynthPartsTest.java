package ser.synth;

import org.junit.jupiter.api.Test;
import ser.SerException;

import static org.junit.jupiter.api.Assertions.*;

/** The synthesiser's building blocks, each against what it claims to be. */
class SynthPartsTest {

    private static final int RATE = 16_000;

    @Test
    void resonatorHasUnitGainAt0HzAndPeaksAtItsFormant() {
        Resonator r = new Resonator(RATE);
        r.tune(1000, 80);
        double y = 0;
        for (int i = 0; i < 4000; i++) {
            y = r.filter(1.0);
        }
        assertEquals(1.0, y, 1e-6, "step response settles at the DC gain");
        double atFormant = sineGain(1000), below = sineGain(600), above = sineGain(1400);
        assertTrue(atFormant > 5 * below && atFormant > 5 * above, atFormant + " vs " + below + ", " + above);
    }

    private static double sineGain(double hz) {
        Resonator r = new Resonator(RATE);
        r.tune(1000, 80);
        double peak = 0;
        for (int i = 0; i < 8000; i++) {
            double y = r.filter(Math.sin(2 * Math.PI * hz * i / RATE));
            if (i > 4000) {
                peak = Math.max(peak, Math.abs(y));
            }
        }
        return peak;
    }

    @Test
    void rosenbergPulseOpensSmoothlyToFullFlowClosesAndStaysClosed() {
        double opening = 0.42, closing = 0.18;
        assertEquals(0, SourceFilterVoice.rosenberg(0, opening, closing), 1e-12);
        assertEquals(1, SourceFilterVoice.rosenberg(opening, opening, closing), 1e-12);
        assertEquals(0, SourceFilterVoice.rosenberg(opening + closing, opening, closing), 1e-12);
        assertEquals(0, SourceFilterVoice.rosenberg(0.9, opening, closing));
        double previous = 0;
        for (double p = 0; p < opening; p += 0.01) {
            double g = SourceFilterVoice.rosenberg(p, opening, closing);
            assertTrue(g >= previous, "opening is monotone");
            previous = g;
        }
    }

    @Test
    void pcmConversionRoundsAndSaturatesInsteadOfWrapping() {
        assertEquals(0, PcmWavWriter.toPcm16(0f));
        assertEquals(16384, PcmWavWriter.toPcm16(0.5f));
        assertEquals(32767, PcmWavWriter.toPcm16(1.5f));
        assertEquals(-32768, PcmWavWriter.toPcm16(-3f));
        assertEquals(1, PcmWavWriter.toPcm16(1.4f / 32767));
        assertEquals(2, PcmWavWriter.toPcm16(1.6f / 32767));
    }

    @Test
    void emotionCodesAreCaseInsensitiveAndUnknownOnesNameTheKnown() {
        assertSame(EmotionProfile.ANG, EmotionProfile.of("ang"));
        SerException e = assertThrows(SerException.class, () -> EmotionProfile.of("xyz"));
        assertTrue(e.getMessage().contains("NEU, HAP, SAD, ANG"), e.getMessage());
    }

    @Test
    void intensityInterpolatesFromNeutralToTheFullEmotion() {
        EmotionProfile none = EmotionProfile.ANG.atIntensity(0);
        EmotionProfile full = EmotionProfile.ANG.atIntensity(1);
        assertEquals("ANG", none.code());
        assertEquals(EmotionProfile.NEU.gainDb(), none.gainDb(), 1e-12);
        assertEquals(EmotionProfile.NEU.tilt(), none.tilt(), 1e-12);
        assertEquals(EmotionProfile.ANG, full);
        assertEquals((EmotionProfile.NEU.gainDb() + EmotionProfile.ANG.gainDb()) / 2,
                EmotionProfile.ANG.atIntensity(0.5).gainDb(), 1e-12);
    }

    @Test
    void speakersAlternateMaleAndFemaleWithEveryFifthAChildAndDifferAcrossSeeds() {
        assertEquals(SpeakerProfile.Voice.MALE, SpeakerProfile.draw(1, 0).voice());
        assertEquals(SpeakerProfile.Voice.FEMALE, SpeakerProfile.draw(1, 1).voice());
        assertEquals(SpeakerProfile.Voice.CHILD, SpeakerProfile.draw(1, 4).voice());
        assertEquals(1001, SpeakerProfile.draw(1, 0).id());
        assertEquals(SpeakerProfile.draw(1, 2), SpeakerProfile.draw(1, 2));
        assertNotEquals(SpeakerProfile.draw(1, 2).f0Hz(), SpeakerProfile.draw(2, 2).f0Hz());
        assertTrue(SpeakerProfile.draw(1, 0).f0Hz() < SpeakerProfile.draw(1, 1).f0Hz());
    }

    @Test
    void gaussianDrawsHaveUnitVarianceAndRepeatForTheSameSeed() {
        SynthRandom a = new SynthRandom(9), b = new SynthRandom(9);
        double sum = 0, squares = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            double g = a.gaussian();
            assertEquals(g, b.gaussian());
            sum += g;
            squares += g * g;
        }
        assertEquals(0, sum / n, 0.03);
        assertEquals(1, squares / n, 0.05);
    }
}
