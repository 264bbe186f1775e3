package ser.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KaiserWindowTest {

    @Test
    void besselI0MatchesTabulatedValues() {
        assertEquals(1.0, KaiserWindow.besselI0(0), 0);
        assertEquals(1.2660658777520082, KaiserWindow.besselI0(1), 1e-15);
        assertEquals(2815.716628466254, KaiserWindow.besselI0(10), 1e-9);
    }

    @Test
    void windowIsOneAtTheCentreAndZeroAtTheEnds() {
        double beta = KaiserWindow.beta(90);
        assertEquals(1.0, KaiserWindow.at(beta, 0), 1e-15);
        assertEquals(0.0, KaiserWindow.at(beta, 1), 0);
        assertEquals(KaiserWindow.at(beta, 0.3), KaiserWindow.at(beta, -0.3), 0);
        assertEquals(1 / KaiserWindow.besselI0(beta), KaiserWindow.at(beta, 0.999999999), 1e-9);
    }
}
