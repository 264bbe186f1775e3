package ser.synth;

/**
 * The control tracks of one utterance, one value per block of {@link ProsodyPlanner#BLOCK} samples (1 ms), plus one
 * past the end so that the renderer can interpolate across the last block.
 *
 * @param samples         length of the utterance in samples
 * @param f0Hz            glottal pulse rate
 * @param voicing         amplitude of the voiced source, 0 in pauses and unvoiced consonants
 * @param frication       amplitude of the frication noise source (fricatives, stop bursts)
 * @param fricationHz     centre of the frication noise band
 * @param fricationBwHz   width of the frication noise band
 * @param formantsHz      F1..F4 tracks, already smoothed (coarticulation)
 */
record UtterancePlan(
        int samples,
        double[] f0Hz,
        float[] voicing,
        float[] frication,
        double[] fricationHz,
        double[] fricationBwHz,
        double[][] formantsHz) {

    int blocks() {
        return voicing.length - 1;
    }
}
