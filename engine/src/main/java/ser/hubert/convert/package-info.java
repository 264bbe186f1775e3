/**
 * Published HuBERT / wav2vec 2.0 checkpoints (Hugging Face, fairseq, torchaudio) to the engine's weights file.
 *
 * <p>The conversion sits in the engine rather than in the {@code weights-converter} module so that the one
 * {@code ser} jar can both convert and run; the runtime ({@link ser.hubert}) never sees a foreign name or layout,
 * only {@link ser.hubert.WeightNames}. {@code weights-converter} packages the same code as a converter-only jar.
 */
package ser.hubert.convert;
