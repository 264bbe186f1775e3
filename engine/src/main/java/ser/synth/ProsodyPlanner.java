package ser.synth;

import java.util.Arrays;

/**
 * Lays out an utterance in time: phrases of syllables separated by pauses, and for each 1 ms block the pitch,
 * the voicing and frication amplitudes, and the formant targets the tongue is heading for.
 *
 * <p>The pitch contour is the classic superposition (Fujisaki-like, in semitones): a per-phrase level with
 * declination, Gaussian pitch accents on some syllables, a rise or fall on the phrase's last syllable, plus
 * slow wander and, for fear, tremor. Syllables are consonant + vowel (sometimes a diphthong); the consonant
 * is a vowel-like onset, a nasal murmur, a fricative or a stop closure with its burst.
 */
final class ProsodyPlanner {

    /** Control-rate block: 1 ms at 16 kHz, fine enough for pitch and formant movement. */
    static final int BLOCK = 16;

    private static final double BLOCK_SECONDS = BLOCK / (double) ClipSynthesizer.SAMPLE_RATE;
    /** Formants glide towards their targets with this time constant: coarticulation without a transition model. */
    private static final double FORMANT_GLIDE_SECONDS = 0.015;
    private static final double[] NASAL_MURMUR_HZ = {280, 1100, 2300, 3300};
    private static final double MAX_NOISE_HZ = 7200;

    private enum Onset { VOWEL, NASAL, FRICATIVE, STOP }

    /** Where a consonant is made: the formant locus the vowel transitions come from, and the burst's band. */
    private enum Place {
        LABIAL(new double[] {300, 900, 2200, 3300}, 1200),
        ALVEOLAR(new double[] {300, 1700, 2600, 3400}, 4000),
        VELAR(new double[] {300, 2000, 2300, 3300}, 2000);

        final double[] locusHz;
        final double burstHz;

        Place(double[] locusHz, double burstHz) {
            this.locusHz = locusHz;
            this.burstHz = burstHz;
        }
    }

    /** Fricative noise bands for an adult male: "s", "sh", and the flat, broad "f". */
    private static final double[][] FRICATIVE_BANDS = {{5200, 1200}, {2900, 900}, {4000, 3500}};

    private final SpeakerProfile speaker;
    private final EmotionProfile emotion;
    private final SynthRandom rng;
    private final double formantScale;
    private final double[] semitones;
    private final float[] voicing;
    private final float[] frication;
    private final double[] fricationHz;
    private final double[] fricationBwHz;
    private final double[][] formantTargets;

    private ProsodyPlanner(SpeakerProfile speaker, EmotionProfile emotion, SynthRandom rng, int blocks) {
        this.speaker = speaker;
        this.emotion = emotion;
        this.rng = rng;
        this.formantScale = speaker.formantScale() * (1 + emotion.formantShift());
        this.semitones = new double[blocks + 1];
        this.voicing = new float[blocks + 1];
        this.frication = new float[blocks + 1];
        this.fricationHz = new double[blocks + 1];
        this.fricationBwHz = new double[blocks + 1];
        this.formantTargets = new double[4][blocks + 1];
        Arrays.fill(semitones, emotion.pitchShiftSemitones());
        Arrays.fill(fricationHz, 4000);
        Arrays.fill(fricationBwHz, 2000);
        for (int f = 0; f < 4; f++) {
            Arrays.fill(formantTargets[f], Vowel.SCHWA.formantsHz[f] * formantScale);
        }
    }

    static UtterancePlan plan(SpeakerProfile speaker, EmotionProfile emotion, int samples, SynthRandom rng) {
        int blocks = (samples + BLOCK - 1) / BLOCK;
        ProsodyPlanner planner = new ProsodyPlanner(speaker, emotion, rng, blocks);
        planner.layOutPhrases(samples / (double) ClipSynthesizer.SAMPLE_RATE);
        return new UtterancePlan(samples, planner.pitchTrack(), planner.voicing, planner.frication,
                planner.fricationHz, planner.fricationBwHz, planner.glidedFormants());
    }

    private void layOutPhrases(double seconds) {
        double t = rng.uniform(0.05, 0.25);
        double end = seconds - rng.uniform(0.05, 0.25);
        while (end - t > 0.25) {
            t = phrase(t, end);
            t += emotion.pauseScale() * rng.uniform(0.12, 0.40);
        }
    }

    /** Lays out one phrase from {@code start}, never past {@code end}; returns where it stopped. */
    private double phrase(double start, double end) {
        int planned = 3 + rng.nextInt(6);
        double beat = 1.0 / (emotion.syllablesPerSecond() * speaker.rateFactor());
        boolean[] accented = new boolean[planned];
        double[] durations = new double[planned];
        int forcedAccent = rng.nextInt(planned);
        int count = 0;
        double t = start;
        for (int i = 0; i < planned; i++) {
            accented[i] = i == forcedAccent || rng.chance(0.35);
            double d = beat * rng.uniform(0.75, 1.3) * (accented[i] ? 1.2 : 1.0) * (i == planned - 1 ? 1.3 : 1.0);
            if (t + d > end) {
                break;
            }
            durations[i] = d;
            t += d;
            count++;
        }
        if (count == 0) {
            return end;
        }
        double phraseEnd = t;
        pitchBaseline(start, phraseEnd);
        t = start;
        for (int i = 0; i < count; i++) {
            boolean last = i == count - 1;
            if (accented[i]) {
                pitchAccent(t + 0.6 * durations[i], 0.35 * durations[i],
                        emotion.pitchRangeSemitones() * rng.uniform(0.5, 1.0));
            }
            if (last) {
                phraseEndMovement(t, durations[i]);
            }
            syllable(t, durations[i], accented[i] ? rng.uniform(0.9, 1.0) : rng.uniform(0.55, 0.8), i == 0, last);
            t += durations[i];
        }
        return phraseEnd;
    }

    /** Phrase level with declination: each phrase starts high and drifts down, resetting at the next phrase. */
    private void pitchBaseline(double start, double end) {
        double level = emotion.pitchShiftSemitones() + 0.7 * rng.gaussian();
        double declination = 1.0 + 0.3 * emotion.pitchRangeSemitones();
        for (int b = block(start); b < block(end); b++) {
            double position = (b * BLOCK_SECONDS - start) / (end - start);
            semitones[b] = level + declination * (0.5 - position);
        }
    }

    private void pitchAccent(double centre, double width, double height) {
        for (int b = block(centre - 3 * width); b < block(centre + 3 * width); b++) {
            double z = (b * BLOCK_SECONDS - centre) / width;
            semitones[b] += height * StrictMath.exp(-0.5 * z * z);
        }
    }

    private void phraseEndMovement(double start, double duration) {
        for (int b = block(start); b < block(start + duration); b++) {
            double x = (b * BLOCK_SECONDS - start) / duration;
            semitones[b] += emotion.phraseEndSemitones() * x * x * (3 - 2 * x);
        }
    }

    private void syllable(double start, double duration, double loudness, boolean firstInPhrase, boolean lastInPhrase) {
        Onset onset = Onset.values()[rng.nextInt(Onset.values().length)];
        Place place = Place.values()[rng.nextInt(Place.values().length)];
        double[] fricativeBand = FRICATIVE_BANDS[rng.nextInt(FRICATIVE_BANDS.length)];
        Vowel vowel = randomVowel();
        Vowel offglide = rng.chance(0.3) ? randomVowel() : vowel;
        double onsetEnd = start + duration * rng.uniform(0.2, 0.35);
        double end = start + duration;
        for (int b = block(start); b < block(end); b++) {
            double t = b * BLOCK_SECONDS;
            if (t < onsetEnd) {
                double x = (t - start) / (onsetEnd - start);
                switch (onset) {
                    case VOWEL -> {
                        double floor = firstInPhrase ? 0.0 : 0.45;
                        voicing[b] = (float) (loudness * (floor + (1 - floor) * x));
                        aimFormants(b, vowel.formantsHz);
                    }
                    case NASAL -> {
                        voicing[b] = (float) (loudness * 0.35);
                        aimFormants(b, NASAL_MURMUR_HZ);
                    }
                    case FRICATIVE -> {
                        frication[b] = (float) (loudness * StrictMath.sin(Math.PI * x));
                        noiseBand(b, fricativeBand[0], fricativeBand[1]);
                        voicing[b] = (float) (x > 0.8 ? loudness * (x - 0.8) / 0.2 : 0);
                        aimFormants(b, place.locusHz);
                    }
                    case STOP -> {
                        // closure (silence), then the release burst, then an aspirated voice onset
                        if (x >= 0.65 && x < 0.8) {
                            frication[b] = (float) (0.9 * loudness * (1 - (x - 0.65) / 0.15));
                            noiseBand(b, place.burstHz, 1500);
                        }
                        voicing[b] = (float) (x > 0.8 ? loudness * (x - 0.8) / 0.2 : 0);
                        aimFormants(b, place.locusHz);
                    }
                }
            } else {
                double y = (t - onsetEnd) / (end - onsetEnd);
                double release = lastInPhrase ? 1.0 : 0.6;
                double fade = y > 0.75 ? 1 - release * (y - 0.75) / 0.25 : 1;
                voicing[b] = (float) (loudness * fade);
                aimFormants(b, (y < 0.5 ? vowel : offglide).formantsHz);
            }
        }
    }

    private Vowel randomVowel() {
        return Vowel.values()[rng.nextInt(Vowel.values().length)];
    }

    private void aimFormants(int b, double[] maleHz) {
        for (int f = 0; f < 4; f++) {
            formantTargets[f][b] = maleHz[f] * formantScale;
        }
    }

    private void noiseBand(int b, double maleHz, double bandwidthHz) {
        fricationHz[b] = Math.min(MAX_NOISE_HZ, maleHz * formantScale);
        fricationBwHz[b] = bandwidthHz;
    }

    /** Semitones to Hz, after adding slow pitch wander and (for fear) a 6 Hz tremor over the whole utterance. */
    private double[] pitchTrack() {
        double wanderRate1 = rng.uniform(0.2, 0.6), wanderPhase1 = rng.uniform(0, 2 * Math.PI);
        double wanderRate2 = rng.uniform(0.7, 1.5), wanderPhase2 = rng.uniform(0, 2 * Math.PI);
        double tremorRate = rng.uniform(5.0, 7.0), tremorPhase = rng.uniform(0, 2 * Math.PI);
        double[] f0 = new double[semitones.length];
        for (int b = 0; b < f0.length; b++) {
            double t = b * BLOCK_SECONDS;
            double st = semitones[b]
                    + 0.3 * StrictMath.sin(2 * Math.PI * wanderRate1 * t + wanderPhase1)
                    + 0.2 * StrictMath.sin(2 * Math.PI * wanderRate2 * t + wanderPhase2)
                    + emotion.tremorSemitones() * StrictMath.sin(2 * Math.PI * tremorRate * t + tremorPhase);
            f0[b] = EmotionProfile.clamp(speaker.f0Hz() * StrictMath.pow(2, st / 12), 50, 600);
        }
        return f0;
    }

    private double[][] glidedFormants() {
        double keep = StrictMath.exp(-BLOCK_SECONDS / FORMANT_GLIDE_SECONDS);
        for (double[] track : formantTargets) {
            for (int b = 1; b < track.length; b++) {
                track[b] = keep * track[b - 1] + (1 - keep) * track[b];
            }
        }
        return formantTargets;
    }

    /** The first block at or after time {@code t}, clipped to the track. */
    private int block(double t) {
        return (int) Math.max(0, Math.min(semitones.length - 1, Math.ceil(t / BLOCK_SECONDS)));
    }
}
