package ser.train;

import ser.run.AugmentConfig;

import java.util.SplittableRandom;
import java.util.Arrays;

/**
 * SpecAugment's masks (Park et al. 2019, without time warping) on a batch of spectrogram inputs
 * {@code [n, 1, bands, frames]}: per example, {@code timeMasks} runs of 0 to {@code timeMaskWidth} frames and
 * {@code freqMasks} runs of 0 to {@code freqMaskWidth} bands are set to that example's mean, which is neutral
 * for raw decibels and for normalised inputs alike.
 */
final class SpecAugment {

    private SpecAugment() {}

    static void apply(float[] batch, int n, int bands, int frames, AugmentConfig c, SplittableRandom random) {
        int size = bands * frames;
        for (int b = 0; b < n; b++) {
            int base = b * size;
            double sum = 0;
            for (int i = 0; i < size; i++) sum += batch[base + i];
            float mean = (float) (sum / size);
            for (int m = 0; m < c.timeMasks(); m++) {
                int width = random.nextInt(Math.min(c.timeMaskWidth(), frames) + 1);
                int start = random.nextInt(frames - width + 1);
                for (int f = 0; f < bands; f++) {
                    Arrays.fill(batch, base + f * frames + start, base + f * frames + start + width, mean);
                }
            }
            for (int m = 0; m < c.freqMasks(); m++) {
                int width = random.nextInt(Math.min(c.freqMaskWidth(), bands) + 1);
                int start = random.nextInt(bands - width + 1);
                Arrays.fill(batch, base + start * frames, base + (start + width) * frames, mean);
            }
        }
    }
}
