package dev.winnow.flink.retention;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import dev.winnow.flink.types.RetentionEvent;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.flink.types.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.junit.jupiter.api.Test;

class RetentionFilterTest {
    // enter 0.7, exit 0.5, pre-roll 1 s, post-roll 1 s, minimum event 0.2 s; frames every 100 ms
    static final RetentionConfig CONFIG = RetentionConfig.builder().enterThreshold(0.7f).exitThreshold(0.5f).preRollMillis(1000).postRollMillis(1000).minEventMillis(200).build();

    static float score(int i) {
        if (i >= 20 && i < 30) return 0.9f;   // people
        if (i >= 30 && i < 35) return 0.6f;   // still above the exit threshold: the event stays open
        if (i == 50) return 0.95f;            // a one-frame flicker, shorter than the minimum event
        return 0.1f;
    }

    static ScoredFrame frame(String camera, int i) {
        Frame f = new Frame(camera, i, i * 100L, FrameEncoding.GRAY8, 4, 4, new byte[16 + i]);
        Verdict v = new Verdict();
        v.cameraId = camera;
        v.seq = i;
        v.timestampMillis = i * 100L;
        v.score = score(i);
        v.count = v.score >= 0.5f ? 2 + i % 3 : 0;
        return new ScoredFrame(f, v);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, ScoredFrame, ScoredFrame> harness() throws Exception {
        // not yet opened: a restore must initialise state before open()
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new RetentionFilter(CONFIG)), f -> f.frame.cameraId, Types.STRING);
    }

    static List<Long> keptSeqs(KeyedOneInputStreamOperatorTestHarness<String, ScoredFrame, ScoredFrame> h) {
        List<Long> out = new ArrayList<>();
        for (ScoredFrame f : h.extractOutputValues()) out.add(f.frame.seq);
        return out;
    }

    static List<RetentionEvent> events(KeyedOneInputStreamOperatorTestHarness<String, ScoredFrame, ScoredFrame> h) {
        List<RetentionEvent> out = new ArrayList<>();
        var q = h.getSideOutput(RetentionFilter.EVENTS);
        if (q != null) for (StreamRecord<RetentionEvent> r : q) out.add(r.getValue());
        return out;
    }

    static List<Long> range(long from, long toInclusive) {
        List<Long> l = new ArrayList<>();
        for (long i = from; i <= toInclusive; i++) l.add(i);
        return l;
    }

    @Test
    void keepsPreRollEventAndPostRollAndDropsTheRest() throws Exception {
        try (var h = harness()) {
            h.open();
            for (int i = 0; i < 60; i++) h.processElement(frame("gate", i), i * 100L);
            // confirmed at frame 22 (0.2 s after the first detection at 20); pre-roll from 1.0 s = frame 10;
            // last detection at frame 34 (3.4 s), post-roll to 4.4 s = frame 44
            assertEquals(range(10, 44), keptSeqs(h));
            List<RetentionEvent> ev = events(h);
            assertEquals(1, ev.size(), "the flicker at frame 50 makes no event");
            RetentionEvent e = ev.get(0);
            assertEquals("gate", e.cameraId);
            assertEquals(1, e.eventId);
            assertEquals(1000, e.startMillis);
            assertEquals(4400, e.endMillis);
            assertEquals(35, e.framesKept);
            assertEquals(0.9f, e.peakScore);
            assertEquals(4, e.peakCount);
            long bytes = 0;
            for (int i = 10; i <= 44; i++) bytes += 16 + i;
            assertEquals(bytes, e.bytesKept);
        }
    }

    @Test
    void aQuietCameraClosesItsEventOnTheWatermark() throws Exception {
        try (var h = harness()) {
            h.open();
            for (int i = 0; i < 35; i++) h.processElement(frame("lobby", i), i * 100L);
            assertTrue(events(h).isEmpty());
            h.processWatermark(4399);
            assertTrue(events(h).isEmpty(), "post-roll not over yet");
            h.processWatermark(4400);
            assertEquals(1, events(h).size());
            assertEquals(range(10, 34), keptSeqs(h));
        }
    }

    @Test
    void restoreMidEventNeitherLosesNorRepeatsFrames() throws Exception {
        List<Long> uninterrupted;
        try (var h = harness()) {
            h.open();
            for (int i = 0; i < 60; i++) h.processElement(frame("gate", i), i * 100L);
            uninterrupted = keptSeqs(h);
        }
        for (int cut : new int[] {15, 21, 25, 40}) { // in pre-roll, while a candidate, mid-event, in post-roll
            List<Long> seen = new ArrayList<>();
            OperatorSubtaskState snapshot;
            try (var h = harness()) {
                h.open();
                for (int i = 0; i < cut; i++) h.processElement(frame("gate", i), i * 100L);
                snapshot = h.snapshot(1, cut * 100L);
                seen.addAll(keptSeqs(h));
            }
            try (var h = harness()) {
                h.initializeState(snapshot);
                h.open();
                for (int i = cut; i < 60; i++) h.processElement(frame("gate", i), i * 100L);
                seen.addAll(keptSeqs(h));
                assertEquals(1, events(h).size() + (cut > 44 ? 1 : 0), "cut at " + cut);
            }
            assertEquals(uninterrupted, seen, "restored at frame " + cut);
        }
    }

    @Test
    void camerasAreIndependent() throws Exception {
        try (var h = harness()) {
            h.open();
            for (int i = 0; i < 60; i++) {
                h.processElement(frame("a", i), i * 100L);
                ScoredFrame quiet = frame("b", i);
                quiet.verdict.score = 0.1f;
                h.processElement(quiet, i * 100L);
            }
            for (ScoredFrame f : h.extractOutputValues()) assertEquals("a", f.frame.cameraId);
        }
    }

    @Test
    void nonsenseConfigurationIsRefused() {
        IllegalArgumentException swapped = assertThrows(IllegalArgumentException.class,
                () -> RetentionConfig.builder().enterThreshold(0.5f).exitThreshold(0.7f).build());
        assertTrue(swapped.getMessage().startsWith("exit threshold must be in (0, enter threshold]"), swapped.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RetentionConfig.builder().enterThreshold(0f).exitThreshold(0f).build());
        assertThrows(IllegalArgumentException.class, () -> RetentionConfig.builder().enterThreshold(1.5f).build());
        assertThrows(IllegalArgumentException.class, () -> RetentionConfig.builder().preRollMillis(-1).build());
        assertThrows(IllegalArgumentException.class, () -> RetentionConfig.builder().minEventMillis(-1).build());
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class, () -> RetentionConfig.builder().preRollMillis(3_600_000).build());
        assertTrue(tooLong.getMessage().contains("10 minutes"), tooLong.getMessage());
    }

    @Test
    @SuppressWarnings("deprecation")
    void theBuilderStartsFromTheDefaultsAndThePositionalFormAgrees() {
        RetentionConfig d = RetentionConfig.defaults(), b = RetentionConfig.builder().postRollMillis(7_000).build();
        assertEquals(d.toString().replace("postRoll=5000ms", "postRoll=7000ms"), b.toString());
        assertEquals(CONFIG.toString(), new RetentionConfig(0.7f, 0.5f, 1000, 1000, 200).toString());
        assertThrows(IllegalArgumentException.class, () -> new RetentionConfig(0.5f, 0.7f, 0, 0, 0), "the deprecated form checks through the builder");
    }
}
