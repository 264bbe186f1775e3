package ser.cuda;

import org.junit.jupiter.api.Test;
import ser.hubert.HubertConfig;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HubertPlanTest {

    @Test
    void shapesOfThreeSecondsOfBase() {
        HubertPlan plan = new HubertPlan(HubertConfig.base(), 8, 48_000);
        assertEquals(149, plan.frames());
        assertEquals(HubertConfig.base().frames(48_000), plan.frames());
        int[] f = plan.convFrames();
        assertEquals(9599, f[0]);
        assertEquals(4799, f[1]);
        assertEquals(plan.frames(), f[f.length - 1]);
        assertEquals(8 * 149, plan.rows());
        assertEquals(8L * 9599 * 512, plan.convActivationFloats());
        assertEquals(8L * 12 * 149 * 149, plan.scoreFloats());
        // every operand the bf16 mode stages fits
        assertTrue(plan.bf16StagingElements() >= plan.convActivationFloats());
        assertTrue(plan.bf16StagingElements() >= (long) plan.rows() * 3072);
        // positional-conv windows: 128 taps × 768 per frame, chunks of at most 2^29 elements
        assertEquals(149L * 128 * 768, plan.posWindowsPerClip());
        assertEquals(8, plan.posConvChunk());
        HubertPlan big = new HubertPlan(HubertConfig.base(), 64, 48_000);
        assertEquals((1 << 29) / (149 * 128 * 768), big.posConvChunk());
        assertTrue(big.posConvChunk() * big.posWindowsPerClip() <= 1L << 29);
        assertEquals(1, new HubertPlan(HubertConfig.base(), 2, 16_000 * 600).posConvChunk());
    }

    @Test
    void flopsPerStage() {
        HubertPlan plan = new HubertPlan(HubertConfig.base(), 1, 48_000);
        Map<String, Double> f = plan.flops();
        assertEquals(2.0 * 9599 * 512 * 10, f.get(HubertPlan.CONV0));
        double convs = 2.0 * 512 * 512 * (3 * (4799 + 2399 + 1199 + 599) + 2 * (299 + 149));
        assertEquals(convs, f.get(HubertPlan.CONVS), 1);
        assertEquals(12 * 2.0 * 149 * 768 * 3072 * 2, f.get(HubertPlan.FFN_IN) + f.get(HubertPlan.FFN_OUT), 1);
        assertEquals(2.0 * 149 * 768 * 48 * 128, f.get(HubertPlan.POS_CONV), 1);
        // docs/hubert.md: 14.1 GFLOP per second of audio for base on 3 s clips
        assertEquals(14.1, plan.totalFlops() / 3 / 1e9, 0.1);
        assertEquals(8 * plan.totalFlops(), new HubertPlan(HubertConfig.base(), 8, 48_000).totalFlops(), 1e3);
    }

    @Test
    void refusesAudioWithoutAFrame() {
        assertThrows(IllegalArgumentException.class, () -> new HubertPlan(HubertConfig.base(), 1, 399));
        assertThrows(IllegalArgumentException.class, () -> new HubertPlan(HubertConfig.base(), 0, 48_000));
        assertEquals(1, new HubertPlan(HubertConfig.base(), 1, 400).frames());
    }
}
