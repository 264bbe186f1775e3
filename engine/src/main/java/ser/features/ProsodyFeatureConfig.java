package ser.features;

/**
 * The settings of the prosody front end ({@code kind: prosody}); everything else is fixed by {@link #VERSION}, which
 * changes whenever the computed vector would.
 *
 * @param pitchFloor      lowest F0 searched, Hz (Praat's pitch floor)
 * @param pitchCeiling    highest F0 reported, Hz
 * @param formantCeiling  Praat's "maximum formant", Hz: 5500 suits adult female voices, 5000 male
 */
public record ProsodyFeatureConfig(double pitchFloor, double pitchCeiling, double formantCeiling) {

    public static final String VERSION = "prosody-v2";

    public ProsodyFeatureConfig {
        if (!(pitchFloor >= 30 && pitchFloor <= 300)) throw new IllegalArgumentException("pitch_floor must be in [30, 300] Hz, got " + pitchFloor);
        if (!(pitchCeiling > pitchFloor && pitchCeiling <= 2000)) {
            throw new IllegalArgumentException("pitch_ceiling must be above pitch_floor and at most 2000 Hz, got " + pitchCeiling);
        }
        if (!(formantCeiling >= 3000 && formantCeiling <= 7950)) {
            throw new IllegalArgumentException("formant_ceiling must be in [3000, 7950] Hz, got " + formantCeiling);
        }
    }

    public static ProsodyFeatureConfig defaults() {
        return new ProsodyFeatureConfig(75, 600, 5500);
    }

    public String cacheKey() {
        return VERSION + " pitch_floor=" + pitchFloor + " pitch_ceiling=" + pitchCeiling + " formant_ceiling=" + formantCeiling;
    }
}
