package ser.spark;

import org.junit.jupiter.api.Test;
import ser.SerException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ser spark features --device}: checked on the driver, in the option's name; cpu by default. */
class FeatureSpecDeviceTest {

    @Test
    void theDeviceIsCheckedWhereTheSpecIsMade() {
        assertEquals("cpu", new FeatureSpec("mel", null, null, null, null, 0).device());
        assertEquals("auto:tf32", new FeatureSpec("mel", null, null, null, null, 0, "auto:tf32").device());
        SerException e = assertThrows(SerException.class, () -> new FeatureSpec("mel", null, null, null, null, 0, "cpu:bf16"));
        assertTrue(e.getMessage().startsWith("--device: device 'cpu:bf16'"), e.getMessage());
    }

    @Test
    void autoWithoutAGpuExtractsOnTheCpu() {
        FeatureSpec.Extractor onAuto = new FeatureSpec("mel", null, null, null, null, 0, "auto").extractor();
        assertEquals(new FeatureSpec("mel", null, null, null, null, 0).extractor().key(), onAuto.key());
    }
}
