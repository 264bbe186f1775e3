/**
 * HuBERT and wav2vec 2.0 encoders on the CPU: from 16 kHz waveforms to every layer's hidden states.
 *
 * <p>{@link ser.hubert.Hubert#load} maps an engine weights file written by {@code ser convert}
 * ({@link ser.hubert.convert}); {@link ser.hubert.Hubert#forward} runs a clip or a padded batch and returns a
 * {@link ser.hubert.HubertOutput}. All arithmetic goes through {@link ser.tensor.Ops}, so another backend can
 * take the model as it is. Activations are time-major [T, C] throughout, which turns every strided conv into one
 * GEMM over overlapping windows of its input (see {@link ser.hubert.FeatureEncoder}).
 */
package ser.hubert;
