package ser.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.SerException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JsonTest {

    @Test
    void parsesEveryKindOfValue() {
        Object v = Json.parse(" {\"a\": [1, -2, 3.5, -0.25e2, 1E3], \"b\": {\"c\": null, \"d\": true, \"e\": false},"
                + " \"s\": \"q\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\", \"big\": 12345678901234567890} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("a", "b", "s", "big"), new ArrayList<>(m.keySet()), "keys keep file order");
        assertEquals(List.of(1L, -2L, 3.5, -25.0, 1000.0), m.get("a"));
        Map<?, ?> b = (Map<?, ?>) m.get("b");
        assertTrue(b.containsKey("c"));
        assertNull(b.get("c"));
        assertEquals(true, b.get("d"));
        assertEquals(false, b.get("e"));
        assertEquals("q\"\\/\b\f\n\r\té\uD83D\uDE00", m.get("s"));
        assertEquals(12345678901234567890.0, m.get("big"), "integers beyond long become doubles");
    }

    @Test
    void parsesScalarsAndEmptyContainers() {
        assertEquals(0L, Json.parse("0"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals("", Json.parse("\"\""));
        assertEquals(List.of(), Json.parse("[ ]"));
        assertEquals(Map.of(), Json.parse("{ }"));
        assertNull(Json.parse("null"));
    }

    @Test
    void rejectsMalformedTextNamingTheOffset() {
        String[] bad = {"", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "{a:1}", "01", "1.", "-", ".5", "1e", "+1",
                "tru", "nul", "\"abc", "\"\\x\"", "\"\\u12g4\"", "\"a\nb\"", "[1] 2", "{\"k\":1,\"k\":2}", "[1 2]", "NaN"};
        for (String text : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text), text);
            assertTrue(e.getMessage().startsWith("offset "), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"k\":1,\"k\":2}"))
                .getMessage().contains("duplicate key 'k'"));
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertInstanceOf(List.class, Json.parse(ok));
    }

    @Test
    void writesCompactJsonThatParsesBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "tab\there \"quoted\" \\ \u0001");
        m.put("n", 3);
        m.put("l", 1L << 40);
        m.put("f", 0.1f);
        m.put("d", 1e-7);
        m.put("none", null);
        m.put("flags", List.of(true, false));
        m.put("floats", new float[] {1.5f, -2f});
        m.put("ints", new int[] {1, 2});
        m.put("nested", Map.of("x", new double[] {0.5}));
        m.put("objs", new Object[] {"a", null});
        String text = Json.write(m);
        assertEquals("{\"name\":\"tab\\there \\\"quoted\\\" \\\\ \\u0001\",\"n\":3,\"l\":1099511627776,\"f\":0.1,"
                + "\"d\":1.0E-7,\"none\":null,\"flags\":[true,false],\"floats\":[1.5,-2.0],\"ints\":[1,2],"
                + "\"nested\":{\"x\":[0.5]},\"objs\":[\"a\",null]}", text);
        Map<?, ?> back = (Map<?, ?>) Json.parse(text);
        assertEquals(m.get("name"), back.get("name"));
        assertEquals(0.1f, ((Double) back.get("f")).floatValue(), "a float's shortest form reads back exactly");
        assertEquals(1e-7, back.get("d"));
        assertEquals(Arrays.asList("a", null), back.get("objs"));
    }

    @Test
    void prettyOutputKeepsPlainListsOnOneLine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("confusion", List.of(List.of(1, 2), List.of(3, 4)));
        m.put("empty", List.of());
        m.put("none", Map.of());
        assertEquals("""
                {
                  "confusion": [
                    [1, 2],
                    [3, 4]
                  ],
                  "empty": [],
                  "none": {}
                }""", Json.writePretty(m));
    }

    @Test
    void refusesWhatJsonCannotSay() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Float.POSITIVE_INFINITY)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, "a")));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }

    @Test
    void filesRoundTripAndBadFilesNameThemselves(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/metrics.json");
        Json.writeFile(file, Map.of("accuracy", 0.75));
        assertEquals("{\n  \"accuracy\": 0.75\n}\n", Files.readString(file));
        assertEquals(Map.of("accuracy", 0.75), Json.read(file));

        Files.writeString(file, "{\"a\": }");
        SerException e = assertThrows(SerException.class, () -> Json.read(file));
        assertEquals(file + ": not valid JSON: offset 6: unexpected '}'", e.getMessage());
        SerException missing = assertThrows(SerException.class, () -> Json.read(dir.resolve("nope.json")));
        assertEquals(dir.resolve("nope.json") + ": cannot read: no such file", missing.getMessage());
    }
}
