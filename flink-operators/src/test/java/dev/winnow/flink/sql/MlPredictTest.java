package dev.winnow.flink.sql;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.registry.LocalDirectoryStore;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.runtime.GraphBuilder;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.format.Metadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** CREATE MODEL … WITH ('provider' = 'winnow') and ML_PREDICT, end to end on a MiniCluster. */
class MlPredictTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir Path dir;
    StreamTableEnvironment tEnv;
    Model reference;
    final Random random = new Random(11);
    final float[][] rows = new float[40][3];

    /** A real linear classifier over three features with softmax, random weights. */
    byte[] classifier(int seed) {
        Random r = new Random(seed);
        float[] w = new float[2 * 3], b = new float[2];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian() * 0.1f;
        GraphBuilder g = new GraphBuilder().tensor("x", new int[] {3}).tensor("z", new int[] {2}).tensor("y", new int[] {2}).input("x").output("y")
                .node("dense", "fc", List.of("x"), List.of("z"), Map.of("weights", "w", "bias", "b"), null)
                .node("softmax", "p", List.of("z"), List.of("y"), Map.of(), null)
                .weightFloat("w", new int[] {2, 3}, w).weightFloat("b", new int[] {2}, b);
        return g.toBytes(Metadata.builder("vib", "cnn").input("x", new int[] {3}, "float32", "features", null).labels(List.of("quiet", "vibration")));
    }

    @BeforeEach
    void setUp() throws Exception {
        ModelRegistry registry = new ModelRegistry(new LocalDirectoryStore(dir.resolve("registry")));
        // signed, as the default path requires: the models below name this key in 'trusted-keys'
        java.security.KeyPair keys = dev.winnow.runtime.format.Ed25519Keys.generate();
        dev.winnow.runtime.format.Ed25519Keys.writePem(dir.resolve("team.pub.pem"), keys.getPublic());
        registry.publish("vib", dev.winnow.runtime.format.ArtifactWriter.sign(classifier(1), keys.getPrivate(), keys.getPublic()), "test", Map.of());
        byte[] v2 = dev.winnow.runtime.format.ArtifactWriter.sign(classifier(2), keys.getPrivate(), keys.getPublic());
        registry.publish("vib", v2, "test", Map.of());
        registry.setAlias("vib", "production", 2, "test");
        reference = Model.load(v2);
        Files.write(dir.resolve("vib.wnm"), v2);

        StreamExecutionEnvironment env = FlinkTests.env(2, 0);
        tEnv = StreamTableEnvironment.create(env);
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < 3; j++) rows[i][j] = (float) random.nextGaussian();
            if (i > 0) values.append(", ");
            values.append(String.format("('r%d', CAST(%s AS FLOAT), CAST(%s AS FLOAT), CAST(%s AS FLOAT))", i, rows[i][0], rows[i][1], rows[i][2]));
        }
        values.append(", ('broken', CAST(NULL AS FLOAT), CAST(1 AS FLOAT), CAST(2 AS FLOAT))");
        tEnv.executeSql("CREATE TEMPORARY VIEW readings AS SELECT * FROM (VALUES " + values + ") AS t(id, x0, x1, x2)");
    }

    Map<String, Row> collect(String sql) throws Exception {
        Map<String, Row> out = new HashMap<>();
        try (CloseableIterator<Row> it = tEnv.executeSql(sql).collect()) {
            while (it.hasNext()) {
                Row r = it.next();
                assertNull(out.put((String) r.getField(0), r), "one prediction per row");
            }
        }
        return out;
    }

    void assertMatchesTheModel(Map<String, Row> out) {
        assertEquals(rows.length + 1, out.size(), "every row comes out, the one with a null feature too");
        var it = reference.newInterpreter();
        float[] p = new float[2];
        for (int i = 0; i < rows.length; i++) {
            it.predict(rows[i], p);
            int best = p[1] > p[0] ? 1 : 0;
            Row r = out.get("r" + i);
            assertEquals(best == 1 ? "vibration" : "quiet", r.getField(1), "row " + i);
            assertEquals(p[best], (Float) r.getField(2), 1e-6f);
            assertEquals(2, r.getField(3), "scored by the version the alias points at");
        }
        Row broken = out.get("broken");
        assertNull(broken.getField(1));
        assertNull(broken.getField(2));
        assertEquals(2, broken.getField(3));
    }

    @Test
    void mlPredictRunsTheRegistryModelInProcess() throws Exception {
        tEnv.executeSql("CREATE TEMPORARY MODEL vib INPUT (x0 FLOAT, x1 FLOAT, x2 FLOAT) OUTPUT (label STRING, score FLOAT, model_version INT) "
                + "WITH ('provider' = 'winnow', 'model' = 'vib@production', 'registry' = '" + dir.resolve("registry") + "', "
                + "'trusted-keys' = '" + dir.resolve("team.pub.pem") + "')");
        assertMatchesTheModel(collect("SELECT id, label, score, model_version FROM ML_PREDICT(TABLE readings, MODEL vib, DESCRIPTOR(x0, x1, x2))"));
    }

    /**
     * The same model read from an s3:// registry by the task (Flink's S3 file system against an S3
     * server in this JVM); a registry in a missing bucket fails the statement with the one-line cause.
     */
    @Test
    void mlPredictReadsItsRegistryFromS3() throws Exception {
        try (dev.winnow.registry.S3ProxyServer s3 = new dev.winnow.registry.S3ProxyServer(Files.createDirectories(dir.resolve("s3")))) {
            s3.createBucket("models");
            ModelRegistry local = new ModelRegistry(new LocalDirectoryStore(dir.resolve("registry")));
            ModelRegistry remote = new ModelRegistry(dev.winnow.registry.RegistryLocations.open("s3://models/sql"));
            for (var v : local.versions("vib")) remote.publish("vib", local.artifact(v), "test", Map.of());
            remote.setAlias("vib", "production", 2, "test");
            tEnv.executeSql("CREATE TEMPORARY MODEL vib_s3 INPUT (x0 FLOAT, x1 FLOAT, x2 FLOAT) OUTPUT (label STRING, score FLOAT, model_version INT) "
                    + "WITH ('provider' = 'winnow', 'model' = 'vib@production', 'registry' = 's3://models/sql', "
                    + "'trusted-keys' = '" + dir.resolve("team.pub.pem") + "')");
            assertMatchesTheModel(collect("SELECT id, label, score, model_version FROM ML_PREDICT(TABLE readings, MODEL vib_s3, DESCRIPTOR(x0, x1, x2))"));

            tEnv.executeSql("CREATE TEMPORARY MODEL vib_gone INPUT (x0 FLOAT, x1 FLOAT, x2 FLOAT) OUTPUT (label STRING) "
                    + "WITH ('provider' = 'winnow', 'model' = 'vib@production', 'registry' = 's3://no-such-bucket/sql', "
                    + "'trusted-keys' = '" + dir.resolve("team.pub.pem") + "')");
            Exception failed = assertThrows(Exception.class,
                    () -> collect("SELECT id, label FROM ML_PREDICT(TABLE readings, MODEL vib_gone, DESCRIPTOR(x0, x1, x2))"));
            String cause = null;
            for (Throwable c = failed; c != null && cause == null; c = c.getCause()) {
                if (c.getMessage() != null && c.getMessage().startsWith("registry location ")) cause = c.getMessage();
            }
            assertNotNull(cause, rootMessage(failed));
            assertTrue(cause.startsWith("registry location s3://no-such-bucket/sql: cannot reach the store"), cause);
            assertFalse(cause.contains("\n"), cause);
        }
    }

    @Test
    void arrayFeaturesAndAnArtifactFile() throws Exception {
        tEnv.executeSql("CREATE TEMPORARY VIEW vectors AS SELECT id, ARRAY[x0, x1, x2] AS x FROM readings");
        tEnv.executeSql("CREATE TEMPORARY MODEL vib_file INPUT (x ARRAY<FLOAT>) OUTPUT (label STRING, score FLOAT, class_index INT, scores ARRAY<FLOAT>) "
                + "WITH ('provider' = 'winnow', 'model' = 'vib', 'artifact' = '" + dir.resolve("vib.wnm") + "')");
        Map<String, Row> out = collect("SELECT id, label, score, class_index, scores FROM ML_PREDICT(TABLE vectors, MODEL vib_file, DESCRIPTOR(x))");
        assertEquals(rows.length + 1, out.size());
        var it = reference.newInterpreter();
        float[] p = new float[2];
        for (int i = 0; i < rows.length; i++) {
            it.predict(rows[i], p);
            Row r = out.get("r" + i);
            assertArrayEquals(p, toFloats((Float[]) r.getField(4)), 1e-6f);
            assertEquals(p[1] > p[0] ? 1 : 0, r.getField(3));
        }
    }

    static float[] toFloats(Float[] boxed) {
        float[] f = new float[boxed.length];
        for (int i = 0; i < f.length; i++) f[i] = boxed[i];
        return f;
    }

    /**
     * The failure ML_PREDICT reports (every cause's message) for a model {@code name} of the three
     * readings columns, declared with OUTPUT {@code output} and, besides the provider and model, {@code with}.
     */
    String predictError(String name, String output, String with) {
        tEnv.executeSql("CREATE TEMPORARY MODEL " + name + " INPUT (x0 FLOAT, x1 FLOAT, x2 FLOAT) OUTPUT (" + output + ") "
                + "WITH ('provider' = 'winnow', 'model' = 'vib@production', " + with + ")");
        return rootMessage(assertThrows(Exception.class,
                () -> tEnv.executeSql("SELECT * FROM ML_PREDICT(TABLE readings, MODEL " + name + ", DESCRIPTOR(x0, x1, x2))").await()));
    }

    @Test
    void badDeclarationsFailTheStatementWithAClearMessage() {
        String registry = "'registry' = '" + dir.resolve("registry") + "'", trusted = "'trusted-keys' = '" + dir.resolve("team.pub.pem") + "'";
        String typo = predictError("typo", "lable STRING", registry + ", " + trusted);
        assertTrue(typo.contains("unknown OUTPUT column lable"), typo);

        String conflicting = predictError("conflicting", "label STRING", "'registry' = '/r', 'artifact' = '/a.wnm'");
        assertTrue(conflicting.contains("exactly one of 'registry' and 'artifact'"), conflicting);

        // signed by default: a registry model without 'trusted-keys' or 'allow-unsigned' is refused
        String untrusting = predictError("untrusting", "label STRING", registry);
        assertTrue(untrusting.contains("'registry' needs 'trusted-keys' (PEM files of the keys whose signed versions load) or 'allow-unsigned' = 'true'"),
                untrusting);

        String contradicting = predictError("contradicting", "label STRING", registry + ", " + trusted + ", 'allow-unsigned' = 'true'");
        assertTrue(contradicting.contains("'trusted-keys' and 'allow-unsigned' contradict each other"), contradicting);
    }

    @Test
    void allowUnsignedLoadsAnUnsignedRegistryModel() throws Exception {
        ModelRegistry open = new ModelRegistry(new LocalDirectoryStore(dir.resolve("open")));
        open.publish("vib", classifier(2), "test", Map.of());
        open.setAlias("vib", "production", 1, "test");
        tEnv.executeSql("CREATE TEMPORARY MODEL vib_open INPUT (x0 FLOAT, x1 FLOAT, x2 FLOAT) OUTPUT (label STRING, score FLOAT, model_version INT) "
                + "WITH ('provider' = 'winnow', 'model' = 'vib@production', 'registry' = '" + dir.resolve("open") + "', 'allow-unsigned' = 'true')");
        Map<String, Row> out = collect("SELECT id, label, score, model_version FROM ML_PREDICT(TABLE readings, MODEL vib_open, DESCRIPTOR(x0, x1, x2))");
        assertEquals(rows.length + 1, out.size(), "every row predicted by the unsigned model");
        assertEquals(1, out.get("r0").getField(3));
    }

    static String rootMessage(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) s.append(c.getMessage()).append(" | ");
        return s.toString();
    }
}
