package ser.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Views share memory with their tensor and address exactly the elements they claim to. */
class TensorViewTest {

    /** A [2, 3, 4] tensor holding 0 .. 23 in row-major order. */
    private static Tensor counting() {
        float[] v = new float[24];
        for (int i = 0; i < v.length; i++) v[i] = i;
        return Tensor.wrap(v, 2, 3, 4);
    }

    @Test
    void sliceSelectAndTransposeAddressTheRightElements() {
        Tensor t = counting();
        assertArrayEquals(new float[] {5, 6, 9, 10, 17, 18, 21, 22}, t.slice(1, 1, 3).slice(2, 1, 3).toArray());
        assertArrayEquals(new float[] {12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}, t.select(0, 1).toArray());
        assertArrayEquals(new float[] {2, 6, 10, 14, 18, 22}, t.select(-1, 2).toArray());
        Tensor tr = t.select(0, 0).transpose(0, 1);
        assertArrayEquals(new int[] {4, 3}, tr.shape());
        assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, tr.toArray());
        assertFalse(tr.isContiguous());
        assertTrue(t.select(0, 1).isContiguous());
    }

    @Test
    void viewsWriteThroughToTheirTensor() {
        Tensor t = counting();
        t.transpose(0, 2).set(-1f, 3, 2, 1); // element [1, 2, 3]
        t.slice(1, 2, 3).set(-2f, 0, 0, 0);  // element [0, 2, 0]
        assertEquals(-1f, t.get(1, 2, 3));
        assertEquals(-2f, t.get(0, 2, 0));
    }

    @Test
    void reshapeIsAViewWhenContiguousAndACopyOtherwise() {
        Tensor t = counting();
        Tensor flat = t.reshape(6, -1);
        assertArrayEquals(new int[] {6, 4}, flat.shape());
        flat.set(99f, 5, 3);
        assertEquals(99f, t.get(1, 2, 3));

        Tensor tr = t.transpose(1, 2);
        Tensor copied = tr.reshape(-1);
        assertArrayEquals(tr.toArray(), copied.toArray());
        copied.setFlat(0, 42f);
        assertEquals(0f, t.get(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> t.reshape(5, -1));
    }

    @Test
    void broadcastRepeatsWithZeroStrides() {
        Tensor bias = Tensor.wrap(new float[] {1, 2, 3}, 3);
        Tensor b = bias.broadcastTo(2, 3);
        assertArrayEquals(new long[] {0, 1}, b.strides());
        assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3}, b.toArray());
        Tensor column = Tensor.wrap(new float[] {7, 8}, 2, 1).broadcastTo(2, 3);
        assertArrayEquals(new float[] {7, 7, 7, 8, 8, 8}, column.toArray());
        assertThrows(IllegalArgumentException.class, () -> bias.broadcastTo(2, 4));
        assertThrows(IllegalArgumentException.class, () -> bias.broadcastTo());
    }

    @Test
    void heapOffsetAccountsForTheViewAndTheSegmentStart() {
        float[] data = new float[10];
        Tensor whole = Tensor.wrap(data, 10);
        assertSame(data, whole.heapArray());
        assertEquals(0, whole.heapOffset());
        assertEquals(4, whole.slice(0, 4, 8).heapOffset());

        Tensor inner = Tensor.wrap(MemorySegment.ofArray(data).asSlice(3L * Float.BYTES), 2, 5);
        inner.set(5f, 0);
        assertSame(data, inner.heapArray());
        assertEquals(5, inner.heapOffset());
        assertEquals(5f, data[5]);

        assertNull(Tensor.zeros(Arena.ofAuto(), 4).heapArray(), "off-heap");
        assertNull(Tensor.wrap(MemorySegment.ofArray(new byte[64]), 0, 4).heapArray(), "byte[]-backed");
        assertNull(Tensor.wrap(MemorySegment.ofArray(data).asSlice(2), 0, 4).heapArray(), "misaligned");
    }

    @Test
    void storageKindsAreTold() throws Exception {
        assertEquals(Storage.HEAP, Tensor.zeros(3).storage());
        assertEquals(Storage.OFF_HEAP, Tensor.zeros(Arena.ofAuto(), 3).storage());
        java.nio.file.Path file = java.nio.file.Files.createTempFile("tensor", ".bin");
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE); Arena arena = Arena.ofConfined()) {
            channel.write(java.nio.ByteBuffer.allocate(16));
            MemorySegment mapped = channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, 16, arena);
            Tensor t = Tensor.wrap(mapped, 0, 4);
            assertEquals(Storage.MAPPED, t.storage());
            assertEquals(Storage.MAPPED, t.slice(0, 1, 3).storage());
        } finally {
            java.nio.file.Files.delete(file);
        }
        assertTrue(Storage.OFF_HEAP.isHost());
        assertFalse(Storage.DEVICE.isHost());
    }

    /** A device tensor has geometry and views, but no host address: host access says so. */
    @Test
    void deviceStorageHasViewsButNoHostAccess() {
        DeviceBuffer buffer = new DeviceBuffer() {
            @Override public Ops backend() { return new ScalarOps(); }
            @Override public long byteSize() { return 24 * Float.BYTES; }
            @Override public String device() { return "test:0"; }
        };
        Tensor t = Tensor.onDevice(buffer, 0, 2, 3, 4);
        assertEquals(Storage.DEVICE, t.storage());
        assertFalse(t.isHost());
        Tensor view = t.select(0, 1).transpose(0, 1).slice(0, 1, 3);
        assertSame(buffer, view.deviceBuffer());
        assertEquals(Storage.DEVICE, view.storage());
        assertEquals(12 + 1, view.offset());
        assertEquals(Storage.DEVICE, t.reshape(6, 4).storage());
        assertEquals(Storage.DEVICE, t.strided(2, new int[] {3, 4}, new long[] {2, 1}).storage());
        assertNull(t.heapArray());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.get(0, 0, 0));
        assertTrue(e.getMessage().contains("test:0"), e.getMessage());
        assertThrows(IllegalStateException.class, t::segment);
        assertThrows(IllegalStateException.class, t::toArray);
        assertThrows(IllegalStateException.class, () -> t.setFlat(0, 1f));
        assertThrows(IllegalStateException.class, () -> Tensor.zeros(2, 3, 4).copyFrom(t));
        assertThrows(IllegalStateException.class, () -> t.copyFrom(Tensor.zeros(2, 3, 4)));
        assertThrows(IllegalArgumentException.class, () -> Tensor.onDevice(buffer, 1, 24));
    }

    @Test
    void copiesAreIndependentAndCopyFromTakesAnyLayout() {
        Tensor t = counting();
        Tensor c = t.copy();
        assertNotSame(t.segment(), c.segment());
        c.setFlat(0, 5f);
        assertEquals(0f, t.get(0, 0, 0));

        Tensor target = Tensor.zeros(Arena.ofAuto(), 4, 3);
        target.copyFrom(t.select(0, 1).transpose(0, 1));
        assertArrayEquals(new float[] {12, 16, 20, 13, 17, 21, 14, 18, 22, 15, 19, 23}, target.toArray());
        assertThrows(IllegalArgumentException.class, () -> target.copyFrom(t));

        // Column slices of heap rows into the rows of an off-heap strip: a run per row.
        Tensor strip = Tensor.zeros(Arena.ofAuto(), 5, 2).slice(0, 1, 4);
        strip.copyFrom(t.select(0, 1).slice(1, 1, 3));
        assertArrayEquals(new float[] {13, 14, 17, 18, 21, 22}, strip.toArray());
    }
}
