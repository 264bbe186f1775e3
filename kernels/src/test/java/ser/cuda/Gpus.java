package ser.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The GPU for a test class's {@code @BeforeAll}; the class's tests skip, with the reason, where none is usable. */
final class Gpus {

    private Gpus() {}

    static Cuda.Device require() {
        Cuda.Availability a = Cuda.availability();
        assumeTrue(a.available(), "no usable GPU: " + a.reason());
        return Cuda.device();
    }
}
