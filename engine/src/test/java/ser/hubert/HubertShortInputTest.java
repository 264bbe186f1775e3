package ser.hubert;

import org.junit.jupiter.api.Test;
import ser.SerException;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Inputs at the edges: clips too short for one frame (under 400 samples), and audio too long for the heap. */
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

    @Test
    void audioTooLongForTheHeapIsAnErrorNotAnOutOfMemoryError() throws Exception {
        Hubert hubert = HubertFixtureTest.smallModel("small-base");
        hubert.requireHeap(2, 16_000 * 60, 256L << 20);
        SerException e = assertThrows(SerException.class, () -> hubert.requireHeap(2, 16_000 * 600, 256L << 20));
        assertTrue(e.getMessage().contains("too long") && e.getMessage().contains("600.0 s") && !e.getMessage().contains("\n"),
                e.getMessage());
    }
}
