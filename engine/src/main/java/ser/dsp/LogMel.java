package ser.dsp;

import ser.tensor.Tensor;

/**
 * Log-Mel spectrogram exactly as torchaudio's MelSpectrogram followed by AmplitudeToDB.
 * (Contract fixed by the foundation skeleton; implemented in the DSP work.)
 */
public final class LogMel {

    public LogMel(MelConfig config) {
        throw new UnsupportedOperationException("LogMel");
    }

    /** Log-Mel in dB of mono samples at the config's sample rate, shaped [n_mels, frames]. */
    public Tensor compute(float[] samples) {
        throw new UnsupportedOperationException("LogMel.compute");
    }

    /** Frames for {@code samples} samples with center=True: 1 + samples / hop. */
    public int frames(int samples) {
        throw new UnsupportedOperationException("LogMel.frames");
    }
}
