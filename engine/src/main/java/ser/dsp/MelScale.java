package ser.dsp;

/** The two mel scales of torchaudio ({@code mel_scale="htk"} and {@code "slaney"}): Hz to mel and back. */
public enum MelScale {

    /** O'Shaughnessy's formula as HTK uses it: 2595 log10(1 + f/700). */
    HTK {
        @Override public double hzToMel(double hz) { return 2595.0 * Math.log10(1.0 + hz / 700.0); }

        @Override public double melToHz(double mel) { return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0); }

        @Override public float melToHz(float mel) { return 700f * ((float) Math.pow(10.0, mel / 2595f) - 1f); }
    },

    /** Slaney's Auditory Toolbox (librosa's default): linear to 1 kHz, logarithmic above. */
    SLANEY {
        private static final double HZ_PER_MEL = 200.0 / 3;
        private static final double LOG_FROM_HZ = 1000.0;
        private static final double LOG_FROM_MEL = LOG_FROM_HZ / HZ_PER_MEL;
        private static final double LOG_STEP = Math.log(6.4) / 27.0;

        @Override public double hzToMel(double hz) {
            return hz >= LOG_FROM_HZ ? LOG_FROM_MEL + Math.log(hz / LOG_FROM_HZ) / LOG_STEP : hz / HZ_PER_MEL;
        }

        @Override public double melToHz(double mel) {
            return mel >= LOG_FROM_MEL ? LOG_FROM_HZ * Math.exp(LOG_STEP * (mel - LOG_FROM_MEL)) : HZ_PER_MEL * mel;
        }

        @Override public float melToHz(float mel) {
            return mel >= LOG_FROM_MEL ? (float) LOG_FROM_HZ * (float) Math.exp((float) LOG_STEP * (mel - (float) LOG_FROM_MEL))
                    : (float) HZ_PER_MEL * mel;
        }
    };

    public abstract double hzToMel(double hz);

    public abstract double melToHz(double mel);

    /** The same in float, rounding where torchaudio's float32 tensor arithmetic rounds. */
    public abstract float melToHz(float mel);

    /** "htk" or "slaney", as the config spells it. */
    public static MelScale of(String name) {
        return switch (name) {
            case "htk" -> HTK;
            case "slaney" -> SLANEY;
            default -> throw new IllegalArgumentException("mel_scale must be htk or slaney, got " + name);
        };
    }
}
