package ser.synth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ClipSynthesizerTest {

    private static final int RATE = ClipSynthesizer.SAMPLE_RATE;
    private static final SpeakerProfile SPEAKER = SpeakerProfile.draw(7, 0);

    @Test
    void sameSeedGivesIdenticalSamplesAndAnotherSeedDoesNot() {
        float[] a = ClipSynthesizer.synthesize(SPEAKER, EmotionProfile.HAP, 123, RATE);
        float[] b = ClipSynthesizer.synthesize(SPEAKER, EmotionProfile.HAP, 123, RATE);
        float[] c = ClipSynthesizer.synthesize(SPEAKER, EmotionProfile.HAP, 124, RATE);
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @Test
    void everyEmotionGivesTheRequestedLengthOfFiniteUnclippedAudibleSamples() {
        for (EmotionProfile emotion : EmotionProfile.ALL) {
            float[] x = ClipSynthesizer.synthesize(SpeakerProfile.draw(3, 4), emotion, 99, 12_345);
            assertEquals(12_345, x.length, emotion.code());
            for (float v : x) {
                assertTrue(Float.isFinite(v) && Math.abs(v) < 0.96f, emotion.code() + ": sample " + v);
            }
            assertTrue(AcousticMeasures.rms(x) > 0.003, emotion.code() + " is nearly silent");
        }
    }

    @Test
    void clipsTooShortForASyllableAreQuietNoiseAndAnEmptyClipIsEmpty() {
        float[] blip = ClipSynthesizer.synthesize(SPEAKER, EmotionProfile.ANG, 1, 100);
        assertEquals(100, blip.length);
        for (float v : blip) {
            assertTrue(Float.isFinite(v) && Math.abs(v) < 0.1f, "sample " + v);
        }
        assertEquals(0, ClipSynthesizer.synthesize(SPEAKER, EmotionProfile.ANG, 1, 0).length);
    }

    @Test
    void cleanSpeechIsTheNoisyClipWithoutItsNoise() {
        float[] noisy = ClipSynthesizer.synthesize(SPEAKER, EmotionProfile.NEU, 5, RATE, true);
        float[] clean = ClipSynthesizer.synthesize(SPEAKER, EmotionProfile.NEU, 5, RATE, false);
        double difference = 0;
        for (int i = 0; i < noisy.length; i++) {
            difference += Math.pow(noisy[i] - clean[i], 2);
        }
        double snrDb = 10 * Math.log10(Math.pow(AcousticMeasures.rms(clean), 2) * noisy.length / difference);
        // speech is mixed at 8..35 dB SNR over its active stretches; over the whole clip, pauses included, a bit less
        assertTrue(snrDb > 3 && snrDb < 40, "SNR " + snrDb);
    }

    /** The profiles' promises, measured on the output the way a phonetician would, averaged over a few clips. */
    @Test
    void emotionsDifferInPitchLoudnessAndBrightnessAsTheLiteratureSays() {
        double neuF0 = mean(EmotionProfile.NEU, Measure.F0);
        double sadF0 = mean(EmotionProfile.SAD, Measure.F0);
        double hapF0 = mean(EmotionProfile.HAP, Measure.F0);
        double angF0 = mean(EmotionProfile.ANG, Measure.F0);
        assertTrue(sadF0 < neuF0, "F0 SAD " + sadF0 + " < NEU " + neuF0);
        assertTrue(neuF0 < hapF0, "F0 NEU " + neuF0 + " < HAP " + hapF0);
        assertTrue(neuF0 < angF0, "F0 NEU " + neuF0 + " < ANG " + angF0);

        double angRms = mean(EmotionProfile.ANG, Measure.RMS_DB), sadRms = mean(EmotionProfile.SAD, Measure.RMS_DB);
        assertTrue(angRms > sadRms + 6, "RMS ANG " + angRms + " dB > SAD " + sadRms + " dB + 6");

        double angCentroid = mean(EmotionProfile.ANG, Measure.CENTROID);
        double sadCentroid = mean(EmotionProfile.SAD, Measure.CENTROID);
        assertTrue(angCentroid > 1.1 * sadCentroid, "centroid ANG " + angCentroid + " > 1.1 × SAD " + sadCentroid);
    }

    private enum Measure { F0, RMS_DB, CENTROID }

    private static double mean(EmotionProfile emotion, Measure measure) {
        double sum = 0;
        int n = 0;
        for (int s : List.of(0, 1, 4)) { // a man, a woman, a child
            SpeakerProfile speaker = SpeakerProfile.draw(2024, s);
            for (int clip = 0; clip < 2; clip++) {
                float[] x = ClipSynthesizer.synthesize(speaker, emotion,
                        SyntheticCorpus.clipSeed(2024, speaker.id(), emotion.code(), clip), 3 * RATE / 2);
                sum += switch (measure) {
                    case F0 -> AcousticMeasures.meanF0(x, RATE) / speaker.f0Hz();
                    case RMS_DB -> 20 * Math.log10(AcousticMeasures.rms(x));
                    case CENTROID -> AcousticMeasures.spectralCentroid(x, RATE);
                };
                n++;
            }
        }
        return sum / n;
    }
}
