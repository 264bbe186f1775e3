package ser.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.SerException;
import ser.tensor.Tensor;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class NpyTest {

    @TempDir
    Path dir;

    private static final float[] RAMP = {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f};

    static Path fixture(String name) {
        try {
            return Path.of(NpyTest.class.getResource("/fixtures/npy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void writesExactlyWhatNumpySaves() throws IOException {
        Path out = dir.resolve("ramp.npy");
        Npy.write(out, Tensor.wrap(RAMP.clone(), 2, 3));
        assertArrayEquals(Files.readAllBytes(fixture("f4_2x3.npy")), Files.readAllBytes(out));
    }

    @Test
    void readsEveryDtypeNumpyWrites() {
        assertTensor(Npy.read(fixture("f4_2x3.npy")), new int[] {2, 3}, RAMP);
        assertTensor(Npy.read(fixture("f8_2x3.npy")), new int[] {2, 3}, RAMP);
        assertTensor(Npy.read(fixture("f4_v2_2x3.npy")), new int[] {2, 3}, RAMP);
        assertTensor(Npy.read(fixture("i8_4.npy")), new int[] {4}, new float[] {-3, 0, 7, 1 << 20});
        assertTensor(Npy.read(fixture("i4_2x2.npy")), new int[] {2, 2}, new float[] {1, -2, 3, 40000});
        assertTensor(Npy.read(fixture("f4_scalar.npy")), new int[] {}, new float[] {2.5f});
        assertTensor(Npy.read(fixture("f4_0x3.npy")), new int[] {0, 3}, new float[] {});
    }

    @Test
    void fortranOrderArraysComeBackInCOrder() {
        assertTensor(Npy.read(fixture("f4_fortran.npy")), new int[] {2, 3}, RAMP);
        float[] counting = new float[24];
        for (int i = 0; i < 24; i++) counting[i] = i;
        assertTensor(Npy.read(fixture("f4_fortran_2x3x4.npy")), new int[] {2, 3, 4}, counting);
    }

    @Test
    void headerAloneGivesShapeAndType() {
        Npy.Header h = Npy.readHeader(fixture("f8_2x3.npy"));
        assertEquals(Npy.DType.F8, h.dtype());
        assertArrayEquals(new int[] {2, 3}, h.shape());
        assertEquals(128, h.dataOffset());
    }

    @Test
    void roundTripsOddShapesAndStridedViews() {
        float[] data = new float[2 * 3 * 5];
        for (int i = 0; i < data.length; i++) data[i] = i * 0.25f - 3;
        Tensor t = Tensor.wrap(data, 2, 3, 5);
        Path p = dir.resolve("sub/dir/t.npy");
        Npy.write(p, t);
        assertTensor(Npy.read(p), new int[] {2, 3, 5}, data);

        Tensor transposed = t.transpose(0, 2);
        Npy.write(p, transposed);
        assertTensor(Npy.read(p), new int[] {5, 3, 2}, transposed.toArray());

        Npy.write(p, Tensor.wrap(new float[] {7}, 1));
        assertTensor(Npy.read(p), new int[] {1}, new float[] {7});
    }

    @Test
    void headersAreAlignedAndSwitchToVersion2WhenTheyOutgrow64KiB() {
        byte[] small = Npy.header(new int[] {80, 301});
        assertEquals(0, small.length % 64);
        assertEquals(1, small[6]);
        assertEquals('\n', small[small.length - 1]);

        int[] manyDims = new int[25000]; // a rank NumPy itself would refuse; it only exercises the header switch
        Arrays.fill(manyDims, 1);
        byte[] big = Npy.header(manyDims);
        assertEquals(2, big[6]);
        assertEquals(0, big.length % 64);
        Path p = dir.resolve("v2.npy");
        Npy.write(p, Tensor.wrap(new float[] {3}, manyDims));
        assertTensor(Npy.read(p), manyDims, new float[] {3});
    }

    @Test
    void truncatedDataNamesTheFileAndTheSizes() throws IOException {
        Path p = dir.resolve("cut.npy");
        byte[] full = Files.readAllBytes(fixture("f4_2x3.npy"));
        Files.write(p, Arrays.copyOf(full, full.length - 5));
        SerException e = assertThrows(SerException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().startsWith(p + ": truncated .npy data"), e.getMessage());
        assertTrue(e.getMessage().contains("needs 24 bytes, file has 19"), e.getMessage());
    }

    @Test
    void badFilesAreOneLineErrorsNamingTheFile() throws IOException {
        byte[] good = Files.readAllBytes(fixture("f4_2x3.npy"));
        assertRejects(Arrays.copyOf(good, 40), "truncated .npy header");
        assertRejects("hello world, not numpy".getBytes(), "not a .npy file");
        assertRejects(new byte[0], "not a .npy file");
        byte[] v9 = good.clone();
        v9[6] = 9;
        assertRejects(v9, "unsupported .npy version 9.0");
        byte[] huge = good.clone();
        byte[] shape = "(99999, 99999), }".getBytes();
        System.arraycopy(shape, 0, huge, 60, shape.length);
        assertRejects(huge, "too large");
        assertRejectsFixture("f4_big_endian.npy", "unsupported .npy dtype '>f4'");
        SerException missing = assertThrows(SerException.class, () -> Npy.read(dir.resolve("nope.npy")));
        assertEquals(dir.resolve("nope.npy") + ": no such file", missing.getMessage());
    }

    private void assertRejects(byte[] content, String problem) throws IOException {
        Path p = Files.write(dir.resolve("bad.npy"), content);
        SerException e = assertThrows(SerException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().startsWith(p + ": ") && e.getMessage().contains(problem), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private static void assertRejectsFixture(String name, String problem) {
        SerException e = assertThrows(SerException.class, () -> Npy.read(fixture(name)));
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains(problem), e.getMessage());
    }

    private static void assertTensor(Tensor t, int[] shape, float[] values) {
        assertArrayEquals(shape, t.shape());
        assertArrayEquals(values, t.toArray());
    }
}
