package dev.winnow.flink.model.feed;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.types.ModelUpdate;
import dev.winnow.registry.LocalDirectoryStore;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.runtime.testing.TinyCnn;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class RegistryFeedSourceTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir Path dir;

    List<ModelUpdate> run(RegistryFeedSource source) throws Exception {
        StreamExecutionEnvironment env = FlinkTests.env(2, 0);
        List<ModelUpdate> out = new ArrayList<>();
        try (CloseableIterator<ModelUpdate> it = source.stream(env).executeAndCollect("feed")) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void emitsOneModelsAliasMovesInRegistryOrder() throws Exception {
        ModelRegistry r = new ModelRegistry(new LocalDirectoryStore(dir));
        r.publish("det", new TinyCnn(1, 24, 32).float32Artifact(), "t", Map.of());  // 1
        r.setAlias("det", "production", 1, "t");                                    // 2
        r.publish("other", new TinyCnn(2, 24, 32).float32Artifact(), "t", Map.of()); // 3
        r.setAlias("other", "production", 1, "t");                                  // 4
        var v2 = r.publish("det", new TinyCnn(3, 24, 32).float32Artifact(), "t", Map.of()); // 5
        r.setAlias("det", "canary", 2, "t");                                        // 6
        r.setAlias("det", "production", 2, "t");                                    // 7
        RegistryConnection conn = RegistryConnection.directory(dir, List.of()).allowingUnsigned();

        List<ModelUpdate> all = run(RegistryFeedSource.builder(conn).model("det").stopAtSequence(7).pollWait(Duration.ofSeconds(1)).build());
        assertEquals(List.of(2L, 6L, 7L), all.stream().map(u -> u.sequence).toList());
        ModelUpdate last = all.get(2);
        assertEquals("production", last.alias);
        assertEquals(2, last.version);
        assertEquals(v2.sha256(), last.sha256);

        List<ModelUpdate> tail = run(RegistryFeedSource.builder(conn).model("det").startAfter(6).stopAtSequence(7).build());
        assertEquals(List.of(7L), tail.stream().map(u -> u.sequence).toList());
    }

    /** A publish that names an alias moves it in the same event; the jobs must see that move like any other. */
    @Test
    void aPublishThatMovesAnAliasIsAnUpdate() throws Exception {
        ModelRegistry r = new ModelRegistry(new LocalDirectoryStore(dir));
        r.publish("det", new TinyCnn(1, 24, 32).float32Artifact(), "t", Map.of(), false, "production");      // 1
        var v2 = r.publish("det", new TinyCnn(3, 24, 32).float32Artifact(), "t", Map.of(), false, "production"); // 2
        r.publish("det", new TinyCnn(4, 24, 32).float32Artifact(), "t", Map.of());                           // 3: no alias
        List<ModelUpdate> all = run(RegistryFeedSource.builder(RegistryConnection.directory(dir, List.of()).allowingUnsigned()).model("det")
                .stopAtSequence(3).pollWait(Duration.ofSeconds(1)).build());
        assertEquals(List.of(1L, 2L), all.stream().map(u -> u.sequence).toList());
        assertEquals("production", all.get(1).alias);
        assertEquals(2, all.get(1).version);
        assertEquals(v2.sha256(), all.get(1).sha256);
    }

    @Test
    void checkpointFormatsRoundTripAndRejectGarbage() throws Exception {
        var split = new RegistryFeedSerializers.Split();
        assertEquals(1234567890123L, split.deserialize(1, split.serialize(new RegistryFeedSplit(1234567890123L))).afterSequence());
        assertThrows(IOException.class, () -> split.deserialize(1, new byte[3]));
        assertThrows(IOException.class, () -> split.deserialize(2, new byte[8]));
        var enumerator = new RegistryFeedSerializers.Enumerator();
        assertEquals(42L, enumerator.deserialize(1, enumerator.serialize(List.of(new RegistryFeedSplit(42)))).get(0).afterSequence());
        assertTrue(enumerator.deserialize(1, enumerator.serialize(List.of())).isEmpty());
        assertThrows(IOException.class, () -> enumerator.deserialize(1, new byte[] {0x7f, 0, 0, 0}));
    }
}
