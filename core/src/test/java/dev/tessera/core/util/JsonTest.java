package dev.tessera.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertEquals("\"a\\\"b\"", Json.write("a\"b"));
        assertEquals("\"back\\\\slash\"", Json.write("back\\slash"));
        assertEquals("\"n\\nr\\rt\\t\"", Json.write("n\nr\rt\t"));
        assertEquals("\"\\u0001\\u001f\\u0000\"", Json.write("\u0001\u001f\u0000"));
        assertEquals("\"plain é →\"", Json.write("plain é →"));
    }

    @Test
    void writesScalars() {
        assertEquals("null", Json.write(null));
        assertEquals("true", Json.write(true));
        assertEquals("42", Json.write(42));
        assertEquals("12345678901", Json.write(12345678901L));
        assertEquals("2.0", Json.write(2.0));
        assertEquals("0.25", Json.write(0.25));
        assertEquals("1.5", Json.write(1.5f));
        assertEquals("null", Json.write(Double.NaN));
        assertEquals("null", Json.write(Double.POSITIVE_INFINITY));
        assertEquals("null", Json.write(Float.NaN));
    }

    @Test
    void writesNestedMapsAndLists() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("k", List.of(true, false));
        inner.put("empty", Map.of());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", "x");
        root.put("list", Arrays.asList(1, "two", null, List.of(), List.of(3.5)));
        root.put("map", inner);
        root.put("nan", Double.NaN);
        assertEquals(
                "{\"name\":\"x\",\"list\":[1,\"two\",null,[],[3.5]],\"map\":{\"k\":[true,false],\"empty\":{}},"
                        + "\"nan\":null}",
                Json.write(root));
    }

    @Test
    void keysAreQuotedAndEscaped() {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put("q\"k", 1);
        m.put(7, 2);
        assertEquals("{\"q\\\"k\":1,\"7\":2}", Json.write(m));
    }

    @Test
    void parseObjectReadsBackWhatWriteProduced() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("deep", new ArrayList<>(List.of(1, 2.5, "s")));
        nested.put("flag", false);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("text", "quote \" backslash \\ newline \n tab \t ctrl \u0002 unicode é");
        root.put("int", 7);
        root.put("long", 12345678901L);
        root.put("double", 0.001);
        root.put("whole", 3.0);
        root.put("neg", -1.25e-7);
        root.put("null", null);
        root.put("nested", nested);
        root.put("list", new ArrayList<>(List.of(new ArrayList<>(), new LinkedHashMap<>())));

        Map<String, Object> back = Json.parseObject(Json.write(root));
        assertEquals(root, back);
        assertEquals(List.copyOf(root.keySet()), List.copyOf(back.keySet()), "insertion order is kept");
        assertEquals(Integer.valueOf(7), back.get("int"));
        assertEquals(Double.valueOf(3.0), back.get("whole"));
    }

    @Test
    void parseObjectTurnsNanIntoNull() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("x", Double.NaN);
        Map<String, Object> back = Json.parseObject(Json.write(root));
        assertEquals(1, back.size());
        assertEquals(null, back.get("x"));
    }

    @Test
    void parseObjectRejectsNonObjects() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[1, 2]"));
        assertEquals("expected a JSON object", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parseObject("\"s\""));
    }
}
