package dev.winnow.examples.produce;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.connectors.avro.AvroFormat;
import dev.winnow.connectors.kafka.WinnowKafka;
import dev.winnow.connectors.testing.ClassResource;
import dev.winnow.connectors.testing.KafkaBroker;
import dev.winnow.examples.testing.TestJobs;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import dev.winnow.registry.cli.Exits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code winnow-examples produce frames} against a real in-process KRaft broker: what it writes is read back
 * by the jobs' own Kafka source ({@link WinnowKafka#source}) on a MiniCluster, frame for frame; a
 * frame a camera cannot decode is skipped and counted while the others are written; a missing camera, a
 * negative rate and a broker that is not there each end the command with one line and its exit code,
 * writing nothing.
 */
class ProduceFramesTest {
    @RegisterExtension static final MiniClusterExtension CLUSTER = TestJobs.cluster(2);
    @TempDir static Path tmp;
    @RegisterExtension static final ClassResource<KafkaBroker> BROKER = ClassResource.of(KafkaBroker::new);

    static CommandRun produce(String... args) {
        return CommandRun.of(ProduceFrames::new, args);
    }

    /** The topic as the jobs read it: the Kafka frame source, bounded at the topic's end, on the MiniCluster. */
    static List<Frame> readWithTheJobsSource(String topic) throws Exception {
        StreamExecutionEnvironment env = TestJobs.env(2);
        List<Frame> frames = new ArrayList<>();
        try (CloseableIterator<Frame> it = env.fromSource(WinnowKafka.source(BROKER.get().bootstrap(), topic, "reader-" + topic, AvroFormat.FRAME)
                        .setStartingOffsets(OffsetsInitializer.earliest()).setBounded(OffsetsInitializer.latest()).build(),
                WatermarkStrategy.noWatermarks(), "kafka " + topic).uid("frames").executeAndCollect("read " + topic)) {
            it.forEachRemaining(frames::add);
        }
        return frames;
    }

    static Path sampleFolder() {
        Path p = Path.of("samples/frames/plaza");
        return Files.isDirectory(p) ? p : Path.of("job-examples/samples/frames/plaza");
    }

    @Test
    void aFoldersFramesReachTheJobsSourceFrameForFrame() throws Exception {
        Path plaza = sampleFolder();
        List<Path> files;
        try (Stream<Path> s = Files.list(plaza)) {
            files = s.sorted(Comparator.comparing(Path::toString)).collect(Collectors.toList());
        }
        CommandRun run = produce("--camera", plaza.toString(), "--kafka", BROKER.get().bootstrap(), "--topic", "plaza-frames");
        assertEquals(Exits.OK, run.exit(), run.err());
        assertTrue(run.out().startsWith("produced 64 frames ("), run.out());
        assertTrue(run.out().contains("to plaza-frames at " + BROKER.get().bootstrap()), run.out());
        assertTrue(run.out().strip().endsWith(": plaza 64; 0 malformed skipped"), run.out());

        List<Frame> got = readWithTheJobsSource("plaza-frames");
        assertEquals(64, got.size());
        got.sort(Comparator.comparingLong(f -> f.seq));
        for (int i = 0; i < 64; i++) {
            Frame f = got.get(i);
            assertEquals("plaza", f.cameraId);
            assertEquals(i, f.seq);
            // JPEG files travel as they are: the record holds the file's bytes
            assertEquals(FrameEncoding.JPEG, f.encoding);
            assertArrayEquals(Files.readAllBytes(files.get(i)), f.data, "frame " + i);
        }
    }

    @Test
    void aVideoAndAFolderAreInterleavedAndAnUndecodableImageIsSkippedAndCounted() throws Exception {
        Path clip = tmp.resolve("clip.mp4");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi",
                "-i", "testsrc=size=160x120:rate=10:duration=2", "-pix_fmt", "yuv420p", clip.toString()).inheritIO().start();
        assertEquals(0, ffmpeg.waitFor());
        Path door = Files.createDirectories(tmp.resolve("door"));
        List<Path> jpegs;
        try (Stream<Path> s = Files.list(sampleFolder())) {
            jpegs = s.sorted().limit(3).collect(Collectors.toList());
        }
        Files.copy(jpegs.get(0), door.resolve("0000.jpg"));
        Files.copy(jpegs.get(1), door.resolve("0001.jpg"));
        Files.write(door.resolve("0002.png"), "not an image".getBytes(StandardCharsets.UTF_8));
        Files.copy(jpegs.get(2), door.resolve("0003.jpg"));

        CommandRun run = produce("--camera", clip.toString(), "--camera", "front-door=" + door, "--kafka", BROKER.get().bootstrap(),
                "--topic", "mixed", "--rate", "10");
        assertEquals(Exits.OK, run.exit(), run.err());
        assertTrue(run.out().startsWith("produced 23 frames ("), run.out());
        assertTrue(run.out().strip().endsWith(": clip 20, front-door 3; 1 malformed skipped"), run.out());

        Map<String, List<Frame>> byCamera = readWithTheJobsSource("mixed").stream()
                .sorted(Comparator.comparingLong(f -> f.seq)).collect(Collectors.groupingBy(f -> f.cameraId));
        assertEquals(Set.of("clip", "front-door"), byCamera.keySet());
        List<Frame> video = byCamera.get("clip");
        assertEquals(20, video.size());
        for (int i = 0; i < video.size(); i++) {
            Frame f = video.get(i);
            assertEquals(i, f.seq);
            assertEquals(FrameEncoding.GRAY8, f.encoding);
            assertEquals(320 * 240, f.data.length);
            // --rate 10: the video is sampled at 10 frames/s, event time 100 ms apart
            if (i > 0) assertEquals(100, f.timestampMillis - video.get(i - 1).timestampMillis, "frame " + i);
        }
        // the undecodable third image leaves a gap in the folder's numbering, nothing else is lost
        assertEquals(List.of(0L, 1L, 3L), byCamera.get("front-door").stream().map(f -> f.seq).collect(Collectors.toList()));
        assertArrayEquals(Files.readAllBytes(jpegs.get(2)), byCamera.get("front-door").get(2).data);
    }

    @Test
    void spreadPutsTheCamerasOnThePartitionsInTurn() throws Exception {
        String plaza = sampleFolder().toString();
        CommandRun run = produce("--camera", "c0=" + plaza, "--camera", "c1=" + plaza, "--camera", "c2=" + plaza, "--camera", "c3=" + plaza,
                "--max-frames", "3", "--spread", "--kafka", BROKER.get().bootstrap(), "--topic", "spread", "--partitions", "2");
        assertEquals(Exits.OK, run.exit(), run.err());
        Map<String, Set<Integer>> partitionsOf = new java.util.TreeMap<>();
        Map<String, List<Long>> seqs = new java.util.TreeMap<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(Map.of("bootstrap.servers", BROKER.get().bootstrap(),
                "key.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName(),
                "value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName()))) {
            List<org.apache.kafka.common.TopicPartition> tps = List.of(new org.apache.kafka.common.TopicPartition("spread", 0),
                    new org.apache.kafka.common.TopicPartition("spread", 1));
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            int read = 0;
            long deadline = System.currentTimeMillis() + 30_000;
            while (read < 12 && System.currentTimeMillis() < deadline) {
                for (var r : consumer.poll(java.time.Duration.ofMillis(500))) {
                    String camera = new String(r.key(), StandardCharsets.UTF_8);
                    partitionsOf.computeIfAbsent(camera, k -> new java.util.TreeSet<>()).add(r.partition());
                    seqs.computeIfAbsent(camera, k -> new ArrayList<>()).add(dev.winnow.connectors.avro.AvroFormat.FRAME.decode(r.value()).seq);
                    read++;
                }
            }
        }
        assertEquals(Map.of("c0", Set.of(0), "c1", Set.of(1), "c2", Set.of(0), "c3", Set.of(1)), partitionsOf);
        for (List<Long> s : seqs.values()) assertEquals(List.of(0L, 1L, 2L), s, "each camera in order in its partition");
    }

    @Test
    void badInputEndsWithOneLineAndWritesNothing() throws Exception {
        CommandRun missing = produce("--camera", tmp.resolve("no-such.mp4").toString(), "--kafka", BROKER.get().bootstrap(), "--topic", "never");
        assertEquals(Exits.INPUT, missing.exit());
        assertEquals("produce frames: camera no-such: " + tmp.resolve("no-such.mp4") + " is neither a folder, a video file nor a URL",
                missing.err().strip());
        assertEquals("", missing.out());

        CommandRun negative = produce("--camera", sampleFolder().toString(), "--kafka", BROKER.get().bootstrap(), "--topic", "never", "--rate", "-1");
        assertEquals(Exits.USAGE, negative.exit());
        assertTrue(negative.err().startsWith("--rate -1.0: must be 0 (as fast as possible) or more"), negative.err());

        CommandRun noBroker = produce("--camera", sampleFolder().toString(), "--kafka", "127.0.0.1:1", "--topic", "never", "--timeout", "PT3S");
        assertEquals(Exits.INPUT, noBroker.exit());
        assertTrue(noBroker.err().startsWith("produce frames: no Kafka broker answered at 127.0.0.1:1 within PT3S"), noBroker.err());
        assertEquals(1, noBroker.err().strip().lines().count(), noBroker.err());

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", BROKER.get().bootstrap()))) {
            assertFalse(admin.listTopics().names().get().contains("never"), "no topic was created for refused input");
        }
    }

    @Test
    void helpNamesEveryOption() {
        CommandRun help = produce("--help");
        assertEquals(Exits.OK, help.exit());
        for (String option : List.of("--camera", "--kafka", "--topic", "--rate", "--max-frames", "--spread", "--partitions", "--timeout")) {
            assertTrue(help.out().contains(option), option + " in\n" + help.out());
        }
    }
}
