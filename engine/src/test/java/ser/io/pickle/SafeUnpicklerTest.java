package ser.io.pickle;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import ser.SerException;

import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class SafeUnpicklerTest {

    private static final Path FILE = Path.of("x.pkl");

    /**
     * pickle.dumps(v, protocol=p) for p = 0..5 of
     * {"s": "h\u00e9llo \u4e16", "i": 1, "neg": -5, "big": 2**70, "negbig": -2**70, "i2": 300, "i4": 70000, "i8": 2**40,
     *  "f": 1.5, "t": True, "fa": False, "n": None, "l": [1, [2]], "tu": (1, "a"), "e": (), (1, 2): "tuplekey",
     *  "b": b"\x00\x01" (protocol 3+), "set": {3}, "fs": frozenset([4]) (protocol 2+), "ba": bytearray(b"xy") (protocol 5)}
     */
    private static final String[] PLAIN_VALUES = {
        "286470300a56730a70310a5668e96c6c6f205c75346531360a70320a7356690a70330a49310a73566e65670a70340a492d350a73566269670a70350a4c313138303539313632303731373431313330333432344c0a73566e65676269670a70360a4c2d313138303539313632303731373431313330333432344c0a735669320a70370a493330300a735669340a70380a4937303030300a735669380a70390a4c313039393531313632373737364c0a7356660a7031300a46312e350a7356740a7031310a4930310a735666610a7031320a4930300a73566e0a7031330a4e73566c0a7031340a286c7031350a49310a61286c7031360a49320a6161735674750a7031370a2849310a56610a7031380a747031390a7356650a7032300a2874732849310a49320a747032310a567475706c656b65790a7032320a732e",
        "7d7100285801000000737101580a00000068c3a96c6c6f20e4b896710258010000006971034b0158030000006e656771044afbffffff580300000062696771054c313138303539313632303731373431313330333432344c0a58060000006e656762696771064c2d313138303539313632303731373431313330333432344c0a5802000000693271074d2c015802000000693471084a701101005802000000693871094c313039393531313632373737364c0a580100000066710a473ff8000000000000580100000074710b4930310a58020000006661710c4930300a58010000006e710d4e58010000006c710e5d710f284b015d71104b026165580200000074757111284b015801000000617112747113580100000065711429284b014b0274711558080000007475706c656b65797116752e",
        "80027d7100285801000000737101580a00000068c3a96c6c6f20e4b896710258010000006971034b0158030000006e656771044afbffffff580300000062696771058a0900000000000000004058060000006e656762696771068a090000000000000000c05802000000693271074d2c015802000000693471084a701101005802000000693871098a06000000000001580100000066710a473ff8000000000000580100000074710b8858020000006661710c8958010000006e710d4e58010000006c710e5d710f284b015d71104b0261655802000000747571114b01580100000061711286711358010000006571142958030000007365747115635f5f6275696c74696e5f5f0a7365740a71165d71174b036185711852711958020000006673711a635f5f6275696c74696e5f5f0a66726f7a656e7365740a711b5d711c4b046185711d52711e4b014b0286711f58080000007475706c656b65797120752e",
        "80037d7100285801000000737101580a00000068c3a96c6c6f20e4b896710258010000006971034b0158030000006e656771044afbffffff580300000062696771058a0900000000000000004058060000006e656762696771068a090000000000000000c05802000000693271074d2c015802000000693471084a701101005802000000693871098a06000000000001580100000066710a473ff8000000000000580100000074710b8858020000006661710c8958010000006e710d4e58010000006c710e5d710f284b015d71104b0261655802000000747571114b015801000000617112867113580100000065711429580100000062711543020001711658030000007365747117636275696c74696e730a7365740a71185d71194b036185711a52711b58020000006673711c636275696c74696e730a66726f7a656e7365740a711d5d711e4b046185711f5271204b014b0286712158080000007475706c656b65797122752e",
        "800495d9000000000000007d94288c0173948c0a68c3a96c6c6f20e4b896948c0169944b018c036e6567944afbffffff8c03626967948a090000000000000000408c066e6567626967948a090000000000000000c08c026932944d2c018c026934944a701101008c026938948a060000000000018c016694473ff80000000000008c017494888c02666194898c016e944e8c016c945d94284b015d944b0261658c027475944b018c01619486948c016594298c01629443020001948c03736574948f94284b03908c02667394284b0491944b014b0286948c087475706c656b657994752e",
        "800595ea000000000000007d94288c0173948c0a68c3a96c6c6f20e4b896948c0169944b018c036e6567944afbffffff8c03626967948a090000000000000000408c066e6567626967948a090000000000000000c08c026932944d2c018c026934944a701101008c026938948a060000000000018c016694473ff80000000000008c017494888c02666194898c016e944e8c016c945d94284b015d944b0261658c027475944b018c01619486948c016594298c01629443020001948c03736574948f94284b03908c02667394284b0491944b014b0286948c087475706c656b6579948c02626194960200000000000000787994752e",
    };

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void readsPlainValuesOfEveryProtocol(int protocol) {
        Map<?, ?> m = (Map<?, ?>) load(HexFormat.of().parseHex(PLAIN_VALUES[protocol]));
        assertEquals("h\u00e9llo \u4e16", m.get("s"));
        assertEquals(1L, m.get("i"));
        assertEquals(-5L, m.get("neg"));
        assertEquals(BigInteger.TWO.pow(70), m.get("big"));
        assertEquals(BigInteger.TWO.pow(70).negate(), m.get("negbig"));
        assertEquals(300L, m.get("i2"));
        assertEquals(70000L, m.get("i4"));
        assertEquals(1L << 40, m.get("i8"));
        assertEquals(1.5, m.get("f"));
        assertEquals(true, m.get("t"));
        assertEquals(false, m.get("fa"));
        assertTrue(m.containsKey("n"));
        assertNull(m.get("n"));
        assertEquals(List.of(1L, List.of(2L)), m.get("l"));
        assertInstanceOf(ArrayList.class, m.get("l"));
        assertEquals(List.of(1L, "a"), m.get("tu"));
        assertFalse(m.get("tu") instanceof ArrayList, "a tuple is not a (growable) list");
        assertEquals(List.of(), m.get("e"));
        assertEquals("tuplekey", m.get(List.of(1L, 2L)), "tuples are keys by value");
        if (protocol >= 3) assertArrayEquals(new byte[] {0, 1}, (byte[]) m.get("b"));
        if (protocol >= 2) {
            assertEquals(Set.of(3L), m.get("set"));
            assertEquals(Set.of(4L), m.get("fs"));
            Set<?> frozen = (Set<?>) m.get("fs");
            assertThrows(UnsupportedOperationException.class, frozen::clear);
        }
        if (protocol == 5) assertArrayEquals("xy".getBytes(), (byte[]) m.get("ba"));
    }

    @Test
    void memoSharesOneObjectAsPythonDoes() {
        // x = [1]; pickle.dumps([x, x], protocol=2)
        Object v = load(HexFormat.of().parseHex("80025d7100285d71014b01616801652e"));
        List<?> outer = (List<?>) v;
        assertSame(outer.get(0), outer.get(1));
    }

    @Test
    void consecutivePicklesLoadOneByOne() {
        byte[] a = PickleBytes.protocol(2).integer(7).stop();
        byte[] b = PickleBytes.protocol(2).str("next").stop();
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        SafeUnpickler u = new SafeUnpickler(FILE, MemorySegment.ofArray(both), 0, PythonGlobals.all(), pid -> pid);
        assertEquals(7L, u.load());
        assertEquals(a.length, u.position());
        assertEquals("next", u.load());
        assertEquals(both.length, u.position());
    }

    @Test
    void persistentIdsGoToTheCallback() {
        byte[] p = PickleBytes.protocol(2).mark().str("storage").integer(3).tuple().op('Q').stop();
        Object v = new SafeUnpickler(FILE, MemorySegment.ofArray(p), 0, Map.of(), pid -> "loaded " + pid).load();
        assertEquals("loaded [storage, 3]", v);
    }

    @Test
    void namespaceBecomesAMapOfItsFields() {
        // argparse.Namespace(lr=0.5, name="x") with protocol 2
        byte[] p = PickleBytes.protocol(2).global("argparse", "Namespace").op(')', 0x81)
                .op('}').str("lr").op('G').le(Long.reverseBytes(Double.doubleToLongBits(0.5)), 8).op('s')
                .str("name").str("x").op('s').op('b').stop();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("lr", 0.5);
        expected.put("name", "x");
        assertEquals(expected, load(p));
    }

    @Test
    void orderedDictKeepsItsItemsAndDropsItsAttributes() {
        byte[] p = PickleBytes.protocol(2).global("collections", "OrderedDict").op(')', 'R')
                .mark().str("b").integer(1).str("a").integer(2).op('u')
                .op('}').str("_metadata").op('}').op('s').op('b').stop();
        assertEquals(List.of("b", "a"), new ArrayList<>(((Map<?, ?>) load(p)).keySet()));
    }

    // ---- refusals: nothing outside the allow-list is named, called or given a state -----------------------

    @Test
    void refusesGlobalsOutsideTheAllowList() {
        assertRefused(PickleBytes.protocol(2).global("os", "system").str("echo pwned").op(0x85, 'R').stop(),
                "refusing to unpickle os.system: only tensors, containers and plain values are allowed");
    }

    @Test
    void refusesStackGlobalAndInst() {
        byte[] stackGlobal = PickleBytes.protocol(4).str("builtins").str("eval").op(0x93).str("1+1").op(0x85, 'R').stop();
        assertRefused(stackGlobal, "refusing to unpickle builtins.eval: only tensors, containers and plain values are allowed");
        byte[] inst = PickleBytes.protocol(0).mark().str("echo").op('i').op("subprocess\ncall\n".chars().toArray()).stop();
        assertRefused(inst, "refusing to unpickle subprocess.call: only tensors, containers and plain values are allowed");
        byte[] py2Builtin = PickleBytes.protocol(2).global("__builtin__", "getattr").stop();
        assertRefused(py2Builtin, "refusing to unpickle builtins.getattr: only tensors, containers and plain values are allowed");
    }

    @Test
    void namesFromTheFileCannotBreakTheOneLineMessage() {
        byte[] p = PickleBytes.protocol(4).str("os\nsystem").str("x".repeat(10_000)).op(0x93).stop();
        assertEquals(FILE + ": refusing to unpickle os\\nsystem." + "x".repeat(109)
                + "...: only tensors, containers and plain values are allowed", message(p));
    }

    @Test
    void refusesCallingWhatIsNotAnAllowedGlobal() {
        assertRefused(PickleBytes.protocol(2).str("os.system").op(')', 'R').stop(),
                "refusing to call a str: only allowed globals may be called");
        assertRefused(PickleBytes.protocol(2).op(']').op(')', 0x81).stop(),
                "refusing to call a list: only allowed globals may be called");
        assertRefused(PickleBytes.protocol(1).mark().str("x").op('o').stop(),
                "refusing to call a str: only allowed globals may be called");
    }

    @Test
    void refusesStateOnObjectsNoAllowedClassMade() {
        assertRefused(PickleBytes.protocol(2).op('}').op('}').op('b').stop(),
                "refusing to set the state of a dict: only objects of allowed classes take a state");
        assertRefused(PickleBytes.protocol(2).global("builtins", "set").op(']', 0x85, 'R').op('}').op('b').stop(),
                "refusing to set the state of a builtins.set: its pickle should not carry one");
    }

    @Test
    void refusesUnhashableKeysInsteadOfRecursingForever() {
        // l = []; l.append(l); {l: 1}
        byte[] p = PickleBytes.protocol(2).op('}').op(']', 'q', 0, 'h', 0, 'a').integer(1).op('s').stop();
        assertEquals(FILE + ": a list cannot be a dict key or set member", message(p));
    }

    @Test
    void deepNestingNeitherRecursesNorHashesForever() {
        int depth = 100_000;
        PickleBytes deepList = PickleBytes.protocol(2);
        for (int i = 0; i < depth; i++) deepList.op(']');
        for (int i = 1; i < depth; i++) deepList.op('a');
        Object v = load(deepList.stop());
        for (int i = 1; i < depth; i++) v = ((List<?>) v).getFirst();
        assertEquals(List.of(), v);

        PickleBytes deepKey = PickleBytes.protocol(2).op('}').op('N');
        for (int i = 0; i < depth; i++) deepKey.op(0x85);
        assertEquals(FILE + ": a dict key or set member nested deeper than 100 levels", message(deepKey.op('N', 's').stop()));

        PickleBytes deepFrozen = PickleBytes.protocol(4);
        for (int i = 0; i < depth; i++) deepFrozen.mark();
        deepFrozen.op('N');
        for (int i = 0; i < depth; i++) deepFrozen.op(0x91); // frozenset({frozenset({... None})})
        assertEquals(FILE + ": a dict key or set member nested deeper than 100 levels", message(deepFrozen.stop()));
    }

    /** {@code t = (); t = (t, t)} 64 times, as pickle writes it: each level is the memoized tuple twice. */
    private static PickleBytes doubledTuple(PickleBytes p, int levels) {
        p.op(')');
        for (int i = 0; i < levels; i++) p.op('q', i, 'h', i, 0x86);
        return p;
    }

    @Test
    void sharedPartsDoNotMakeHashingAKeyTakeForever() {
        String tooCostly = FILE + ": a dict key or set member of more than " + HashableKeys.MAX_NODES
                + " parts (counting shared parts once per use), too costly to hash";
        // {t: 1}: Java would hash t by walking all 2^64 paths through it
        byte[] asKey = doubledTuple(PickleBytes.protocol(2).op('}'), 64).integer(1).op('s').stop();
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> assertEquals(tooCostly, message(asKey)));
        // frozenset({t}) and {t} (set + ADDITEMS)
        byte[] inFrozenset = doubledTuple(PickleBytes.protocol(4).mark(), 64).op(0x91).stop();
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> assertEquals(tooCostly, message(inFrozenset)));
        byte[] inSet = doubledTuple(PickleBytes.protocol(4).op(0x8f).mark(), 64).op(0x90).stop();
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> assertEquals(tooCostly, message(inSet)));
        // a key within the bound, used as a key over and over: the pickle's total is bounded too
        PickleBytes many = doubledTuple(PickleBytes.protocol(2).op('}'), 15).op('q', 200, '0'); // a key of 65535 visits
        for (int i = 0; i < 200; i++) many.op('h', 200).integer(i).op('s');
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> assertEquals(perPickle(), message(many.stop())));
        // a few shared levels stay a fine key: 2^10 paths
        Map<?, ?> small = (Map<?, ?>) load(doubledTuple(PickleBytes.protocol(2).op('}'), 10).integer(1).op('s').stop());
        assertEquals(1, small.size());
    }

    /** The message of a pickle whose keys, all together, cost more than the per-pickle budget to hash. */
    private static String perPickle() {
        return FILE + ": dict keys and set members too costly to hash: more than " + HashableKeys.MAX_NODES_PER_PICKLE
                + " steps in all (parts visited plus keys of one hash code compared)";
    }

    /** The 1-tuples of the strings of {@code length} pairs, each "Aa" or "BB": all share one Java hash code. */
    private static PickleBytes collidingTupleKeys(PickleBytes p, int length, int count) {
        for (int i = 0; i < count; i++) {
            StringBuilder s = new StringBuilder();
            for (int bit = 0; bit < length; bit++) s.append((i >> bit & 1) == 0 ? "Aa" : "BB");
            p.str(s.toString()).op(0x85);
        }
        return p;
    }

    @Test
    void keysCraftedToShareOneHashCodeDoNotMakeInsertsQuadratic() {
        String tooCostly = perPickle();
        int count = 1 << 16; // n²/2 comparisons unbounded: minutes; bounded: refused after about 4,500 inserts
        // {(s,): 0 for every s}, as one SETITEMS
        byte[] asDict = collidingDict(16, count / 2);
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> assertEquals(tooCostly, message(asDict)));
        // frozenset and set + ADDITEMS of them
        byte[] inFrozenset = collidingTupleKeys(PickleBytes.protocol(4).mark(), 16, count).op(0x91).stop();
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> assertEquals(tooCostly, message(inFrozenset)));
        byte[] inSet = collidingTupleKeys(PickleBytes.protocol(4).op(0x8f).mark(), 16, count).op(0x90).stop();
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> assertEquals(tooCostly, message(inSet)));
        // a few hundred colliding keys are still read, as Python would
        Set<?> few = (Set<?>) load(collidingTupleKeys(PickleBytes.protocol(4).mark(), 16, 300).op(0x91).stop());
        assertEquals(300, few.size());
    }

    private static byte[] collidingDict(int length, int count) {
        PickleBytes p = PickleBytes.protocol(2).op('}').mark();
        for (int i = 0; i < count; i++) {
            StringBuilder s = new StringBuilder();
            for (int bit = 0; bit < length; bit++) s.append((i >> bit & 1) == 0 ? "Aa" : "BB");
            p.str(s.toString()).op(0x85).integer(0);
        }
        return p.op('u').stop();
    }

    @Test
    void aPickleMayPushAtMostMaxValues() {
        byte[] marks = new byte[(int) SafeUnpickler.MAX_VALUES + 4];
        Arrays.fill(marks, (byte) '(');
        marks[0] = (byte) 0x80;
        marks[1] = 2;
        assertEquals(FILE + ": malformed pickle at byte " + (SafeUnpickler.MAX_VALUES + 2) + ": more than "
                + SafeUnpickler.MAX_VALUES + " values in one pickle", message(marks));
        byte[] lists = marks.clone();
        Arrays.fill(lists, 2, lists.length, (byte) ']');
        assertTrue(message(lists).endsWith(": more than " + SafeUnpickler.MAX_VALUES + " values in one pickle"));
    }

    // ---- malformed and truncated pickles --------------------------------------------------------------

    @Test
    void malformedPicklesAreOneLineErrors() {
        assertEquals(FILE + ": malformed pickle at byte 2: stack underflow", message(PickleBytes.protocol(2).op('0').stop()));
        assertEquals(FILE + ": malformed pickle at byte 2: no MARK to pop to", message(PickleBytes.protocol(2).op('t').stop()));
        assertEquals(FILE + ": malformed pickle at byte 2: memo has no entry 9", message(PickleBytes.protocol(2).op('h', 9).stop()));
        assertEquals(FILE + ": malformed pickle at byte 2: unsupported opcode 0x82", message(PickleBytes.protocol(2).op(0x82, 1).stop()));
        assertEquals(FILE + ": malformed pickle at byte 0: pickle protocol 6 is newer than 5", message(PickleBytes.protocol(6).stop()));
        assertEquals(FILE + ": malformed pickle at byte 6: APPEND to an int", message(PickleBytes.protocol(2).op('K', 1, 'K', 2, 'a').stop()));
        assertEquals(FILE + ": malformed pickle at byte 5: stack underflow", message(PickleBytes.protocol(2).op('K', 1).mark().op(0x85).stop()),
                "items below a MARK are out of reach");
        assertEquals(3L, load(PickleBytes.protocol(2).op('K', 3).mark().op('0').stop()), "POP right after MARK drops the mark, as in CPython");
    }

    @Test
    void hugeDeclaredLengthsAreTruncationNotAllocation() {
        byte[] p = PickleBytes.protocol(2).op('X').le(0xFFFFFFFFL, 4).str("tiny").stop();
        assertEquals(FILE + ": pickle ends early, inside the opcode at byte 2 (truncated file?)", message(p));
        byte[] p8 = PickleBytes.protocol(4).op(0x8d).le(Long.MAX_VALUE, 8).stop();
        assertEquals(FILE + ": pickle ends early, inside the opcode at byte 2 (truncated file?)", message(p8));
    }

    @Test
    void everyTruncationOfEveryProtocolIsAOneLineError() {
        for (String hex : PLAIN_VALUES) {
            byte[] whole = HexFormat.of().parseHex(hex);
            for (int n = 0; n < whole.length; n++) {
                String m = message(Arrays.copyOf(whole, n));
                assertTrue(m.startsWith(FILE + ": ") && !m.contains("\n"), m);
            }
        }
    }

    @Test
    void randomDamageNeverEscapesAsAnotherException() {
        Random random = new Random(42);
        for (String hex : PLAIN_VALUES) {
            byte[] whole = HexFormat.of().parseHex(hex);
            for (int trial = 0; trial < 300; trial++) {
                byte[] damaged = whole.clone();
                for (int k = 0; k < 3; k++) damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
                try {
                    load(damaged);
                } catch (SerException expected) {
                    assertFalse(expected.getMessage().contains("\n"));
                }
            }
        }
    }

    private static Object load(byte[] pickle) {
        return new SafeUnpickler(FILE, MemorySegment.ofArray(pickle), 0, PythonGlobals.all(), pid -> pid).load();
    }

    private static String message(byte[] pickle) {
        return assertThrows(SerException.class, () -> load(pickle)).getMessage();
    }

    private static void assertRefused(byte[] pickle, String problem) {
        assertEquals(FILE + ": " + problem, message(pickle));
    }
}
