package ser.hubert;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clips too short for one frame (under 400 samples) give no frames, alone or beside longer clips. */
class HubertShortInputTest {

    @Test
    void clipShorterThanOneFrameGivesNoFrames() throws Exception {
        Hubert hubert = HubertFixtureTest.smallModel("small-base");
        HubertOutput alone = hubert.forward(new float[399]);
        assertArrayEquals(new int[] {0}, alone.frames());
        assertEquals(0, alone.state(2, 0).dim(0));
        assertEquals(1, hubert.forward(new float[400]).frames()[0]);
    }

    @Test
    void shortClipInABatchLeavesTheOthersFinite() throws Exception {
        Hubert hubert = HubertFixtureTest.smallModel("small-large");
        float[] longer = new float[4000];
        for (int i = 0; i < longer.length; i++) longer[i] = (float) Math.sin(i * 0.05);
        HubertOutput out = hubert.forward(List.of(longer, new float[100]));
        assertArrayEquals(new int[] {12, 0}, out.frames());
        for (float v : out.hiddenStates().toArray()) assertTrue(Float.isFinite(v));
    }
}
