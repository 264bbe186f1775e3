/**
 * A built-in SYNTHETIC emotional-speech corpus, so that {@code ser demo} can train and evaluate on a machine with
 * no data. Nothing here is recorded speech and nothing learnt from it transfers to real emotion recognition.
 *
 * <p>{@link ser.synth.SyntheticCorpus} writes the files; {@link ser.synth.ClipSynthesizer} makes one clip from a
 * {@link ser.synth.SpeakerProfile} and an {@link ser.synth.EmotionProfile}. Inside, a
 * {@code ProsodyPlanner} lays out phrases, syllables and the pitch contour at a 1 ms control rate, and a
 * {@code SourceFilterVoice} renders them with a glottal pulse train and a formant-resonator vocal tract.
 * See {@code docs/synthetic-corpus.md}.
 */
package ser.synth;
