package dev.winnow.flink.retention;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.types.ClipRequest;
import dev.winnow.flink.types.RetentionEvent;
import dev.winnow.flink.types.Segment;
import dev.winnow.flink.types.SegmentDecision;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

/** Which segments the keeper keeps, on hand-made segments and events, including across a restore. */
class SegmentKeeperTest {
    static final RetentionConfig ROLLS = RetentionConfig.builder().enterThreshold(0.6f).exitThreshold(0.4f).preRollMillis(2_000).postRollMillis(2_000).minEventMillis(400).build();

    static KeyedTwoInputStreamOperatorTestHarness<String, Segment, RetentionEvent, ClipRequest> harness() throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new SegmentKeeper(ROLLS)),
                s -> s.cameraId, e -> e.cameraId, Types.STRING);
    }

    static Segment seg(long from, long to) {
        return new Segment("c", "/spool/c/" + from, from, to, to - from);
    }

    static RetentionEvent event(long id, long start, long end) {
        RetentionEvent e = new RetentionEvent();
        e.cameraId = "c";
        e.eventId = id;
        e.startMillis = start;
        e.endMillis = end;
        return e;
    }

    @Test
    void aSegmentBeforeTheFirstWatermarkIsHeldAndTheEventGetsItsKeyframeBefore() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement1(new StreamRecord<>(seg(0, 4_000), 0));          // before any watermark
            h.processElement2(new StreamRecord<>(event(1, 3_000, -1), 5_400));
            h.processElement1(new StreamRecord<>(seg(4_000, 8_000), 4_000));
            h.processWatermark1(new Watermark(9_000));
            h.processWatermark2(new Watermark(9_000));
            h.processElement2(new StreamRecord<>(event(1, 3_000, 9_800), 9_800));
            assertTrue(h.extractOutputValues().isEmpty(), "waits for a segment past the event's end");
            h.processElement1(new StreamRecord<>(seg(8_000, 12_000), 8_000));
            List<ClipRequest> out = h.extractOutputValues();
            assertEquals(1, out.size());
            assertEquals(List.of(0L, 4_000L, 8_000L), out.get(0).segments.stream().map(s -> s.startMillis).toList());
            h.processElement1(new StreamRecord<>(seg(12_000, 16_000), 12_000));
            h.processElement1(new StreamRecord<>(seg(16_000, 20_000), 16_000));
            h.processWatermark1(new Watermark(Long.MAX_VALUE));
            h.processWatermark2(new Watermark(Long.MAX_VALUE));
            List<SegmentDecision> d = h.getSideOutput(SegmentKeeper.DECISIONS).stream().map(StreamRecord::getValue).toList();
            assertEquals(5, d.size());
            assertEquals(List.of(1L, 1L, 1L, 0L, 0L), d.stream().sorted(java.util.Comparator.comparingLong(x -> x.startMillis)).map(x -> x.eventId).toList());
        }
    }

    @Test
    void unclaimedSegmentsAreDroppedOnceNoEventCanReachThem() throws Exception {
        try (var h = harness()) {
            h.open();
            for (long t = 0; t < 20_000; t += 4_000) h.processElement1(new StreamRecord<>(seg(t, t + 4_000), t));
            h.processWatermark1(new Watermark(15_000));
            h.processWatermark2(new Watermark(15_000));
            // released: segments ending at or before 15 s - (2 s pre-roll + 0.4 s min event + 1 s) = 11.6 s
            List<SegmentDecision> d = h.getSideOutput(SegmentKeeper.DECISIONS).stream().map(StreamRecord::getValue).toList();
            assertEquals(List.of(0L, 4_000L), d.stream().map(x -> x.startMillis).sorted().toList());
            assertTrue(d.stream().noneMatch(SegmentDecision::kept));
        }
    }

    @Test
    void anEventOpenAtASnapshotIsFinishedAfterTheRestoreAndReannouncedSegmentsAreNotDoubled() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement1(new StreamRecord<>(seg(0, 4_000), 0));
            h.processElement2(new StreamRecord<>(event(1, 3_000, -1), 5_400));
            h.processWatermark1(new Watermark(6_000));
            h.processWatermark2(new Watermark(6_000));
            snapshot = h.snapshot(1, 6_000);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement1(new StreamRecord<>(seg(0, 4_000), 0));           // the file is read again
            h.processElement1(new StreamRecord<>(seg(4_000, 8_000), 4_000));
            h.processElement2(new StreamRecord<>(event(1, 3_000, 7_000), 7_000));
            List<ClipRequest> out = h.extractOutputValues();
            assertEquals(1, out.size());
            assertEquals(List.of(0L, 4_000L), out.get(0).segments.stream().map(s -> s.startMillis).toList());
        }
    }

    @Test
    void releasedSegmentFilesAreDeletedOnlyWhenTheNextCheckpointCompletesAndDuplicatesAtOnce(@org.junit.jupiter.api.io.TempDir java.nio.file.Path spool) throws Exception {
        java.util.List<java.nio.file.Path> files = new java.util.ArrayList<>();
        try (var h = harness()) {
            h.open();
            for (long t = 0; t < 20_000; t += 4_000) {
                java.nio.file.Path f = java.nio.file.Files.writeString(spool.resolve("seg-" + t + ".mkv"), "x");
                files.add(f);
                h.processElement1(new StreamRecord<>(new Segment("c", f.toString(), t, t + 4_000, 1), t));
            }
            h.processWatermark1(new Watermark(15_000));
            h.processWatermark2(new Watermark(15_000));                        // releases [0,4) and [4,8)
            assertTrue(java.nio.file.Files.exists(files.get(0)), "a restore could still need it: no checkpoint yet");
            h.snapshot(1, 15_000);
            assertTrue(java.nio.file.Files.exists(files.get(0)), "checkpoint 1 has not completed");
            h.notifyOfCompletedCheckpoint(1);
            assertFalse(java.nio.file.Files.exists(files.get(0)));
            assertFalse(java.nio.file.Files.exists(files.get(1)));
            assertTrue(java.nio.file.Files.exists(files.get(2)), "still held: an event may claim it");
            java.nio.file.Path again = java.nio.file.Files.writeString(spool.resolve("run-2-seg-0.mkv"), "x");
            h.processElement1(new StreamRecord<>(new Segment("c", again.toString(), 0, 4_000, 1), 0));
            assertFalse(java.nio.file.Files.exists(again), "a re-announced segment's new file is a duplicate");
            java.nio.file.Path dup = java.nio.file.Files.writeString(spool.resolve("run-2-seg-8000.mkv"), "x");
            h.processElement1(new StreamRecord<>(new Segment("c", dup.toString(), 8_000, 12_000, 1), 8_000));
            assertFalse(java.nio.file.Files.exists(dup));
            assertTrue(java.nio.file.Files.exists(files.get(2)), "the held segment's own file stays");
        }
    }
}
