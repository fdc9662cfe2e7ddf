package dev.winnow.registry;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.feed.RegistryFeedSource;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.types.ModelUpdate;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.Ed25519Keys;
import dev.winnow.runtime.testing.TinyCnn;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Flink job's registry on hdfs://, as a job's --registry gives it: the change feed source and a task
 * that fetches, verifies (signed by the trusted key) and loads each version, on a MiniCluster with an
 * HDFS mini cluster in the same JVM.
 */
class HdfsRegistryJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir static Path tmp;
    static MiniHdfs hdfs;

    @BeforeAll
    static void start() throws Exception {
        hdfs = new MiniHdfs(tmp.resolve("hdfs"));
    }

    @AfterAll
    static void stop() {
        if (hdfs != null) hdfs.close();
    }

    /** Loads the version an update names through the job's own connection: what a hot-swapping task does. */
    static final class LoadVersion extends RichMapFunction<ModelUpdate, String> {
        private final RegistryConnection connection;
        private transient RegistryClient client;

        LoadVersion(RegistryConnection connection) {
            this.connection = connection;
        }

        @Override
        public void open(OpenContext ctx) throws Exception {
            client = connection.open();
        }

        @Override
        public String map(ModelUpdate u) throws Exception {
            ModelVersion v = client.resolve(u.modelName + ":" + u.version);
            Model m = Model.load(client.fetch(v));
            return u.alias + "->v" + u.version + " " + m.name() + " " + m.inputCount() + " input";
        }

        @Override
        public void close() {
            if (client != null) client.close();
        }
    }

    private static byte[] signed(byte[] artifact, KeyPair keys) throws Exception {
        return dev.winnow.runtime.format.ArtifactWriter.sign(artifact, keys.getPrivate(), keys.getPublic());
    }

    @Test
    void aJobFollowsAndLoadsSignedVersionsFromHdfs() throws Exception {
        KeyPair keys = Ed25519Keys.generate();
        Path pub = tmp.resolve("team.pub.pem");
        Ed25519Keys.writePem(pub, keys.getPublic());
        String location = hdfs.base + "/jobs/registry";
        ModelRegistry r = new ModelRegistry(RegistryLocations.open(location), List.of(keys.getPublic()), Clock.systemUTC());
        r.publish("det", signed(new TinyCnn(1, 24, 32).float32Artifact(), keys), "t", Map.of(), false, "production"); // 1: publish and alias, one event
        r.publish("det", signed(new TinyCnn(2, 24, 32).float32Artifact(), keys), "t", Map.of());                       // 2
        r.setAlias("det", "production", 2, "t");                                                                   // 3

        RegistryConnection conn = RegistryConnection.of(location, List.of(pub));
        var env = FlinkTests.env(1, 0); // one loading task, so the versions arrive in registry order
        var feed = RegistryFeedSource.builder(conn).model("det").stopAtSequence(3).pollWait(Duration.ofSeconds(1)).build().stream(env);
        List<String> loaded = new ArrayList<>();
        try (CloseableIterator<String> it = feed.map(new LoadVersion(conn)).name("load").uid("load").executeAndCollect("hdfs registry")) {
            it.forEachRemaining(loaded::add);
        }
        assertEquals(List.of("production->v1 tiny-cnn 1 input", "production->v2 tiny-cnn 1 input"), loaded);
    }
}
