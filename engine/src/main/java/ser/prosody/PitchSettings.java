package ser.prosody;

/**
 * The settings of Praat's {@code To Pitch (ac)}, with its defaults in {@link #praatDefaults()}.
 *
 * @param floor            lowest pitch searched, Hz; the analysis window holds {@code periodsPerWindow} of its periods
 * @param ceiling          highest pitch reported, Hz
 * @param candidates       most pitch candidates kept per frame, the unvoiced one included
 * @param silenceThreshold frames whose local peak is below this share of the global peak lean to unvoiced
 * @param voicingThreshold correlation a candidate needs to beat the unvoiced candidate
 * @param octaveCost       favour of higher candidates per octave, against period doubling
 * @param octaveJumpCost   cost per octave of a jump between voiced frames
 * @param voicedUnvoicedCost cost of a voiced/unvoiced transition
 * @param periodsPerWindow periods of the floor in one analysis window
 * @param timeStep         seconds between frame centres
 */
public record PitchSettings(double floor, double ceiling, int candidates, double silenceThreshold, double voicingThreshold,
                            double octaveCost, double octaveJumpCost, double voicedUnvoicedCost, double periodsPerWindow,
                            double timeStep) {

    public PitchSettings {
        if (!(floor > 0 && ceiling > floor)) throw new IllegalArgumentException("pitch floor must be positive and below the ceiling");
        if (candidates < 2) throw new IllegalArgumentException("pitch candidates must be at least 2, got " + candidates);
        if (!(timeStep > 0)) throw new IllegalArgumentException("time step must be positive, got " + timeStep);
    }

    /** Praat's {@code To Pitch (ac)}: 0 (= 10 ms), 75, 15, no, 0.03, 0.45, 0.01, 0.35, 0.14, 600. */
    public static PitchSettings praatDefaults() {
        return new PitchSettings(75, 600, 15, 0.03, 0.45, 0.01, 0.35, 0.14, 3, 0.01);
    }

    /** A one-line description for cache keys. */
    public String describe() {
        return "floor=" + floor + ",ceiling=" + ceiling + ",candidates=" + candidates + ",silence=" + silenceThreshold
                + ",voicing=" + voicingThreshold + ",octave=" + octaveCost + ",jump=" + octaveJumpCost + ",vuv="
                + voicedUnvoicedCost + ",periods=" + periodsPerWindow + ",step=" + timeStep;
    }
}
