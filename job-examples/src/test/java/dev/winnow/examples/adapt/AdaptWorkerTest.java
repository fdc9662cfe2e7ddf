package dev.winnow.examples.adapt;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.connectors.avro.AvroFormat;
import dev.winnow.connectors.testing.KafkaBroker;
import dev.winnow.flink.types.AdaptRequest;
import dev.winnow.registry.LocalDirectoryStore;
import dev.winnow.registry.ModelRegistry;
import dev.winnow.registry.cli.Exits;
import dev.winnow.runtime.format.Ed25519Keys;
import dev.winnow.runtime.testing.RepoRoot;
import dev.winnow.tools.teacher.TeacherModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The adapt worker against a real in-process KRaft broker, the real teacher and a registry directory: the
 * requests the central job would write for a flagged camera end as a signed student under that camera's
 * alias; a request for a camera it has no footage of, a second request inside the cooldown and bytes that
 * are no request are each skipped with one line; every request is committed; a broker that is not there
 * ends the worker with one line and its own exit code.
 */
class AdaptWorkerTest {
    @TempDir static Path tmp;
    static KafkaBroker broker;
    static Path root, teacher;

    @BeforeAll
    static void start() throws Exception {
        root = RepoRoot.path();
        if (!Files.isDirectory(root.resolve("data/detector/dog/native"))) fail("no frames of the dog clip: run scripts/data/fetch-footage.sh");
        teacher = tmp.resolve("teacher.wnm");
        TeacherModels.importTo(root.resolve(TeacherModels.SOURCE), teacher);
        broker = new KafkaBroker();
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) broker.close();
    }

    static AdaptRequest request(String camera) {
        AdaptRequest a = new AdaptRequest();
        a.cameraId = camera;
        a.timestampMillis = System.currentTimeMillis();
        a.recall = 0.5;
        a.lower = 0.3;
        a.upper = 0.7;
        a.floor = 0.95;
        a.samples = 20;
        a.misses = 10;
        a.studentModel = "person-detector:1";
        a.reason = "estimated recall 0.50 [0.30, 0.70] under the floor 0.95";
        return a;
    }

    /** The dog clip's 41 frames, one a second: people-free footage the bundled student keeps every frame of. */
    static Path dogCamera() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("dog-camera"));
        for (int i = 0; i < 41; i++) {
            String f = String.format(Locale.ROOT, "%04d.png", i);
            Files.copy(root.resolve("data/detector/dog/native").resolve(f), dir.resolve(f));
        }
        return dir;
    }

    @Test
    void aFlaggedCameraGetsAnAdaptedSignedStudentUnderItsAlias() throws Exception {
        broker.createTopic("adapt-1", 1);
        ProducerRecord<byte[], byte[]> dog = new ProducerRecord<>("adapt-1", "yard".getBytes(), AvroFormat.ADAPT_REQUEST.encode(request("yard")));
        broker.send("adapt-1", List.of(
                new ProducerRecord<>("adapt-1", "x".getBytes(), "not avro".getBytes(StandardCharsets.UTF_8)),
                new ProducerRecord<>("adapt-1", "ghost".getBytes(), AvroFormat.ADAPT_REQUEST.encode(request("ghost"))),
                dog, dog));
        KeyPair k = Ed25519Keys.generate();
        Path key = tmp.resolve("team");
        Ed25519Keys.writePem(Path.of(key + ".key.pem"), k.getPrivate());
        Ed25519Keys.writePem(Path.of(key + ".pub.pem"), k.getPublic());
        Path registry = tmp.resolve("registry");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AdaptWorker worker = new AdaptWorker(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int code = new CommandLine(worker).execute("--kafka", broker.bootstrap(), "--adapt-topic", "adapt-1", "--group", "g1", "--once",
                "--camera", "yard=" + dogCamera(), "--camera-alias", "yard=cam-yard", "--registry", registry.toString(),
                "--base", root.resolve("model-tools/detector/person-detector-int8.wnm").toString(), "--key", key.toString(),
                "--trust", key + ".pub.pem", "--teacher", teacher.toString(), "--camera-fps", "1", "--sample-fps", "1",
                "--minutes", String.valueOf(21 / 60.0), "--validate-minutes", "1", "--threads", "2", "--work", tmp.resolve("work").toString());
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(Exits.OK, code, out);
        assertTrue(out.contains("is not an AdaptRequest"), out);
        assertTrue(out.contains("camera ghost: no --camera footage for it; request skipped"), out);
        assertTrue(out.contains("camera yard: adapted student published as person-detector@cam-yard"), out);
        assertTrue(out.matches("(?s).*camera yard: adapted \\d+ s ago, under --cooldown PT1H; request skipped.*"), out);
        assertTrue(out.contains("4 requests: 1 malformed, 1 unknown camera, 1 published, 1 cooling down"), out);

        ModelRegistry reg = new ModelRegistry(new LocalDirectoryStore(registry), List.of(k.getPublic()), Clock.systemUTC());
        assertEquals(1, reg.versions("person-detector").size(), "one adapt for two requests of the same camera");
        assertEquals(1, reg.aliases("person-detector").get("cam-yard"), "the camera's alias points at the adapted student");
        reg.artifact(reg.versions("person-detector").get(0)); // signed by the key: verified against the trust list on read

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("g1").partitionsToOffsetAndMetadata().get();
            assertEquals(4, committed.get(new TopicPartition("adapt-1", 0)).offset(), "every request committed after it was handled");
        }
    }

    @Test
    void aBrokerThatIsNotThereEndsTheWorkerWithOneLine() throws Exception {
        Path key = tmp.resolve("k2");
        KeyPair k = Ed25519Keys.generate();
        Ed25519Keys.writePem(Path.of(key + ".key.pem"), k.getPrivate());
        Ed25519Keys.writePem(Path.of(key + ".pub.pem"), k.getPublic());
        PrintStream before = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = new CommandLine(new AdaptWorker(new PrintStream(new ByteArrayOutputStream()))).execute("--kafka", "127.0.0.1:1", "--once",
                    "--camera", "yard=" + tmp, "--registry", tmp.resolve("r2").toString(), "--key", key.toString(),
                    "--base", root.resolve("model-tools/detector/person-detector-int8.wnm").toString(), "--connect-timeout", "PT3S",
                    "--work", tmp.resolve("work2").toString());
        } finally {
            System.setErr(before);
        }
        assertEquals(Exits.INPUT, code);
        String line = err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("adapt-worker:")).findFirst().orElse("");
        assertTrue(line.contains("no partition of adapt-requests assigned within PT3S: is the broker at 127.0.0.1:1 up"), err.toString(StandardCharsets.UTF_8));
    }
}
