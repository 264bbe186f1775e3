package ser.synth;

import ser.SerException;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How one emotion moves the voice away from a speaker's neutral delivery.
 *
 * <p>The values follow the direction of the acoustic correlates summarised by Murray &amp; Arnott (1993),
 * Banse &amp; Scherer (1996) and Juslin &amp; Laukka (2003); the magnitudes are our own choice, picked so that the
 * classes are separable but overlap once speaker, intensity and noise variation are added. They are not
 * measurements of any corpus.
 *
 * @param code                three-letter label, CREMA-D style (ANG, HAP, ...)
 * @param pitchShiftSemitones F0 level relative to the speaker's neutral
 * @param pitchRangeSemitones height of pitch accents
 * @param syllablesPerSecond  tempo
 * @param gainDb              loudness relative to neutral
 * @param tilt                one-pole low-pass coefficient on the glottal source: 0 is flat, 0.9 very steep
 * @param openQuotient        fraction of each glottal period the folds are open: low is pressed, high is breathy
 * @param jitter              relative standard deviation of successive glottal periods
 * @param shimmer             relative standard deviation of successive pulse amplitudes
 * @param breathiness         aspiration noise relative to the glottal pulse
 * @param pauseScale          multiplies the pauses between phrases
 * @param phraseEndSemitones  pitch movement on each phrase's last syllable (negative: fall, positive: rise)
 * @param tremorSemitones     depth of a 6 Hz F0 tremor
 * @param formantShift        relative shift of all formants (a smile or a tense pharynx raises them)
 */
public record EmotionProfile(
        String code,
        double pitchShiftSemitones,
        double pitchRangeSemitones,
        double syllablesPerSecond,
        double gainDb,
        double tilt,
        double openQuotient,
        double jitter,
        double shimmer,
        double breathiness,
        double pauseScale,
        double phraseEndSemitones,
        double tremorSemitones,
        double formantShift) {

    //                                          pitch range  rate   gain  tilt   OQ    jitter shimmer breath pause  end   trem  fmt
    public static final EmotionProfile NEU = new EmotionProfile("NEU", 0.0, 4.0, 4.5, 0.0, 0.50, 0.60, 0.006, 0.04, 0.05, 1.0, -1.5, 0.0, 0.00);
    public static final EmotionProfile HAP = new EmotionProfile("HAP", 4.5, 8.0, 5.0, 2.0, 0.40, 0.55, 0.008, 0.05, 0.05, 0.8, -1.0, 0.0, 0.04);
    public static final EmotionProfile ANG = new EmotionProfile("ANG", 2.5, 6.0, 5.6, 8.0, 0.05, 0.42, 0.012, 0.07, 0.03, 0.7, -3.0, 0.0, 0.03);
    public static final EmotionProfile SAD = new EmotionProfile("SAD", -2.5, 1.5, 3.2, -7.0, 0.85, 0.75, 0.010, 0.08, 0.25, 1.8, -1.0, 0.2, -0.02);
    public static final EmotionProfile FEA = new EmotionProfile("FEA", 6.0, 5.0, 6.0, 1.0, 0.40, 0.60, 0.020, 0.08, 0.15, 1.2, 1.0, 0.8, 0.02);
    public static final EmotionProfile DIS = new EmotionProfile("DIS", -1.0, 5.0, 3.6, 1.0, 0.45, 0.55, 0.012, 0.06, 0.06, 1.3, -3.0, 0.0, -0.03);
    public static final EmotionProfile SUR = new EmotionProfile("SUR", 5.0, 10.0, 4.8, 3.0, 0.40, 0.55, 0.008, 0.05, 0.06, 1.0, 6.0, 0.0, 0.02);
    public static final EmotionProfile CAL = new EmotionProfile("CAL", -1.5, 2.5, 3.8, -3.0, 0.70, 0.68, 0.004, 0.03, 0.12, 1.4, -1.5, 0.0, 0.00);
    public static final EmotionProfile BOR = new EmotionProfile("BOR", -2.0, 1.0, 3.4, -4.0, 0.70, 0.65, 0.006, 0.04, 0.08, 1.6, -1.0, 0.0, -0.01);

    /** Every emotion the synthesiser can voice, in the order of an "all" label set. */
    public static final List<EmotionProfile> ALL = List.of(NEU, HAP, SAD, ANG, FEA, DIS, SUR, CAL, BOR);

    private static final Map<String, EmotionProfile> BY_CODE =
            ALL.stream().collect(Collectors.toUnmodifiableMap(EmotionProfile::code, Function.identity()));

    /** The profile for a label code, case-insensitive; an unknown code is a user error naming the known ones. */
    public static EmotionProfile of(String code) {
        EmotionProfile p = BY_CODE.get(code.toUpperCase(Locale.ROOT));
        if (p == null) {
            throw new SerException("unknown synthetic emotion '" + code + "'; known: "
                    + ALL.stream().map(EmotionProfile::code).collect(Collectors.joining(", ")));
        }
        return p;
    }

    /** Neutral delivery moved a fraction {@code intensity} of the way to this emotion (0: neutral, 1: full). */
    EmotionProfile atIntensity(double intensity) {
        EmotionProfile n = NEU;
        return new EmotionProfile(code,
                lerp(n.pitchShiftSemitones, pitchShiftSemitones, intensity),
                lerp(n.pitchRangeSemitones, pitchRangeSemitones, intensity),
                lerp(n.syllablesPerSecond, syllablesPerSecond, intensity),
                lerp(n.gainDb, gainDb, intensity),
                lerp(n.tilt, tilt, intensity),
                lerp(n.openQuotient, openQuotient, intensity),
                lerp(n.jitter, jitter, intensity),
                lerp(n.shimmer, shimmer, intensity),
                lerp(n.breathiness, breathiness, intensity),
                lerp(n.pauseScale, pauseScale, intensity),
                lerp(n.phraseEndSemitones, phraseEndSemitones, intensity),
                lerp(n.tremorSemitones, tremorSemitones, intensity),
                lerp(n.formantShift, formantShift, intensity));
    }

    /** One utterance's own delivery: every parameter nudged at random, so no two clips share a recipe. */
    EmotionProfile perturbed(SynthRandom rng) {
        return new EmotionProfile(code,
                pitchShiftSemitones + 1.0 * rng.gaussian(),
                pitchRangeSemitones * factor(rng, 0.20),
                syllablesPerSecond * factor(rng, 0.10),
                gainDb + 1.5 * rng.gaussian(),
                clamp(tilt + 0.08 * rng.gaussian(), 0.0, 0.92),
                clamp(openQuotient + 0.04 * rng.gaussian(), 0.35, 0.85),
                jitter * factor(rng, 0.25),
                shimmer * factor(rng, 0.25),
                breathiness * factor(rng, 0.30),
                pauseScale * factor(rng, 0.20),
                phraseEndSemitones + 0.7 * rng.gaussian(),
                tremorSemitones * factor(rng, 0.25),
                formantShift + 0.01 * rng.gaussian());
    }

    private static double factor(SynthRandom rng, double spread) {
        return StrictMath.exp(spread * rng.gaussian(2.5));
    }

    private static double lerp(double from, double to, double t) {
        return (1 - t) * from + t * to; // exact at both ends
    }

    static double clamp(double x, double lo, double hi) {
        return Math.max(lo, Math.min(hi, x));
    }
}
