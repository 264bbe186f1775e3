package ser.tensor;

import org.junit.jupiter.api.Test;
import ser.SerException;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Device specs and the opening of a backend, on a machine without a GPU: the test provider {@link AbsentDevice}
 * stands for a device whose driver is missing. (The CUDA backend, ser.kernels, is not on this module's path.)
 */
class DevicesTest {

    private static final Parallel POOL = new Parallel(1);

    @Test
    void specsParse() {
        assertEquals(new Devices.Spec("cpu", null), Devices.Spec.parse("cpu"));
        assertEquals(new Devices.Spec("cuda", null), Devices.Spec.parse(" CUDA "));
        assertEquals(new Devices.Spec("cuda", "tf32"), Devices.Spec.parse("cuda:tf32"));
        assertEquals(new Devices.Spec("auto", "bf16"), Devices.Spec.parse("auto:bf16"));
        assertEquals("auto:bf16", Devices.Spec.parse("auto:bf16").toString());
        assertNull(Devices.Spec.parse("auto").precision());
    }

    @Test
    void badSpecsAreOneLineErrors() {
        for (String bad : new String[] {"", "  ", ":fp32", "cuda:", "cpu:bf16", "cpu:fp32"}) {
            SerException e = assertThrows(SerException.class, () -> Devices.Spec.parse(bad), bad);
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertTrue(e.getMessage().startsWith("device "), e.getMessage());
        }
        assertTrue(assertThrows(SerException.class, () -> Devices.Spec.parse("cpu:bf16")).getMessage().contains("one precision, fp32"));
        assertTrue(assertThrows(SerException.class, () -> Devices.Spec.parse(null)).getMessage().contains(Devices.SPECS));
    }

    @Test
    void cpuIsTheSimdBackend() {
        List<String> notices = new ArrayList<>();
        Backends.Backend cpu = Devices.open("cpu", POOL, notices::add);
        assertEquals("cpu", cpu.name());
        assertInstanceOf(SimdOps.class, cpu.ops());
        assertTrue(cpu.onCpu());
        assertTrue(notices.isEmpty());
        assertTrue(Devices.cpu().onCpu());
        assertTrue(new Backends.Backend("scalar", new ScalarOps()).onCpu());
        assertFalse(new Backends.Backend("offheap", new OffHeapOps()).onCpu(), "any other backend counts as a device");
    }

    @Test
    void autoFallsBackToTheCpuWithExactlyOneNotice() {
        for (String spec : new String[] {"auto", "auto:tf32"}) {
            List<String> notices = new ArrayList<>();
            Backends.Backend b = Devices.open(spec, POOL, notices::add);
            assertEquals("cpu", b.name());
            assertInstanceOf(SimdOps.class, b.ops());
            assertEquals(1, notices.size(), notices.toString());
            String notice = notices.getFirst();
            assertEquals(1, notice.lines().count(), notice);
            assertTrue(notice.startsWith("no GPU: running on the CPU"), notice);
            assertTrue(notice.contains(AbsentDevice.NAME + ": " + AbsentDevice.REASON), notice);
        }
    }

    @Test
    void aNamedDeviceThatCannotRunHereFailsWithItsReasonInOneLine() {
        SerException e = assertThrows(SerException.class, () -> Devices.open(AbsentDevice.NAME, POOL, n -> {
            throw new AssertionError("no notice for a named device: " + n);
        }));
        assertEquals("device absent cannot run here: absent: " + AbsentDevice.REASON, e.getMessage());

        SerException precision = assertThrows(SerException.class, () -> Devices.open("absent:fp16", POOL, n -> {}));
        assertEquals(1, precision.getMessage().lines().count());
        assertTrue(precision.getMessage().contains("has no precision 'fp16' (it has fp32, tf32, bf16)"), precision.getMessage());
    }

    @Test
    void cudaWithoutItsBackendOnThePathSaysSoInOneLine() {
        // The engine's tests run without ser.kernels: cuda is not in this build, and the message lists what is.
        SerException e = assertThrows(SerException.class, () -> Devices.open("cuda", POOL, n -> {}));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains("'cuda' is not in this build (devices: cpu, absent, auto)"), e.getMessage());
    }

    @Test
    void aProviderThatCannotOpenIsAbsentFromTheBackendList() {
        assertTrue(Backends.all(POOL).stream().noneMatch(b -> b.name().startsWith(AbsentDevice.NAME)));
    }
}
