package dev.winnow.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.connectors.avro.AvroFormat;
import dev.winnow.connectors.testing.ClassResource;
import dev.winnow.connectors.testing.Frames;
import dev.winnow.connectors.testing.KafkaBroker;
import dev.winnow.connectors.testing.Metrics;
import dev.winnow.flink.testing.FailOnceAfterCheckpoint;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.RetentionEvent;
import dev.winnow.flink.types.Verdict;
import dev.winnow.flink.types.ZoneCount;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Kafka sources and sinks against a real in-process KRaft broker and a MiniCluster. */
class WinnowKafkaTest {
    static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();
    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTests.miniCluster(REPORTER);

    @RegisterExtension
    static final ClassResource<KafkaBroker> BROKER = ClassResource.of(KafkaBroker::new);

    @TempDir static Path tmp;

    @Test
    void framesThroughFilterIntoExactlyOnceSinkAreCommittedOnceEach() throws Exception {
        framesExactlyOnce("eo", null);
    }

    /**
     * The same pipeline failing once after a checkpoint, mid-stream: the restore rewinds the source to the
     * checkpoint's offsets and the sink aborts the transactions it had open, so a read_committed reader still
     * finds each kept frame exactly once.
     */
    @Test
    void aFailureAfterACheckpointStillCommitsEachFrameOnce() throws Exception {
        Path marker = tmp.resolve("failed-once");
        framesExactlyOnce("eo-fail", marker);
        assertTrue(Files.exists(marker), "the job failed once, after a checkpoint, and recovered");
    }

    private void framesExactlyOnce(String name, Path failMarker) throws Exception {
        String in = name + "-in", outTopic = name + "-out";
        BROKER.get().createTopic(in, 2);
        BROKER.get().createTopic(outTopic, 2);
        int n = 4000;
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Frame f = Frames.gray("cam-" + (i % 4), i, 1_700_000_000_000L + i * 100L, 32, 24);
            records.add(new ProducerRecord<>(in, f.cameraId.getBytes(StandardCharsets.UTF_8), AvroFormat.FRAME.encode(f)));
        }
        BROKER.get().send(in, records);

        StreamExecutionEnvironment env = failMarker == null ? FlinkTests.env(2, 300) : FlinkTests.restartingEnv(2, 300, 2, Duration.ofMillis(200));
        KafkaSource<Frame> source = WinnowKafka.source(BROKER.get().bootstrap(), in, name + "-group", AvroFormat.FRAME)
                .setBounded(OffsetsInitializer.latest()).build();
        DataStream<Frame> kept = env.fromSource(source, WatermarkStrategy.noWatermarks(), "frames").filter(f -> f.seq % 10 == 0);
        if (failMarker != null) kept = kept.map(new FailOnceAfterCheckpoint<Frame>(failMarker, 5));
        kept.sinkTo(WinnowKafka.sink(BROKER.get().bootstrap(), outTopic, AvroFormat.FRAME)
                .exactlyOnce("winnow-" + name)
                .transactionTimeout(Duration.ofMinutes(1))
                .build());
        env.execute("exactly-once " + name);

        List<ConsumerRecord<byte[], byte[]>> out = BROKER.get().readCommitted(outTopic, n / 10, Duration.ofSeconds(2));
        assertEquals(n / 10, out.size(), "exactly one committed copy of each kept frame");
        Set<Long> seqs = new TreeSet<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            Frame f = AvroFormat.FRAME.decode(r.value());
            assertEquals(0, f.seq % 10);
            assertEquals(f.cameraId, new String(r.key(), StandardCharsets.UTF_8), "keyed by camera");
            assertEquals(Frames.gray(f.cameraId, f.seq, f.timestampMillis, 32, 24), f, "bytes intact");
            assertTrue(seqs.add(f.seq), "duplicate seq " + f.seq);
        }
        assertEquals(0L, ((TreeSet<Long>) seqs).first());
        assertEquals(n - 10L, ((TreeSet<Long>) seqs).last());
    }

    @Test
    void malformedRecordsAreCountedAndSkippedNotAJobFailure() throws Exception {
        BROKER.get().createTopic("verdicts-dirty", 1);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        int good = 0;
        int garbage = 0;
        for (int i = 0; i < 300; i++) {
            if (i % 50 == 7) {
                records.add(new ProducerRecord<>("verdicts-dirty", ("garbage #" + i).getBytes(StandardCharsets.UTF_8)));
                garbage++;
            } else if (i == 120) {
                records.add(new ProducerRecord<>("verdicts-dirty", new byte[0]));
                garbage++;
            } else {
                records.add(new ProducerRecord<>("verdicts-dirty", AvroFormat.VERDICT.encode(verdict(i))));
                good++;
            }
        }
        BROKER.get().send("verdicts-dirty", records);

        StreamExecutionEnvironment env = FlinkTests.env(1, 0);
        KafkaSource<Verdict> source = WinnowKafka.source(BROKER.get().bootstrap(), "verdicts-dirty", "dirty-test", AvroFormat.VERDICT)
                .setBounded(OffsetsInitializer.latest()).build();
        FlinkTests.Run<Verdict> run = FlinkTests.runToEnd(env.fromSource(source, WatermarkStrategy.noWatermarks(), "verdicts"), "dirty");
        List<Verdict> got = run.records();
        assertEquals(good, got.size());
        Set<Long> seqs = new HashSet<>();
        for (Verdict v : got) {
            assertEquals(verdict((int) v.seq), v);
            seqs.add(v.seq);
        }
        assertEquals(good, seqs.size());
        assertEquals(7, garbage);
        assertEquals(garbage, Metrics.waitForCounter(REPORTER, run.jobId(), "malformedRecords", garbage));
    }

    @Test
    void eventsAndCountsToKafka() throws Exception {
        BROKER.get().createTopic("zone-counts", 1);
        BROKER.get().createTopic("retention-events", 1);
        List<ZoneCount> counts = new ArrayList<>();
        List<RetentionEvent> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ZoneCount z = new ZoneCount();
            z.zone = "gate-" + (i % 3);
            z.windowStartMillis = 60_000L * i;
            z.windowEndMillis = 60_000L * (i + 1);
            z.meanCount = i / 3.0;
            z.maxCount = i;
            z.overcrowded = i % 7 == 0;
            z.staffRecommended = i / 10;
            counts.add(z);
            RetentionEvent e = new RetentionEvent();
            e.cameraId = "cam-" + (i % 2);
            e.eventId = i;
            e.startMillis = 1000L * i;
            e.endMillis = 1000L * i + 500;
            e.peakCount = i % 4;
            e.peakScore = i / 50f;
            e.framesKept = i;
            e.bytesKept = 100L * i;
            events.add(e);
        }
        StreamExecutionEnvironment env = FlinkTests.env(2, 300);
        env.fromData(counts).sinkTo(WinnowKafka.sink(BROKER.get().bootstrap(), "zone-counts", AvroFormat.ZONE_COUNT).build());
        env.fromData(events).sinkTo(WinnowKafka.sink(BROKER.get().bootstrap(), "retention-events", AvroFormat.RETENTION_EVENT)
                .exactlyOnce("winnow-events-test").build());
        env.execute("events-and-counts");

        Set<String> gotCounts = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : BROKER.get().readCommitted("zone-counts", 50, Duration.ofMillis(500))) {
            ZoneCount z = AvroFormat.ZONE_COUNT.decode(r.value());
            assertEquals(z.zone, new String(r.key(), StandardCharsets.UTF_8));
            gotCounts.add(z.toString());
        }
        assertEquals(counts.stream().map(ZoneCount::toString).collect(java.util.stream.Collectors.toSet()), gotCounts);
        List<ConsumerRecord<byte[], byte[]>> ev = BROKER.get().readCommitted("retention-events", 50, Duration.ofMillis(500));
        assertEquals(50, ev.size());
        Set<String> gotEvents = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : ev) gotEvents.add(AvroFormat.RETENTION_EVENT.decode(r.value()).toString());
        assertEquals(events.stream().map(RetentionEvent::toString).collect(java.util.stream.Collectors.toSet()), gotEvents);
    }


    /**
     * A topic with good frames and three kinds of bad record: garbage bytes, a frame cut short, an empty
     * value. With a dead-letter topic the good frames go on and each bad record lands there once, with
     * its own bytes and a header naming its topic, partition, offset and why it was refused, through a
     * failure after a checkpoint (both sinks are exactly-once).
     */
    @Test
    void malformedRecordsGoToTheDeadLetterTopicOnceWithTheirReason() throws Exception {
        String in = "dl-in", out = "dl-out", dead = "dl-dead";
        BROKER.get().createTopic(in, 1);
        BROKER.get().createTopic(out, 1);
        BROKER.get().createTopic(dead, 1);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        int good = 600;
        byte[] truncated = AvroFormat.FRAME.encode(Frames.gray("cam-x", 99_999, 1_700_000_000_000L, 32, 24));
        truncated = java.util.Arrays.copyOf(truncated, truncated.length / 2);
        java.util.Map<Long, byte[]> bad = new java.util.TreeMap<>();
        for (int i = 0; i < good; i++) {
            if (i == 100) bad.put((long) records.size(), "not an avro frame at all".getBytes(StandardCharsets.UTF_8));
            if (i == 300) bad.put((long) records.size(), truncated);
            if (i == 500) bad.put((long) records.size(), new byte[0]);
            if (bad.containsKey((long) records.size())) records.add(new ProducerRecord<>(in, "bad".getBytes(StandardCharsets.UTF_8), bad.get((long) records.size())));
            Frame f = Frames.gray("cam-" + (i % 2), i, 1_700_000_000_000L + i * 100L, 32, 24);
            records.add(new ProducerRecord<>(in, f.cameraId.getBytes(StandardCharsets.UTF_8), AvroFormat.FRAME.encode(f)));
        }
        BROKER.get().send(in, records);

        Path marker = tmp.resolve("dl-failed-once");
        StreamExecutionEnvironment env = FlinkTests.restartingEnv(1, 200, 2, Duration.ofMillis(200));
        var source = WinnowKafka.sourceWithDeadLetters(BROKER.get().bootstrap(), in, "dl-group", AvroFormat.FRAME.deserializer())
                .setBounded(OffsetsInitializer.latest()).build();
        var frames = DeadLetters.split(env.fromSource(source, DeadLetters.watermarks(WatermarkStrategy.<Frame>noWatermarks()), "frames").uid("frames"),
                org.apache.flink.api.common.typeinfo.TypeInformation.of(Frame.class)).uid("dead-letter-split");
        frames.getSideOutput(DeadLetters.TAG).sinkTo(WinnowKafka.deadLetterSink(BROKER.get().bootstrap(), dead)
                .exactlyOnce("winnow-dl-dead").transactionTimeout(Duration.ofMinutes(1)).build()).uid("dead-letters");
        frames.map(new FailOnceAfterCheckpoint<Frame>(marker, 5)).sinkTo(WinnowKafka.sink(BROKER.get().bootstrap(), out, AvroFormat.FRAME)
                .exactlyOnce("winnow-dl-out").transactionTimeout(Duration.ofMinutes(1)).build()).uid("frames-out");
        env.execute("dead letters");
        assertTrue(Files.exists(marker), "the job failed once, after a checkpoint, and recovered");

        TreeSet<Long> seqs = new TreeSet<>();
        for (ConsumerRecord<byte[], byte[]> r : BROKER.get().readCommitted(out, good, Duration.ofMillis(500))) {
            assertTrue(seqs.add(AvroFormat.FRAME.decode(r.value()).seq), "a good frame twice");
        }
        java.util.List<Long> missing = new ArrayList<>();
        for (long i = 0; i < good; i++) if (!seqs.contains(i)) missing.add(i);
        assertEquals(good, seqs.size(), "every good frame once; missing " + missing);
        List<ConsumerRecord<byte[], byte[]>> letters = BROKER.get().readCommitted(dead, bad.size(), Duration.ofMillis(500));
        assertEquals(bad.size(), letters.size(), "each bad record once");
        for (ConsumerRecord<byte[], byte[]> r : letters) {
            long offset = Long.parseLong(header(r, DeadLetters.OFFSET));
            assertTrue(bad.containsKey(offset), "dead letter from offset " + offset);
            assertTrue(java.util.Arrays.equals(bad.get(offset), r.value()), "the original bytes of offset " + offset);
            assertEquals(in, header(r, DeadLetters.TOPIC));
            assertEquals("0", header(r, DeadLetters.PARTITION));
            assertEquals("bad", new String(r.key(), StandardCharsets.UTF_8));
            String reason = header(r, DeadLetters.REASON);
            assertTrue(reason.startsWith(bad.get(offset).length + " bytes: ") && reason.length() > 12, "one-line reason: " + reason);
            assertEquals(-1, reason.indexOf('\n'), "one line: " + reason);
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        assertTrue(h != null, "header " + name);
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void exactlyOnceNeedsAPrefixAndABrokerAcceptableTimeout() {
        assertThrows(IllegalArgumentException.class,
                () -> WinnowKafka.sink("localhost:1", "t", AvroFormat.VERDICT).deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WinnowKafka.sink("localhost:1", "t", AvroFormat.VERDICT).exactlyOnce("p").transactionTimeout(Duration.ofHours(1)).build());
        assertTrue(e.getMessage().contains("transaction.max.timeout.ms"), e.getMessage());
        WinnowKafka.sink("localhost:1", "t", AvroFormat.VERDICT).deliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE).build();
        WinnowKafka.sink("localhost:1", "t", AvroFormat.ZONE_COUNT).exactlyOnce("p").build();
    }

    static Verdict verdict(int i) {
        Verdict v = new Verdict();
        v.cameraId = "cam-" + (i % 3);
        v.seq = i;
        v.timestampMillis = 1000L * i;
        v.score = (i % 100) / 100f;
        v.count = i % 5;
        v.boxes = new float[] {i, i + 1, 10, 20, v.score};
        v.modelName = "people";
        v.modelVersion = 1 + i % 2;
        return v;
    }
}
