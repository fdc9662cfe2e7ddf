package dev.winnow.registry;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The builders of ModelVersion and RegistryEvent: what they accept, what they refuse, and that an event survives its JSON. */
class RegistryRecordsTest {
    static final String SHA = "0123456789abcdef".repeat(4);

    @Test
    void aVersionKeepsWhatWasPublishedInOrderAndArchivesAsACopy() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("testRows", 300.0);
        metrics.put("accuracy", 0.91);
        ModelVersion v = ModelVersion.builder("pumps", 2, SHA).size(1234).family("protonn").metrics(metrics).tags(Map.of("data", "uci"))
                .uploader("ci").publishedMillis(1_000).build();
        metrics.put("later", 1.0);
        assertEquals(List.of("testRows", "accuracy"), List.copyOf(v.metrics().keySet()), "a copy, in publish order");
        assertThrows(UnsupportedOperationException.class, () -> v.tags().put("x", "y"));
        ModelVersion archived = v.archive();
        assertTrue(archived.archived());
        assertFalse(v.archived());
        assertEquals(v.toBuilder().archived(true).build(), archived);
        ModelVersion bare = ModelVersion.builder("pumps", 1, SHA).build();
        assertEquals(Map.of(), bare.metrics());
        assertNull(bare.family());
    }

    @Test
    void aVersionOutOfRangeIsRefusedWithItsField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelVersion.builder(" ", 1, SHA).build()).getMessage().contains("model name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelVersion.builder("m", 0, SHA).build()).getMessage().contains("version must be >= 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelVersion.builder("m", 1, "ABC").build()).getMessage().contains("sha256"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelVersion.builder("m", 1, SHA).size(-1).build()).getMessage().contains("size"));
        assertThrows(IllegalArgumentException.class, () -> ModelVersion.builder("m", 1, SHA).publishedMillis(-5).build());
    }

    @Test
    void anEventRoundTripsThroughItsJson() throws Exception {
        RegistryEvent publish = RegistryEvent.builder(1, RegistryEvent.Type.PUBLISH, "pumps", 1).sha256(SHA).size(99).family("bonsai")
                .metrics(Map.of("accuracy", 0.9)).tags(Map.of("data", "uci")).actor("ci").timeMillis(5).build();
        assertEquals(publish, RegistryEvent.fromJson(publish.toJson()));
        RegistryEvent alias = RegistryEvent.builder(2, RegistryEvent.Type.ALIAS_SET, "pumps", 1).alias("production").actor("ci").timeMillis(6).build();
        assertEquals(alias, RegistryEvent.fromJson(alias.toJson()));
        assertEquals(0, alias.previousVersion());
    }

    @Test
    void anEventBreakingARuleIsRefusedAndALogRecordBreakingOneIsUnreadable() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RegistryEvent.builder(1, RegistryEvent.Type.ALIAS_SET, "m", 1).build())
                .getMessage().contains("needs an alias"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RegistryEvent.builder(1, RegistryEvent.Type.PUBLISH, "m", 1).build())
                .getMessage().contains("needs the artifact's sha256"));
        assertThrows(IllegalArgumentException.class, () -> RegistryEvent.builder(0, RegistryEvent.Type.ARCHIVE, "m", 1).build());
        assertThrows(IllegalArgumentException.class, () -> RegistryEvent.builder(1, null, "m", 1).build());
        assertThrows(IllegalArgumentException.class, () -> RegistryEvent.builder(1, RegistryEvent.Type.ARCHIVE, "m", 0).build());
        assertThrows(IllegalArgumentException.class, () -> RegistryEvent.builder(1, RegistryEvent.Type.ARCHIVE, "m", 1).sha256("xyz").build());
        byte[] noAlias = "{\"seq\":3,\"type\":\"alias_set\",\"model\":\"m\",\"version\":1,\"actor\":\"a\",\"time\":1}".getBytes(StandardCharsets.UTF_8);
        RegistryException e = assertThrows(RegistryException.class, () -> RegistryEvent.fromJson(noAlias));
        assertTrue(e.getMessage().startsWith("unreadable event record: registry event 3: ALIAS_SET needs an alias"), e.getMessage());
    }
}
