package dev.winnow.connectors.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.connectors.testing.Frames;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import dev.winnow.flink.types.RetentionEvent;
import dev.winnow.flink.types.ZoneCount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** FileSink-based sinks on a MiniCluster with checkpointing: buckets, file contents, nothing left pending. */
class FileSinksTest {
    static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();
    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTests.miniCluster(REPORTER);
    static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd--HH").withZone(ZoneOffset.UTC);
    /** 2023-11-14T22:13:20Z */
    static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    /** Every file under {@code base} by its path relative to it. */
    private static Map<String, Path> files(Path base) throws Exception {
        try (Stream<Path> s = Files.walk(base)) {
            return s.filter(Files::isRegularFile)
                    .collect(Collectors.toMap(p -> base.relativize(p).toString(), p -> p, (a, b) -> a, TreeMap::new));
        }
    }

    private static List<Frame> frames() {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long ts = T0 + i * 130_000L;                  // every 2m10s: 22:13 .. 00:21 next day
            frames.add(Frames.gray("cam-a", i, ts, 16, 12));
            byte[] jpeg = Frames.jpeg(i, 40, 30);
            Frame j = new Frame("gate/2", i, ts + 7, FrameEncoding.JPEG, 40, 30, jpeg);
            j.labelCount = i % 4;
            frames.add(j);
        }
        return frames;
    }

    @Test
    void retainedFramesLandInCameraHourBucketsByEventTimeWithTheirBytes() throws Exception {
        List<Frame> frames = frames();
        Path base = dir.resolve("retained");
        StreamExecutionEnvironment env = FlinkTests.env(2, 200);
        env.fromData(frames).rebalance()
                .map(FileSinksTest::slowly)               // ~0.3 s per subtask: checkpoints roll part files mid-stream
                .sinkTo(RetainedFrameSink.builder(new org.apache.flink.core.fs.Path(base.toUri())).build());
        env.execute("retained-frames");

        Map<String, Path> files = files(base);
        assertTrue(files.keySet().stream().noneMatch(f -> f.contains("/.")), "no in-progress or pending files: " + files.keySet());
        Set<String> buckets = new TreeSet<>();
        Map<String, Frame> read = new HashMap<>();
        for (Map.Entry<String, Path> e : files.entrySet()) {
            assertTrue(e.getKey().endsWith(".wfr"), e.getKey());
            String bucket = e.getKey().substring(0, e.getKey().lastIndexOf('/'));
            buckets.add(bucket);
            for (Frame f : FrameFiles.read(e.getValue())) {
                String expectedBucket = "camera=" + f.cameraId.replace('/', '_') + "/" + HOUR.format(Instant.ofEpochMilli(f.timestampMillis));
                assertEquals(expectedBucket, bucket, "bucket from the frame's own time");
                assertTrue(read.put(f.cameraId + "#" + f.seq, f) == null, "duplicate " + f);
            }
            assertEquals(FrameFiles.read(e.getValue()).size(), FrameFiles.index(e.getValue()).size());
        }
        assertEquals(Set.of("camera=cam-a/2023-11-14--22", "camera=cam-a/2023-11-14--23", "camera=cam-a/2023-11-15--00",
                "camera=gate_2/2023-11-14--22", "camera=gate_2/2023-11-14--23", "camera=gate_2/2023-11-15--00"), buckets);
        assertEquals(frames.size(), read.size());
        for (Frame f : frames) {
            Frame back = read.get(f.cameraId + "#" + f.seq);
            assertEquals(f.timestampMillis, back.timestampMillis);
            assertEquals(f.encoding, back.encoding);
            assertEquals(f.width, back.width);
            assertEquals(f.height, back.height);
            assertArrayEquals(f.data, back.data);
        }
        // the index points at each frame's bytes inside the file
        Path someFile = files.values().iterator().next();
        byte[] all = Files.readAllBytes(someFile);
        for (FrameFiles.Entry entry : FrameFiles.index(someFile)) {
            Frame f = read.get(entry.cameraId() + "#" + entry.seq());
            byte[] slice = java.util.Arrays.copyOfRange(all, (int) entry.dataOffset(), (int) entry.dataOffset() + entry.length());
            assertArrayEquals(f.data, slice);
        }
    }

    @Test
    void oneFilePerFrameWritesPlainJpegFiles() throws Exception {
        List<Frame> jpegs = frames().stream().filter(f -> f.encoding == FrameEncoding.JPEG).limit(25).toList();
        Path base = dir.resolve("jpegs");
        StreamExecutionEnvironment env = FlinkTests.env(2, 200);
        env.fromData(jpegs).rebalance().sinkTo(RetainedFrameSink.builder(new org.apache.flink.core.fs.Path(base.toUri()))
                .layout(RetainedFrameSink.Layout.FILE_PER_FRAME).build());
        env.execute("jpeg-files");

        Map<String, Path> files = files(base);
        assertEquals(25, files.size(), files.keySet().toString());
        Set<String> contents = new TreeSet<>();
        for (Map.Entry<String, Path> e : files.entrySet()) {
            assertTrue(e.getKey().startsWith("camera=gate_2/2023-11-1") && e.getKey().endsWith(".jpg"), e.getKey());
            byte[] b = Files.readAllBytes(e.getValue());
            assertTrue(javax.imageio.ImageIO.read(e.getValue().toFile()) != null, "a readable JPEG: " + e.getKey());
            contents.add(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b)));
        }
        Set<String> expected = new TreeSet<>();
        for (Frame f : jpegs) expected.add(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(f.data)));
        assertEquals(expected, contents);
    }

    @Test
    void eventsAndCountsToHeaderFreeCsvInEventTimeHourBuckets() throws Exception {
        List<RetentionEvent> events = new ArrayList<>();
        List<ZoneCount> counts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            RetentionEvent e = new RetentionEvent();
            e.cameraId = i % 5 == 0 ? "lobby, north" : "cam-" + (i % 3);
            e.eventId = i;
            e.startMillis = T0 + i * 180_000L;
            e.endMillis = e.startMillis + 45_000;
            e.peakCount = i % 7;
            e.peakScore = 0.5f + i / 100f;
            e.framesKept = 10 + i;
            e.bytesKept = 1000L * i;
            events.add(e);
            ZoneCount z = new ZoneCount();
            z.zone = "gate-" + (i % 2);
            z.windowStartMillis = T0 + i * 120_000L;
            z.windowEndMillis = z.windowStartMillis + 60_000;
            z.meanCount = i / 4.0;
            z.maxCount = i;
            z.overcrowded = i > 30;
            z.staffRecommended = 1 + i / 10;
            counts.add(z);
        }
        Path base = dir.resolve("csv");
        StreamExecutionEnvironment env = FlinkTests.env(2, 200);
        env.fromData(events).rebalance().sinkTo(CsvSinks.retentionEvents(new org.apache.flink.core.fs.Path(base.resolve("events").toUri())));
        env.fromData(counts).rebalance().sinkTo(CsvSinks.zoneCounts(new org.apache.flink.core.fs.Path(base.resolve("counts").toUri())));
        env.execute("csv-sinks");

        Map<String, List<String>> eventLines = lines(base.resolve("events"));
        Map<String, List<String>> countLines = lines(base.resolve("counts"));
        assertEquals(Set.of("2023-11-14--22", "2023-11-14--23", "2023-11-15--00"), eventLines.keySet());
        assertEquals(Set.of("2023-11-14--22", "2023-11-14--23"), countLines.keySet());
        Set<String> expectedEvents = events.stream().map(e -> HOUR.format(Instant.ofEpochMilli(e.startMillis)) + "|" + CsvRows.row(e))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> gotEvents = new TreeSet<>();
        eventLines.forEach((bucket, ls) -> ls.forEach(l -> gotEvents.add(bucket + "|" + l)));
        assertEquals(expectedEvents, gotEvents);
        assertEquals(40, eventLines.values().stream().mapToInt(List::size).sum(), "no duplicates");
        assertTrue(gotEvents.contains("2023-11-14--22|\"lobby, north\",0,1700000000000,1700000045000,0,0.5,10,0"), gotEvents.toString());
        assertTrue(countLines.get("2023-11-14--22").contains("gate-1,1700000120000,1700000180000,0.25,1,false,1"));
        assertEquals(40, countLines.values().stream().mapToInt(List::size).sum());
    }

    private static Frame slowly(Frame f) throws InterruptedException {
        Thread.sleep(5);
        return f;
    }

    private static Map<String, List<String>> lines(Path base) throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        for (Map.Entry<String, Path> e : files(base).entrySet()) {
            assertTrue(e.getKey().endsWith(".csv") && !e.getKey().contains("/."), e.getKey());
            out.computeIfAbsent(e.getKey().substring(0, e.getKey().indexOf('/')), k -> new ArrayList<>())
                    .addAll(Files.readAllLines(e.getValue()));
        }
        return out;
    }
}
