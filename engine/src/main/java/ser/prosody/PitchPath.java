package ser.prosody;

/**
 * The Viterbi search through the candidates of all frames (Boersma 1993): each candidate scores its strength (less
 * the octave cost) or, for unvoiced, the voicing threshold plus a bonus in near-silence; each step between frames
 * costs the voiced/unvoiced transition or the octave jump. The best-scoring path is the pitch contour.
 */
final class PitchPath {

    private PitchPath() {}

    static PitchTrack choose(FrameGrid grid, PitchCandidates[] frames, PitchSettings s) {
        int n = frames.length;
        double[] f0 = new double[n], strength = new double[n];
        if (n == 0) return new PitchTrack(grid, f0, strength);
        // The transition costs are stated per 10 ms; other time steps scale them so the contour's stiffness stays.
        double stepCorrection = 0.01 / s.timeStep();
        double jumpCost = s.octaveJumpCost() * stepCorrection, vuvCost = s.voicedUnvoicedCost() * stepCorrection;
        double[][] delta = new double[n][];
        int[][] from = new int[n][];
        for (int t = 0; t < n; t++) {
            PitchCandidates c = frames[t];
            delta[t] = new double[c.count];
            from[t] = new int[c.count];
            double silenceBonus = s.silenceThreshold() <= 0 ? 0
                    : 2 - c.intensity / (s.silenceThreshold() / (1 + s.voicingThreshold()));
            double unvoiced = s.voicingThreshold() + Math.max(0, silenceBonus);
            for (int i = 0; i < c.count; i++) {
                delta[t][i] = voiceless(c.frequency[i], s) ? unvoiced
                        : c.strength[i] - s.octaveCost() * PitchCandidates.log2(s.ceiling() / c.frequency[i]);
            }
        }
        for (int t = 1; t < n; t++) {
            PitchCandidates previous = frames[t - 1], current = frames[t];
            for (int j = 0; j < current.count; j++) {
                double f2 = current.frequency[j];
                boolean currentVoiceless = voiceless(f2, s);
                double best = Double.NEGATIVE_INFINITY;
                int place = 0;
                for (int i = 0; i < previous.count; i++) {
                    double f1 = previous.frequency[i];
                    boolean previousVoiceless = voiceless(f1, s);
                    double cost = currentVoiceless ? (previousVoiceless ? 0 : vuvCost)
                            : previousVoiceless ? vuvCost : jumpCost * Math.abs(PitchCandidates.log2(f1 / f2));
                    double value = delta[t - 1][i] - cost;
                    if (value > best) {
                        best = value;
                        place = i;
                    }
                }
                delta[t][j] += best;
                from[t][j] = place;
            }
        }
        int place = 0;
        for (int i = 1; i < frames[n - 1].count; i++) if (delta[n - 1][i] > delta[n - 1][place]) place = i;
        for (int t = n - 1; t >= 0; t--) {
            PitchCandidates c = frames[t];
            boolean voiced = !voiceless(c.frequency[place], s);
            f0[t] = voiced ? c.frequency[place] : 0;
            strength[t] = c.strength[place];
            if (t > 0) place = from[t][place];
        }
        return new PitchTrack(grid, f0, strength);
    }

    private static boolean voiceless(double hz, PitchSettings s) {
        return hz <= 0 || hz >= s.ceiling();
    }
}
