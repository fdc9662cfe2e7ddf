package dev.winnow.runtime.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The same content is written as the same bytes, whatever map it came in, so an exported model's digest is reproducible. */
class JsonOrderTest {
    @Test
    void mapsWithoutAnOrderAreWrittenInKeyOrder() {
        Map<String, Object> unordered = Map.of("width", 320L, "height", 240L, "colorSpace", "gray", "scale", 0.5);
        assertEquals("{\"colorSpace\":\"gray\",\"height\":240,\"scale\":0.5,\"width\":320}", Json.write(unordered));
        assertEquals(Json.write(unordered), Json.write(new HashMap<>(unordered)));
        assertEquals("{\"a\":[{\"x\":1,\"y\":2}]}", Json.write(Map.of("a", List.of(Map.of("y", 2L, "x", 1L)))));
    }

    /** Node attributes and weight roles given as Map.of are laid down in key order, so two builds write the same graph. */
    @Test
    void graphNodesGivenUnorderedMapsAreWrittenInKeyOrder() {
        dev.winnow.runtime.GraphBuilder g = new dev.winnow.runtime.GraphBuilder();
        g.node("conv2d", "c", List.of("x"), List.of("y"), Map.of("filter", "c.f", "bias", "c.b"), Map.of("stride", 2L, "padding", "same", "activation", "relu"));
        String json = Json.write(g.graphJson());
        assertEquals(true, json.contains("\"weights\":{\"bias\":\"c.b\",\"filter\":\"c.f\"}"), json);
        assertEquals(true, json.contains("\"attrs\":{\"activation\":\"relu\",\"padding\":\"same\",\"stride\":2}"), json);
    }

    @Test
    void insertionOrderedMapsAndParsedTreesKeepTheirOrder() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1L);
        m.put("a", 2L);
        assertEquals("{\"z\":1,\"a\":2}", Json.write(m));
        String text = "{\"z\":1,\"a\":{\"q\":true,\"b\":false}}";
        assertEquals(text, Json.write(Json.parseObject(text)), "a parsed artifact's metadata writes back unchanged");
    }
}
