package ser.synth;

/**
 * One synthetic speaker: what stays the same across all of their clips.
 *
 * @param id             CREMA-D style actor id (1001, 1002, ...)
 * @param voice          the kind of voice, which sets the ranges the other values are drawn from
 * @param f0Hz           neutral speaking pitch
 * @param formantScale   vocal-tract length factor: shorter tracts (women, children) have higher formants
 * @param tiltOffset     added to every emotion's spectral tilt: some voices are brighter than others
 * @param breathOffset   added aspiration
 * @param rateFactor     multiplies every emotion's syllable rate
 * @param expressiveness how far this speaker's emotional clips move from neutral (0..1)
 */
public record SpeakerProfile(
        int id,
        Voice voice,
        double f0Hz,
        double formantScale,
        double tiltOffset,
        double breathOffset,
        double rateFactor,
        double expressiveness) {

    public static final int FIRST_ID = 1001;

    public enum Voice { MALE, FEMALE, CHILD }

    /**
     * The {@code index}-th speaker (0-based) of a corpus. Voices alternate male/female with every fifth a child,
     * so that any small corpus is balanced; the rest is drawn from {@code corpusSeed} and the index alone.
     */
    public static SpeakerProfile draw(long corpusSeed, int index) {
        SynthRandom rng = new SynthRandom(Seeds.mix(corpusSeed, 0x5BEA4E5L, index));
        Voice voice = index % 5 == 4 ? Voice.CHILD : index % 2 == 0 ? Voice.MALE : Voice.FEMALE;
        double f0 = switch (voice) {
            case MALE -> rng.uniform(95, 135);
            case FEMALE -> rng.uniform(175, 235);
            case CHILD -> rng.uniform(240, 290);
        };
        double scale = switch (voice) {
            case MALE -> rng.uniform(0.94, 1.05);
            case FEMALE -> rng.uniform(1.12, 1.20);
            case CHILD -> rng.uniform(1.25, 1.33);
        };
        double breath = rng.uniform(0.0, 0.05) + (voice == Voice.MALE ? 0.0 : 0.03);
        return new SpeakerProfile(FIRST_ID + index, voice, f0, scale,
                rng.uniform(-0.10, 0.10), breath, rng.uniform(0.87, 1.15), rng.uniform(0.75, 1.0));
    }
}
