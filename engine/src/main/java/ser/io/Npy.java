package ser.io;

import ser.RegularFiles;
import ser.SerException;
import ser.tensor.Tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format: a magic string, a version, a Python-literal header dict, then the raw array.
 *
 * <p>Writes float32 ({@code <f4}), C order, header version 1.0 (2.0 only when the header outgrows 64 KiB, which
 * takes a very high rank), padded so the data starts on a 64-byte boundary as NumPy does. Reads versions 1.0
 * to 3.0 of little-endian {@code <f4}, {@code <f8}, {@code <i8} and {@code <i4} arrays in C or Fortran order,
 * converted to C-ordered float32 (integers above 2^24 lose precision). Writes are atomic ({@link AtomicFiles}). Every problem with
 * a file, from a bad magic to a truncated data block, is a {@link SerException} naming the file.
 *
 * @see <a href="https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html">numpy.lib.format</a>
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final int MAX_HEADER_BYTES = 1 << 20;

    private static final ValueLayout.OfFloat LE_F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble LE_F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE_I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** The element types this reader understands, by their NumPy {@code descr}. */
    public enum DType {
        F4("<f4", 4), F8("<f8", 8), I8("<i8", 8), I4("<i4", 4);

        public final String descr;
        public final int bytes;

        DType(String descr, int bytes) {
            this.descr = descr;
            this.bytes = bytes;
        }

        static DType of(String descr) {
            for (DType t : values()) if (t.descr.equals(descr)) return t;
            return null;
        }
    }

    /** What the header says: element type, shape, memory order, and where the data starts. */
    public record Header(DType dtype, int[] shape, boolean fortranOrder, long dataOffset) {
        public Header {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        public long count() {
            return Tensor.count(shape);
        }

        public long dataBytes() {
            return count() * dtype.bytes;
        }
    }

    // ---- reading ------------------------------------------------------------------------------------------

    /** The header alone, without touching the data (cheap: for listing shapes of a feature cache). */
    public static Header readHeader(Path file) {
        RegularFiles.checkBeforeOpening(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return checkedHeader(file, ch);
        } catch (NoSuchFileException e) {
            throw SerException.inFile(file, "no such file");
        } catch (IOException e) {
            throw SerException.inFile(file, "cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** The whole array as a float32 tensor on the heap. */
    public static Tensor read(Path file) {
        RegularFiles.checkBeforeOpening(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = checkedHeader(file, ch);
            float[] out = new float[(int) h.count()];
            if (out.length > 0) {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment data = ch.map(FileChannel.MapMode.READ_ONLY, h.dataOffset(), h.dataBytes(), arena);
                    convert(data, h.dtype(), out);
                }
            }
            return h.fortranOrder() ? fromFortranOrder(out, h.shape()) : Tensor.wrap(out, h.shape());
        } catch (NoSuchFileException e) {
            throw SerException.inFile(file, "no such file");
        } catch (IOException e) {
            throw SerException.inFile(file, "cannot read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Fortran order is C order of the reversed shape, so reversing the axes of that view gives the array; then
     * one copy makes it C-ordered like every other tensor. (Arrays that came out of PyTorch often are F-ordered.)
     */
    private static Tensor fromFortranOrder(float[] data, int[] shape) {
        int n = shape.length;
        int[] reversed = new int[n];
        for (int i = 0; i < n; i++) reversed[i] = shape[n - 1 - i];
        Tensor t = Tensor.wrap(data, reversed);
        for (int i = 0; i < n / 2; i++) t = t.transpose(i, n - 1 - i);
        return t.copy();
    }

    private static void convert(MemorySegment data, DType dtype, float[] out) {
        switch (dtype) {
            case F4 -> MemorySegment.copy(data, LE_F32, 0, out, 0, out.length);
            case F8 -> { for (int i = 0; i < out.length; i++) out[i] = (float) data.getAtIndex(LE_F64, i); }
            case I8 -> { for (int i = 0; i < out.length; i++) out[i] = data.getAtIndex(LE_I64, i); }
            case I4 -> { for (int i = 0; i < out.length; i++) out[i] = data.getAtIndex(LE_I32, i); }
        }
    }

    /** Parses the header and checks that the file holds all the data it announces, before anything is allocated. */
    private static Header checkedHeader(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        ByteBuffer pre = readAt(ch, 0, (int) Math.min(size, 12));
        if (pre.remaining() < 10 || !Arrays.equals(Arrays.copyOf(pre.array(), MAGIC.length), MAGIC)) {
            throw SerException.inFile(file, "not a .npy file (no \\x93NUMPY magic)");
        }
        int major = pre.get(6) & 0xff;
        int headerLen;
        int preamble;
        if (major == 1) {
            headerLen = pre.order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xffff;
            preamble = 10;
        } else if (major == 2 || major == 3) {
            if (pre.remaining() < 12) throw SerException.inFile(file, "truncated .npy preamble");
            headerLen = pre.order(ByteOrder.LITTLE_ENDIAN).getInt(8);
            preamble = 12;
        } else {
            throw SerException.inFile(file, "unsupported .npy version " + major + "." + (pre.get(7) & 0xff));
        }
        if (headerLen < 0 || headerLen > MAX_HEADER_BYTES) {
            throw SerException.inFile(file, "implausible .npy header length " + Integer.toUnsignedString(headerLen));
        }
        if (preamble + (long) headerLen > size) {
            throw SerException.inFile(file, "truncated .npy header: needs " + headerLen + " bytes, file has "
                    + (size - preamble));
        }
        String dict = StandardCharsets.UTF_8.decode(readAt(ch, preamble, headerLen)).toString();
        Header h = parseDict(file, dict, preamble + (long) headerLen);
        long available = size - h.dataOffset();
        if (available < h.dataBytes()) {
            throw SerException.inFile(file, "truncated .npy data: shape " + Arrays.toString(h.shape()) + " of "
                    + h.dtype().descr + " needs " + h.dataBytes() + " bytes, file has " + available);
        }
        return h;
    }

    private static Header parseDict(Path file, String dict, long dataOffset) {
        Matcher descr = DESCR.matcher(dict);
        Matcher fortran = FORTRAN.matcher(dict);
        Matcher shape = SHAPE.matcher(dict);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw SerException.inFile(file, "malformed .npy header: " + SerException.printable(dict.strip()));
        }
        DType dtype = DType.of(descr.group(1));
        if (dtype == null) {
            throw SerException.inFile(file, "unsupported .npy dtype " + SerException.quote(descr.group(1))
                    + " (supported: <f4, <f8, <i8, <i4)");
        }
        int[] dims = parseShape(file, shape.group(1));
        long count = 1;
        for (int d : dims) {
            count *= d;
            if (count > Integer.MAX_VALUE - 8) {
                throw SerException.inFile(file, "array of shape (" + SerException.printable(shape.group(1)) + ") is too large to load");
            }
        }
        return new Header(dtype, dims, fortran.group(1).equals("True"), dataOffset);
    }

    private static int[] parseShape(Path file, String tuple) {
        String[] parts = tuple.split(",");
        int n = 0;
        int[] dims = new int[parts.length];
        for (String p : parts) {
            String s = p.strip();
            if (s.isEmpty()) continue; // "(5,)" and "()" leave empty pieces
            try {
                dims[n] = Integer.parseInt(s.endsWith("L") ? s.substring(0, s.length() - 1) : s);
            } catch (NumberFormatException e) {
                throw SerException.inFile(file, "bad .npy shape (" + SerException.printable(tuple) + ")");
            }
            if (dims[n++] < 0) throw SerException.inFile(file, "negative dimension in .npy shape (" + SerException.printable(tuple) + ")");
        }
        return Arrays.copyOf(dims, n);
    }

    private static ByteBuffer readAt(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) break;
        }
        return buf.flip();
    }

    // ---- writing ------------------------------------------------------------------------------------------

    /** Writes {@code tensor} (any strides) as a C-order float32 array, atomically. */
    public static void write(Path file, Tensor tensor) {
        Tensor t = tensor.contiguous();
        byte[] header = header(t.shape());
        AtomicFiles.write(file, out -> {
            out.write(header);
            writeLittleEndian(t, out);
        });
    }

    private static void writeLittleEndian(Tensor t, OutputStream out) throws IOException {
        final int chunk = 1 << 14;
        byte[] buf = new byte[chunk * Float.BYTES];
        MemorySegment bufSegment = MemorySegment.ofArray(buf);
        long n = t.size();
        for (long done = 0; done < n; done += chunk) {
            int len = (int) Math.min(chunk, n - done);
            // Copying element-wise between layouts swaps bytes where the platform is big-endian.
            MemorySegment.copy(t.segment(), ValueLayout.JAVA_FLOAT_UNALIGNED, (t.offset() + done) * Float.BYTES,
                    bufSegment, LE_F32, 0, len);
            out.write(buf, 0, len * Float.BYTES);
        }
    }

    /** The magic, version and padded header dict of a float32 C-order array of {@code shape}: the data follows
     * it, little-endian, in C order (for a caller that writes the data itself, block by block). */
    public static byte[] header(int[] shape) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple(shape) + ", }";
        int preamble = 10;
        int padded = paddedLength(preamble, dict);
        if (padded - preamble > 0xffff) {
            preamble = 12;
            padded = paddedLength(preamble, dict);
        }
        int headerLen = padded - preamble;
        ByteBuffer b = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) (preamble == 10 ? 1 : 2)).put((byte) 0);
        if (preamble == 10) b.putShort((short) headerLen);
        else b.putInt(headerLen);
        b.put(dict.getBytes(StandardCharsets.US_ASCII));
        while (b.position() < padded - 1) b.put((byte) ' ');
        b.put((byte) '\n');
        return b.array();
    }

    private static int paddedLength(int preamble, String dict) {
        int unpadded = preamble + dict.length() + 1; // + the closing newline
        return (unpadded + ALIGN - 1) / ALIGN * ALIGN;
    }

    private static String tuple(int[] shape) {
        if (shape.length == 1) return "(" + shape[0] + ",)";
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) s.append(i == 0 ? "" : ", ").append(shape[i]);
        return s.append(')').toString();
    }
}
