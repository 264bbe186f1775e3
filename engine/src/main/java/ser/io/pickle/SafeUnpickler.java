package ser.io.pickle;

import ser.SerException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A pickle machine that builds data and never runs code.
 *
 * <p>It understands the opcodes of protocols 2 to 5 (and the text forms of the few protocol 0 opcodes that
 * newer pickles still use), which covers every {@code torch.save} and fairseq checkpoint. Python values become
 * plain Java ones: {@code None} → {@code null}, {@code bool} → {@link Boolean}, {@code int} → {@link Long}
 * (a {@link BigInteger} past 64 bits), {@code float} → {@link Double}, {@code str} → {@link String},
 * {@code bytes} → {@code byte[]}, {@code list} → {@link ArrayList}, {@code tuple} → a fixed-size {@link List},
 * {@code dict} → {@link LinkedHashMap}, {@code set}/{@code frozenset} → {@link Set}.
 *
 * <p>A pickle may only name the globals of its allow-list; any other GLOBAL or STACK_GLOBAL stops the load
 * before anything is called ("refusing to unpickle os.system: ..."), and calls and BUILDs reach only the
 * allow-list's Java stand-ins. Lengths are checked against the bytes that are really there before anything
 * is allocated, so a hostile or truncated pickle ends in a one-line {@link SerException}, never an
 * {@link OutOfMemoryError}.
 */
public final class SafeUnpickler {

    /** Pickles name the Python 2 module of builtins when written with protocol 2 for compatibility. */
    private static final Map<String, String> MODULE_ALIASES = Map.of("__builtin__", "builtins", "copy_reg", "copyreg");
    private static final int MAX_TEXT_LINE = 1 << 16;
    /**
     * Values one pickle may push. Each opcode byte can make an object of 50 bytes or more ({@code ]} an empty
     * list), so a 100 MB pickle could fill gigabytes; an honest checkpoint pushes about ten values per tensor.
     */
    public static final long MAX_VALUES = 1 << 22;

    private final Path file;
    private final MemorySegment data;
    private final Map<String, PickleGlobal> allowed;
    private final UnaryOperator<Object> persistentLoad;

    private long pos;
    private long opcodeAt;
    private long pushed;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final ArrayList<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    /** Which allowed global made each object, so that BUILD reaches only that global's stand-in. */
    private final Map<Object, PickleGlobal> madeBy = new IdentityHashMap<>();

    /**
     * @param file           named in error messages
     * @param data           the bytes; pickles are read from {@code start} on, one per {@link #load}
     * @param allowed        the globals a pickle may name, keyed {@code module.name}
     * @param persistentLoad what a persistent id (PERSID, BINPERSID) stands for; checkpoints use it for storages
     */
    public SafeUnpickler(Path file, MemorySegment data, long start, Map<String, PickleGlobal> allowed,
                         UnaryOperator<Object> persistentLoad) {
        this.file = file;
        this.data = data;
        this.pos = start;
        this.allowed = allowed;
        this.persistentLoad = persistentLoad;
    }

    /** Where the next pickle starts: just after the STOP of the last one loaded. */
    public long position() {
        return pos;
    }

    /** Runs one pickle up to its STOP and returns the value it describes. */
    public Object load() {
        stack.clear();
        marks.clear();
        memo.clear();
        pushed = 0;
        HashableKeys.startPickle();
        try {
            while (true) {
                opcodeAt = pos;
                int op = u8();
                if (op == '.') return pop();
                step(op);
            }
        } catch (UnpicklingError e) {
            throw SerException.inFile(file, e.getMessage(), e);
        } catch (SerException e) {
            throw e;
        } catch (NumberFormatException e) {
            throw SerException.inFile(file, "malformed pickle at byte " + opcodeAt + ": a text number that does not parse", e);
        } catch (RuntimeException e) {
            // a damaged or hostile pickle that slipped past the checks above: still one line, never a stack trace
            throw SerException.inFile(file, "malformed pickle at byte " + opcodeAt + ": " + SerException.printable(e.toString()), e);
        }
    }

    private void step(int op) {
        switch (op) {
            // ---- framing and stack shape ---------------------------------------------------------------
            case 0x80 -> protocol(u8());
            case 0x95 -> length(i64()); // FRAME: announces how many bytes the next opcodes take; they are read as usual
            case '(' -> { countValue(); marks.add(stack.size()); } // a mark costs memory as a value does
            case '0' -> { if (!marks.isEmpty() && stack.size() == floor()) marks.removeLast(); else pop(); } // as CPython does
            case '1' -> popMark();
            case '2' -> push(peek());

            // ---- plain values --------------------------------------------------------------------------
            case 'N' -> push(null);
            case 0x88 -> push(Boolean.TRUE);
            case 0x89 -> push(Boolean.FALSE);
            case 'K' -> push((long) u8());
            case 'M' -> push((long) (u8() | u8() << 8));
            case 'J' -> push((long) i32());
            case 0x8a -> push(longOf(bytes(u8())));
            case 0x8b -> push(longOf(bytes(length(i32() & 0xFFFFFFFFL))));
            case 'I' -> push(textInt(line()));
            case 'L' -> push(textLong(line()));
            case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(i64()))); // BINFLOAT is big-endian
            case 'F' -> push(Double.parseDouble(line()));
            case 'X' -> push(utf8(length(i32() & 0xFFFFFFFFL)));
            case 0x8c -> push(utf8(u8()));
            case 0x8d -> push(utf8(length(i64())));
            case 'V' -> push(rawUnicodeEscape(line()));
            // Python 2 str: torch.load decodes these as UTF-8 text, and so do we
            case 'T' -> push(utf8(length(i32() & 0xFFFFFFFFL)));
            case 'U' -> push(utf8(u8()));
            case 'B' -> push(bytes(length(i32() & 0xFFFFFFFFL)));
            case 'C' -> push(bytes(u8()));
            case 0x8e, 0x96 -> push(bytes(length(i64())));

            // ---- containers ----------------------------------------------------------------------------
            case ']' -> push(new ArrayList<>());
            case 'l' -> push(new ArrayList<>(popMark()));
            case 'a' -> { Object v = pop(); list(peek()).add(v); }
            case 'e' -> { List<Object> items = popMark(); list(peek()).addAll(items); }
            case ')' -> push(tuple(List.of()));
            case 't' -> push(tuple(popMark()));
            case 0x85 -> push(tuple(popN(1)));
            case 0x86 -> push(tuple(popN(2)));
            case 0x87 -> push(tuple(popN(3)));
            case '}' -> push(HashableKeys.dict());
            case 'd' -> { Map<Object, Object> m = HashableKeys.dict(); putPairs(m, popMark()); push(m); }
            case 's' -> { Object v = pop(); Object k = pop(); map(peek()).put(k, v); }
            case 'u' -> { List<Object> items = popMark(); putPairs(map(peek()), items); }
            case 0x8f -> push(HashableKeys.set());
            case 0x90 -> { List<Object> items = popMark(); set(peek()).addAll(items); }
            case 0x91 -> push(HashableKeys.frozenset(popMark()));

            // ---- memo ----------------------------------------------------------------------------------
            case 'q' -> memo.put((long) u8(), peek());
            case 'r' -> memo.put(i32() & 0xFFFFFFFFL, peek());
            case 'p' -> memo.put(Long.parseLong(line()), peek());
            case 0x94 -> memo.put((long) memo.size(), peek());
            case 'h' -> push(memoGet(u8()));
            case 'j' -> push(memoGet(i32() & 0xFFFFFFFFL));
            case 'g' -> push(memoGet(Long.parseLong(line())));

            // ---- the only ways a pickle reaches beyond data: each goes through the allow-list -----------
            case 'c' -> { String module = line(); push(global(module, line())); }
            case 0x93 -> { Object name = pop(); push(global(string(pop()), string(name))); }
            case 'R' -> { List<Object> args = tupleArgs(pop()); push(call(pop(), args)); }
            case 0x81 -> { List<Object> args = tupleArgs(pop()); push(call(pop(), args)); }
            case 0x92 -> newObjectEx();
            case 'i' -> { String module = line(); PickleGlobal g = global(module, line()); push(call(g, popMark())); }
            case 'o' -> object();
            case 'b' -> build();
            case 'Q' -> push(persistentLoad.apply(pop()));
            case 'P' -> push(persistentLoad.apply(line()));

            default -> throw malformed(String.format("unsupported opcode 0x%02x%s", op,
                    op >= 0x20 && op < 0x7f ? " '" + (char) op + "'" : ""));
        }
    }

    // ---- globals, calls and BUILD -----------------------------------------------------------------------

    private PickleGlobal global(String module, String name) {
        String qualified = MODULE_ALIASES.getOrDefault(module, module) + "." + name;
        PickleGlobal g = allowed.get(qualified);
        if (g == null) {
            throw new UnpicklingError("refusing to unpickle " + SerException.printable(qualified)
                    + ": only tensors, containers and plain values are allowed");
        }
        return g;
    }

    private Object call(Object callable, List<Object> args) {
        if (!(callable instanceof PickleGlobal g)) {
            throw new UnpicklingError("refusing to call " + aType(callable) + ": only allowed globals may be called");
        }
        Object made = g.call(new ArrayList<>(args));
        if (made != null) madeBy.put(made, g);
        return made;
    }

    private void protocol(int version) {
        if (version > 5) throw malformed("pickle protocol " + version + " is newer than 5");
    }

    /** OBJ: the class and its arguments, all above the mark. */
    private void object() {
        List<Object> items = popMark();
        if (items.isEmpty()) throw malformed("OBJ without a class");
        push(call(items.getFirst(), items.subList(1, items.size())));
    }

    private void newObjectEx() {
        Object kwargs = pop();
        List<Object> args = tupleArgs(pop());
        if (!(kwargs instanceof Map<?, ?> m) || !m.isEmpty()) throw malformed("NEWOBJ_EX with keyword arguments");
        push(call(pop(), args));
    }

    private void build() {
        Object state = pop();
        Object target = peek();
        PickleGlobal maker = madeBy.get(target);
        if (maker == null) {
            throw new UnpicklingError("refusing to set the state of " + aType(target)
                    + ": only objects of allowed classes take a state");
        }
        maker.build(target, state);
    }

    // ---- stack ------------------------------------------------------------------------------------------

    private void push(Object v) {
        countValue();
        stack.add(v);
    }

    private void countValue() {
        if (++pushed > MAX_VALUES) throw malformed("more than " + MAX_VALUES + " values in one pickle");
    }

    private Object pop() {
        if (stack.size() <= floor()) throw malformed("stack underflow");
        return stack.removeLast();
    }

    private Object peek() {
        if (stack.size() <= floor()) throw malformed("stack underflow");
        return stack.getLast();
    }

    /** Items above the current mark belong to the pending MARK and may not be popped singly past it. */
    private int floor() { return marks.isEmpty() ? 0 : marks.getLast(); }

    private List<Object> popMark() {
        if (marks.isEmpty()) throw malformed("no MARK to pop to");
        int from = marks.removeLast();
        List<Object> top = stack.subList(from, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private List<Object> popN(int n) {
        if (stack.size() - floor() < n) throw malformed("stack underflow");
        List<Object> top = stack.subList(stack.size() - n, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private Object memoGet(long index) {
        Object v = memo.get(index);
        if (v == null && !memo.containsKey(index)) throw malformed("memo has no entry " + index);
        return v;
    }

    // ---- typed views of stack items ---------------------------------------------------------------------

    private static List<Object> tuple(List<Object> items) {
        return Arrays.asList(items.toArray()); // fixed size like a tuple, yet a tensor inside can be swapped in place
    }

    @SuppressWarnings("unchecked")
    private List<Object> tupleArgs(Object v) {
        if (v instanceof List<?> l) return (List<Object>) l;
        throw malformed("call arguments are " + aType(v) + ", not a tuple");
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object v) {
        if (v instanceof ArrayList<?> l) return (List<Object>) l;
        throw malformed("APPEND to " + aType(v));
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> map(Object v) {
        if (v instanceof Map<?, ?> m) return (Map<Object, Object>) m;
        throw malformed("SETITEM on " + aType(v));
    }

    @SuppressWarnings("unchecked")
    private Set<Object> set(Object v) {
        if (HashableKeys.isMutableSet(v)) return (Set<Object>) v;
        throw malformed("ADDITEMS on " + aType(v));
    }

    private void putPairs(Map<Object, Object> m, List<Object> items) {
        if (items.size() % 2 != 0) throw malformed("odd number of items for a dict");
        for (int i = 0; i < items.size(); i += 2) m.put(items.get(i), items.get(i + 1));
    }

    private String string(Object v) {
        if (v instanceof String s) return s;
        throw malformed("STACK_GLOBAL with " + aType(v) + " for a name");
    }

    // ---- reading bytes ----------------------------------------------------------------------------------

    private int u8() {
        need(1);
        return Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, pos++));
    }

    private int i32() {
        need(4);
        int v = data.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), pos);
        pos += 4;
        return v;
    }

    private long i64() {
        need(8);
        long v = data.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), pos);
        pos += 8;
        return v;
    }

    /** A length read from the pickle, checked against what is left before anything that size is allocated. */
    private int length(long n) {
        if (n < 0 || n > data.byteSize() - pos) throw truncated();
        if (n > Integer.MAX_VALUE - 8) throw malformed("a single value of " + n + " bytes");
        return (int) n;
    }

    private byte[] bytes(int n) {
        need(n);
        byte[] out = data.asSlice(pos, n).toArray(ValueLayout.JAVA_BYTE);
        pos += n;
        return out;
    }

    private String utf8(int n) {
        return new String(bytes(n), StandardCharsets.UTF_8);
    }

    /** A protocol 0 argument: text up to a newline. */
    private String line() {
        StringBuilder s = new StringBuilder();
        while (true) {
            int c = u8();
            if (c == '\n') return s.toString();
            if (s.length() >= MAX_TEXT_LINE) throw malformed("text argument longer than " + MAX_TEXT_LINE + " bytes");
            s.append((char) c);
        }
    }

    private void need(long n) {
        if (n > data.byteSize() - pos) throw truncated();
    }

    private UnpicklingError truncated() {
        return new UnpicklingError("pickle ends early, inside the opcode at byte " + opcodeAt + " (truncated file?)");
    }

    // ---- numbers ----------------------------------------------------------------------------------------

    /** LONG1 / LONG4: little-endian two's complement of any width; a Long when it fits. */
    private static Object longOf(byte[] le) {
        if (le.length == 0) return 0L;
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) be[i] = le[le.length - 1 - i];
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    /** Protocol 0 text: Latin-1 with {@code \\uXXXX} and {@code \\UXXXXXXXX} escapes for everything else. */
    private static String rawUnicodeEscape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int digits = c != '\\' || i + 1 >= s.length() ? 0 : switch (s.charAt(i + 1)) {
                case 'u' -> 4;
                case 'U' -> 8;
                default -> 0;
            };
            if (digits == 0 || i + 2 + digits > s.length()) {
                out.append(c);
                continue;
            }
            out.appendCodePoint(Integer.parseInt(s, i + 2, i + 2 + digits, 16));
            i += 1 + digits;
        }
        return out.toString();
    }

    private static Object textInt(String s) {
        // protocol 0 spells booleans as INT 01 / 00
        if (s.equals("01")) return Boolean.TRUE;
        if (s.equals("00")) return Boolean.FALSE;
        return Long.parseLong(s);
    }

    private static Object textLong(String s) {
        BigInteger v = new BigInteger(s.endsWith("L") ? s.substring(0, s.length() - 1) : s);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private UnpicklingError malformed(String problem) {
        return new UnpicklingError("malformed pickle at byte " + opcodeAt + ": " + problem);
    }

    /** "a str", "an int", "None": the Python type of a value with its article, for messages. */
    public static String aType(Object v) {
        String name = typeName(v);
        return v == null ? name : ("aeiou".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }

    /** The Python name of what a value stands for, for messages. */
    public static String typeName(Object v) {
        return switch (v) {
            case null -> "None";
            case PickleGlobal g -> g.name();
            case PythonObject o -> o.pythonType();
            case String s -> "str";
            case Boolean b -> "bool";
            case Long l -> "int";
            case BigInteger b -> "int";
            case Double d -> "float";
            case byte[] b -> "bytes";
            case ArrayList<?> l -> "list";
            case List<?> l -> "tuple";
            case Map<?, ?> m -> "dict";
            case Collection<?> c -> "set";
            default -> v.getClass().getSimpleName();
        };
    }
}
