package ser.synth;

/**
 * Vowel targets for an adult male vocal tract: F1–F3 are the Peterson &amp; Barney (1952) averages, F4 a typical
 * value. Speakers scale them by their vocal-tract length factor.
 */
enum Vowel {
    IY(270, 2290, 3010, 3700),
    IH(390, 1990, 2550, 3600),
    EH(530, 1840, 2480, 3600),
    AE(660, 1720, 2410, 3500),
    AA(730, 1090, 2440, 3400),
    AO(570, 840, 2410, 3400),
    UH(440, 1020, 2240, 3400),
    UW(300, 870, 2240, 3400),
    AH(640, 1190, 2390, 3400),
    ER(490, 1350, 1690, 3300);

    /** Neutral tract shape, used where no vowel is being aimed at (pauses). */
    static final Vowel SCHWA = AH;

    final double[] formantsHz;

    Vowel(double f1, double f2, double f3, double f4) {
        this.formantsHz = new double[] {f1, f2, f3, f4};
    }
}
