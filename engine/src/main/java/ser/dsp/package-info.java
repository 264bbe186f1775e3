/**
 * Log-Mel spectrograms as torchaudio 0.13 computes them ({@code MelSpectrogram} then {@code AmplitudeToDB}), fast.
 *
 * <p>Pipeline, for {@link ser.dsp.BatchFft#lanes()} consecutive frames at a time, laid out [bin][frame] so that every
 * step is vertical SIMD with no shuffles:
 * {@link ser.dsp.Stft} (torch.stft framing: centre padding, reflect or constant; periodic Hann, centred; packed
 * real-as-complex) &rarr; {@link ser.dsp.BatchFft} (cache-blocked radix-2&sup2; FFT and the real split, to power)
 * &rarr; {@link ser.dsp.MelFilterbank} (sparse triangles) &rarr; {@link ser.dsp.Decibels} (10 log10, floor -100 dB,
 * optional top_db) &rarr; the [n_mels, frames] output of {@link ser.dsp.LogMel}, whose batches
 * {@code DspThreads} spreads over a few cores. {@link ser.dsp.LogMelReference} is the same, one frame at a time
 * in scalar code ({@link ser.dsp.Fft#realForward}).
 *
 * <p>Numerics: everything is float32, like torch. Window and filterbank are computed in float, rounding where torch
 * rounds (the seed's HTK filterbank is bit-identical to torchaudio's), twiddles in double rounded once. Against the
 * torchaudio oracle ({@code tools/reference/make_mel_fixtures.py}) the worst difference on the fixtures is under
 * 0.001 dB within 80 dB of a spectrogram's maximum.
 */
package ser.dsp;
