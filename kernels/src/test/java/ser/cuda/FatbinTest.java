package ser.cuda;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fatbin the build made holds every kernel the Java side launches, under its plain (extern "C") name. */
class FatbinTest {

    @Test
    void everyLaunchedKernelIsInTheFatbin() {
        var fatbin = CudaKernels.fatbinResource();
        Assumptions.assumeTrue(fatbin.isPresent(), "built without nvcc: no fatbin to check");
        String bytes = new String(fatbin.get(), StandardCharsets.ISO_8859_1);
        for (String name : CudaKernels.NAMES) {
            assertTrue(bytes.contains(name + "\0"), "kernel " + name + " missing from the fatbin");
        }
        // Both real architectures and the PTX fallback are there: cubins are ELF images, PTX is text.
        assertTrue(bytes.contains("\u007fELF"), "no cubin in the fatbin");
    }
}
