package ser.dsp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowTest {

    @Test
    void periodicHannIsCentredInTheFrame() {
        float[] w = Window.hannPeriodic(640, 1024);
        int left = (1024 - 640) / 2;
        for (int i = 0; i < 1024; i++) {
            double want = i < left || i >= left + 640 ? 0 : 0.5 - 0.5 * Math.cos(2 * Math.PI * (i - left) / 640);
            assertEquals(want, w[i], 3e-7, "sample " + i);
        }
        assertEquals(1.0, w[left + 320], 0);  // periodic: the peak is at winLength/2, and it is exactly 1
    }

    @Test
    void oddPaddingPutsTheExtraZeroOnTheRight() {
        float[] w = Window.hannPeriodic(5, 8);  // torch.stft: left = (8 - 5) / 2 = 1
        assertEquals(0, w[0]);
        assertEquals(0, w[1]);  // Hann starts at 0
        assertEquals(0.0, w[6], 1e-7);
        assertEquals(0, w[7]);
        assertEquals(0.5 - 0.5 * Math.cos(2 * Math.PI * 2 / 5), w[3], 1e-7);
    }

    @Test
    void oneSampleWindowIsOneAsInTorch() {
        assertArrayEquals(new float[] {0, 1, 0, 0}, Window.hannPeriodic(1, 4));
    }

    /**
     * Rounded where torch rounds (a float angle, a float cosine), so mostly bit-equal to torch.hann_window; where
     * torch's vectorised cosine rounds the other way, one float ulp of the cosine apart.
     */
    @ParameterizedTest
    @ValueSource(ints = {640, 400, 33})
    void matchesTorchHannWindow(int n) throws IOException {
        float[] torch = MelFixtures.npy(MelFixtures.dir().resolve("hann-" + n + ".npy")).data();
        float[] ours = Window.hannPeriodic(n, n);
        int exact = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(torch[i], ours[i], Math.ulp(0.5f), "sample " + i);
            if (torch[i] == ours[i]) exact++;
        }
        assertTrue(exact >= n * 0.9, exact + " of " + n + " bit-equal");
    }
}
