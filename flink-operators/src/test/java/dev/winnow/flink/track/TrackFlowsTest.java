package dev.winnow.flink.track;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.types.FlowWindow;
import dev.winnow.flink.types.TrackedFrame;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Gate crossings and zone dwell from hand-made tracks, anchored at the boxes' bottom centres. */
class TrackFlowsTest {
    // a horizontal gate from (100, 300) to (500, 300): going down the frame is "in"; a 200x200 zone at the bottom left
    static final FlowConfig CONFIG = FlowConfig.builder()
            .line("cam", new GateLine("gate", 100, 300, 500, 300, 10))
            .zone("cam", new ZonePolygon("queue", 0, 400, 200, 400, 200, 600, 0, 600))
            .window(Duration.ofSeconds(60)).goneAfter(Duration.ofSeconds(2)).queueAlertAt(Duration.ofSeconds(25)).build();

    /** One frame at {@code t} with tracks given as (id, anchor x, anchor y) triples. */
    static TrackedFrame frame(long t, double... idXy) {
        TrackedFrame f = new TrackedFrame();
        f.cameraId = "cam";
        f.seq = t;
        f.timestampMillis = t;
        int n = idXy.length / 3;
        f.trackIds = new long[n];
        f.boxes = new float[4 * n];
        for (int i = 0; i < n; i++) {
            f.trackIds[i] = (long) idXy[3 * i];
            f.boxes[4 * i] = (float) idXy[3 * i + 1] - 20;
            f.boxes[4 * i + 1] = (float) idXy[3 * i + 2] - 80;
            f.boxes[4 * i + 2] = 40;
            f.boxes[4 * i + 3] = 80;
        }
        f.alive = n;
        return f;
    }

    static KeyedOneInputStreamOperatorTestHarness<String, TrackedFrame, FlowWindow> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new TrackFlows(CONFIG)), (TrackedFrame f) -> f.cameraId, Types.STRING);
        h.open();
        return h;
    }

    static FlowWindow find(List<FlowWindow> out, String name, long start) {
        return out.stream().filter(w -> w.name.equals(name) && w.windowStartMillis == start).findFirst().orElseThrow(() -> new AssertionError(name + " at " + start + " in " + out));
    }

    @Test
    void crossingsCountOncePerCrossingWithTheirDirection() throws Exception {
        try (var h = harness()) {
            long t = 0;
            // 1 walks down across the gate; 2 walks up across it; 3 dithers within 10 px of it after coming from above;
            // 4 crosses beside the segment (x = 700); 5 goes down, back up, and down again
            double[] ys = {250, 280, 295, 305, 320, 350};
            for (double y : ys) h.processElement(frame(t += 100, 1, 300, y, 2, 200, 600 - y, 4, 700, y), t);
            double[] dither = {250, 295, 305, 296, 304, 298, 302};
            for (double y : dither) h.processElement(frame(t += 100, 3, 250, y), t);
            double[] zigzag = {250, 350, 250, 350};
            for (double y : zigzag) h.processElement(frame(t += 100, 5, 400, y), t);
            h.processWatermark(Long.MAX_VALUE);
            FlowWindow gate = find(h.extractOutputValues(), "gate", 0);
            assertEquals(FlowWindow.LINE, gate.kind);
            assertEquals(1 + 2, gate.in, "1 once, 5 twice");
            assertEquals(1 + 1, gate.out, "2 once, 5 once");
        }
    }

    @Test
    void dwellPercentilesAndTheQueueAlertPerWindow() throws Exception {
        try (var h = harness()) {
            // tracks 1..10 each stand in the queue for id·5 s then walk out, all within the first minute;
            // one frame per second carries every track where it is
            for (long s = 0; s < 60; s++) {
                double[] xy = new double[30];
                for (int id = 1; id <= 10; id++) {
                    boolean inside = s >= 1 && s < 1 + 5L * id;
                    xy[3 * (id - 1)] = id;
                    xy[3 * (id - 1) + 1] = inside ? 100 : 300;
                    xy[3 * (id - 1) + 2] = 500;
                }
                h.processElement(frame(s * 1000, xy), s * 1000);
            }
            h.processElement(frame(61_000), 61_000); // the next window: the first closes
            FlowWindow q = find(h.extractOutputValues(), "queue", 0);
            assertEquals(10, q.dwells);
            assertEquals(25.0, q.dwellP50Seconds, 1e-9, "5th of 5, 10, …, 50 s");
            assertEquals(45.0, q.dwellP90Seconds, 1e-9, "9th of 10");
            assertTrue(q.queueAlert, "p90 45 s >= 25 s");
        }
    }

    @Test
    void aTrackThatVanishesInsideEndsItsDwellAtItsLastSighting() throws Exception {
        try (var h = harness()) {
            h.processElement(frame(1_000, 7, 100, 500), 1_000);
            h.processElement(frame(9_000, 7, 100, 500), 9_000); // last sighting: 8 s inside
            h.processElement(frame(9_500, 8, 300, 100), 9_500);
            h.processElement(frame(12_000, 8, 300, 100), 12_000); // 3 s after 7's last sighting: 7 has gone
            h.processElement(frame(13_000, 9, 50, 450), 13_000); // 9 still inside at the end of input
            h.processElement(frame(17_000, 9, 50, 450), 17_000);
            h.processWatermark(Long.MAX_VALUE);
            FlowWindow q = find(h.extractOutputValues(), "queue", 0);
            assertEquals(2, q.dwells);
            assertEquals(4.0, q.dwellP50Seconds, 1e-9, "9: 13 s to 17 s");
            assertEquals(8.0, q.dwellP90Seconds, 1e-9, "7: 1 s to 9 s");
            assertFalse(q.queueAlert);
        }
    }

    @Test
    void badGeometryIsRefusedWithTheNameAndAnUnconfiguredCameraIsSkipped() throws Exception {
        var line = assertThrows(IllegalArgumentException.class, () -> new GateLine("east", 5, 5, 5, 5, 0));
        assertTrue(line.getMessage().contains("gate line east"), line.getMessage());
        var zone = assertThrows(IllegalArgumentException.class, () -> new ZonePolygon("bar", 0, 0, 10, 10));
        assertTrue(zone.getMessage().contains("zone bar"), zone.getMessage());
        var dup = assertThrows(IllegalArgumentException.class, () -> FlowConfig.builder().line("c", new GateLine("g", 0, 0, 1, 0, 0)).zone("c", new ZonePolygon("g", 0, 0, 1, 0, 0, 1)));
        assertTrue(dup.getMessage().contains("two lines or zones named g"), dup.getMessage());
        // a concave zone: the notch is outside
        ZonePolygon u = new ZonePolygon("u", 0, 0, 30, 0, 30, 30, 20, 30, 20, 10, 10, 10, 10, 30, 0, 30);
        assertTrue(u.contains(5, 20));
        assertFalse(u.contains(15, 20));
        assertTrue(u.contains(15, 5));
        try (var h = harness()) {
            TrackedFrame other = frame(1_000, 1, 300, 250);
            other.cameraId = "elsewhere";
            h.processElement(other, 1_000);
            h.processWatermark(Long.MAX_VALUE);
            assertTrue(h.extractOutputValues().isEmpty());
        }
    }

    /** A frame that comes after the watermark closed its window counts in the next window; no window is emitted twice. */
    @Test
    void aFrameAfterItsWindowClosedCountsInTheNextWindowNotInASecondCopy() throws Exception {
        try (var h = harness()) {
            double[] ys = {250, 350};
            long t = 1_000;
            for (double y : ys) h.processElement(frame(t += 100, 1, 300, y), t);
            h.processWatermark(60_000); // the first minute closes
            // a late frame of the first minute: track 2 crosses the gate (its first sighting above at 59.9 s, then below)
            h.processElement(frame(59_900, 2, 300, 250), 59_900);
            h.processElement(frame(59_950, 2, 300, 350), 59_950);
            h.processElement(frame(61_000, 3, 300, 250), 61_000);
            h.processWatermark(Long.MAX_VALUE);
            List<FlowWindow> gates = h.extractOutputValues().stream().filter(w -> w.name.equals("gate")).toList();
            assertEquals(List.of(0L, 60_000L), gates.stream().map(w -> w.windowStartMillis).toList(), gates.toString());
            assertEquals(1, gates.get(0).in);
            assertEquals(1, gates.get(1).in, "the late crossing counts in the next window");
        }
    }
}
