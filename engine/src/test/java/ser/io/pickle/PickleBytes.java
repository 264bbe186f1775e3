package ser.io.pickle;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Assembles pickles opcode by opcode, for tests that need ones no Python would write. */
public final class PickleBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public static PickleBytes protocol(int p) {
        return new PickleBytes().op(0x80).op(p);
    }

    public PickleBytes op(int... opcodes) {
        for (int op : opcodes) out.write(op);
        return this;
    }

    /** BINUNICODE. */
    public PickleBytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X').le(b.length, 4);
        out.writeBytes(b);
        return this;
    }

    /** BININT. */
    public PickleBytes integer(long v) {
        return op('J').le(v, 4);
    }

    /** GLOBAL module name. */
    public PickleBytes global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    /** Raw little-endian bytes of {@code v}. */
    public PickleBytes le(long v, int width) {
        for (int i = 0; i < width; i++) out.write((int) (v >>> (8 * i)));
        return this;
    }

    public PickleBytes mark() { return op('('); }

    public PickleBytes tuple() { return op('t'); }

    /** A tuple of BININTs. */
    public PickleBytes ints(long... values) {
        mark();
        for (long v : values) integer(v);
        return tuple();
    }

    /** STOP, and the bytes. */
    public byte[] stop() {
        out.write('.');
        return out.toByteArray();
    }

    /** The bytes so far, without a STOP. */
    public byte[] bytes() {
        return out.toByteArray();
    }
}
