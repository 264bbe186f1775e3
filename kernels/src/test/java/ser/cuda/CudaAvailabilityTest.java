package ser.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without a GPU the backend must say why, in one line, and refuse cleanly; with one it must come up. */
class CudaAvailabilityTest {

    @Test
    void reportsAvailabilityWithAReason() {
        Cuda.Availability a = Cuda.availability();
        assertFalse(a.reason().isBlank());
        assertFalse(a.reason().contains("\n"), "one line: " + a.reason());
        if (a.available()) {
            Cuda.Device d = Cuda.device();
            assertTrue(d.memoryBytes() > 0);
            assertTrue(d.computeCapability() >= 50);
        } else {
            CudaException e = assertThrows(CudaException.class, Cuda::device);
            assertTrue(e.getMessage().contains(a.reason()), e.getMessage());
        }
    }

    @Test
    void missingLibraryIsEmptyNotAnError() {
        assertTrue(NativeLibrary.open("libser-no-such-library.so.7").isEmpty());
    }

    @Test
    void missingSymbolNamesLibraryAndSymbol() {
        // libc is always there; the symbol is not.
        NativeLibrary libc = NativeLibrary.open("libc.so.6").orElseThrow();
        CudaException e = assertThrows(CudaException.class, () -> libc.function("cuNoSuchCall",
                java.lang.foreign.FunctionDescriptor.ofVoid()));
        assertTrue(e.getMessage().contains("libc.so.6") && e.getMessage().contains("cuNoSuchCall"), e.getMessage());
    }
}
