package dev.winnow.flink.zone;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.types.Verdict;
import dev.winnow.flink.types.ZoneCount;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ZoneOccupancyTest {
    static final ZoneConfig CONFIG = new ZoneConfig(Map.of("cam-n1", "north", "cam-n2", "north", "cam-s1", "south"),
            Map.of("north", new ZoneConfig.Zone(5, 2), "south", new ZoneConfig.Zone(10, 4)), 10_000, 3_000);

    static Verdict v(String camera, long t, int count) {
        Verdict v = new Verdict();
        v.cameraId = camera;
        v.timestampMillis = t;
        v.count = count;
        return v;
    }

    KeyedOneInputStreamOperatorTestHarness<String, Verdict, ZoneCount> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new ZoneOccupancy(CONFIG)),
                (Verdict x) -> CONFIG.zoneOf(x.cameraId), Types.STRING);
        h.open();
        return h;
    }

    /** Feeds each count at its own time, then the watermark; every window out so far. */
    static List<ZoneCount> feed(KeyedOneInputStreamOperatorTestHarness<String, Verdict, ZoneCount> h, long watermark, Verdict... counts) throws Exception {
        for (Verdict c : counts) h.processElement(c, c.timestampMillis);
        h.processWatermark(watermark);
        return h.extractOutputValues();
    }

    @Test
    void timeWeightedMeanMaxStaffingAndOvercrowding() throws Exception {
        try (var h = harness()) {
            // north: two cameras; occupancy 0 until 2 s, 3 until 4 s, 7 from 4 s to 8 s (above capacity 5 for 4 s), then 1
            List<ZoneCount> out = feed(h, 9_999, v("cam-n1", 2_000, 3), v("cam-n2", 4_000, 4), v("cam-n1", 8_000, 0), v("cam-n2", 8_000, 1));
            assertEquals(1, out.size());
            ZoneCount c = out.get(0);
            assertEquals("north", c.zone);
            assertEquals(0, c.windowStartMillis);
            assertEquals(10_000, c.windowEndMillis);
            // (3·2 s + 7·4 s + 1·2 s) / 10 s — the 4-person instant between the two updates at 8 s takes no time
            assertEquals((3 * 2 + 7 * 4 + 1 * 2) / 10.0, c.meanCount, 1e-9);
            assertEquals(7, c.maxCount);
            assertTrue(c.overcrowded, "above 5 for 4 s >= 3 s");
            assertEquals(4, c.staffRecommended); // ceil(7 / 2)
            // next window: occupancy 1 all along, not overcrowded, one staff
            ZoneCount d = feed(h, 19_999).get(1);
            assertEquals(1.0, d.meanCount, 1e-9);
            assertFalse(d.overcrowded);
            assertEquals(1, d.staffRecommended);
        }
    }

    @Test
    void aShortPeakIsNotOvercrowding() throws Exception {
        try (var h = harness()) {
            // 2 s above capacity 10, less than 3 s
            ZoneCount c = feed(h, 9_999, v("cam-s1", 1_000, 12), v("cam-s1", 3_000, 4)).get(0);
            assertFalse(c.overcrowded);
            assertEquals(12, c.maxCount);
            assertEquals(3, c.staffRecommended); // ceil(12 / 4)
        }
    }

    @Test
    void theEndOfInputClosesTheOpenWindowAndStops() throws Exception {
        try (var h = harness()) {
            List<ZoneCount> out = feed(h, Long.MAX_VALUE, v("cam-s1", 1_000, 2), v("cam-s1", 12_500, 3));
            // windows [0,10) and [10,20), then nothing more: not an endless run of empty windows
            assertEquals(2, out.size());
            assertEquals(10_000, out.get(1).windowStartMillis);
            assertEquals(3, out.get(1).maxCount);
        }
    }

    @Test
    void camerasArrivingInAnyOrderGiveTheSameWindows() throws Exception {
        java.util.List<Verdict> counts = new java.util.ArrayList<>();
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 60; i++) {
            counts.add(v("cam-n1", 500L * i, r.nextInt(5)));
            counts.add(v("cam-n2", 500L * i + 250, r.nextInt(5)));
        }
        List<ZoneCount> inOrder, shuffled;
        try (var h = harness()) {
            inOrder = feed(h, Long.MAX_VALUE, counts.toArray(Verdict[]::new));
        }
        // the two cameras' streams interleave differently, each still in its own order; the watermark trails by 5 s
        java.util.List<Verdict> n1 = counts.stream().filter(c -> c.cameraId.equals("cam-n1")).toList();
        java.util.List<Verdict> n2 = counts.stream().filter(c -> c.cameraId.equals("cam-n2")).toList();
        try (var h = harness()) {
            int a = 0, b = 0;
            while (a < n1.size() || b < n2.size()) {
                Verdict c = (b >= n2.size() || (a < n1.size() && r.nextBoolean())) ? n1.get(a++) : n2.get(b++);
                h.processElement(c, c.timestampMillis);
                long wm = Math.min(a < n1.size() ? n1.get(a).timestampMillis : Long.MAX_VALUE, b < n2.size() ? n2.get(b).timestampMillis : Long.MAX_VALUE) - 5_000;
                if (wm > 0 && wm < Long.MAX_VALUE - 5_000) h.processWatermark(wm);
            }
            h.processWatermark(Long.MAX_VALUE);
            shuffled = h.extractOutputValues();
        }
        assertEquals(inOrder.size(), shuffled.size());
        assertTrue(inOrder.size() >= 3, "30 s of counts in 10 s windows");
        for (int i = 0; i < inOrder.size(); i++) {
            assertEquals(inOrder.get(i).windowStartMillis, shuffled.get(i).windowStartMillis);
            assertEquals(inOrder.get(i).meanCount, shuffled.get(i).meanCount, 1e-12);
            assertEquals(inOrder.get(i).maxCount, shuffled.get(i).maxCount);
            assertEquals(inOrder.get(i).overcrowded, shuffled.get(i).overcrowded);
        }
    }

    @Test
    void twoCamerasUpdatingAtOneInstantMakeNoPeakHalfWay() throws Exception {
        try (var h = harness()) {
            // at 0: n1 4, n2 0; at 2 s the people walk from n1's floor to n2's: n1 0, n2 4. Half-way (n1 first: 0 + 0,
            // or n2 first: 4 + 4) is no instant at all: the occupancy is 4 throughout
            ZoneCount c = feed(h, 9_999, v("cam-n1", 0, 4), v("cam-n2", 0, 0), v("cam-n2", 2_000, 4), v("cam-n1", 2_000, 0)).get(0);
            assertEquals(4, c.maxCount);
            assertEquals(4.0, c.meanCount, 1e-12);
            assertEquals(2, c.staffRecommended);
        }
    }

    @Test
    void aClockJumpingBackKeepsTheWindowsInOrder() throws Exception {
        try (var h = harness()) {
            feed(h, 11_999, v("cam-s1", 1_000, 2), v("cam-s1", 9_000, 2)); // window [0, 10) is out
            feed(h, 12_000, v("cam-s1", 12_000, 3));
            // the camera's clock goes back 10 s: its counts are behind the watermark and take effect at 12 s
            List<ZoneCount> out = feed(h, Long.MAX_VALUE, v("cam-s1", 2_000, 8), v("cam-s1", 3_000, 6));
            assertEquals(List.of(0L, 10_000L), out.stream().map(c -> c.windowStartMillis).toList(), "each window once, in order");
            // [10, 20): 2 until 12 s, then 3, 8 and 6 at the same instant 12 s (late counts take effect now): 2·2 s + 6·8 s
            assertEquals((2 * 2 + 6 * 8) / 10.0, out.get(1).meanCount, 1e-12);
            assertEquals(8, out.get(1).maxCount, "each late count settles on its own");
        }
    }

    @Test
    void aSilentCameraLeavesItsZoneUntilItSendsAgain() throws Exception {
        ZoneConfig config = ZoneConfig.builder().window(java.time.Duration.ofSeconds(10)).overcrowdedAfter(java.time.Duration.ofSeconds(3))
                .degradedAfter(java.time.Duration.ofSeconds(5)).zones(Map.of("north", new ZoneConfig.Zone(5, 2)))
                .camera("cam-n1", "north").camera("cam-n2", "north").build();
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new ZoneOccupancy(config)),
                (Verdict x) -> config.zoneOf(x.cameraId), Types.STRING);
        try (h) {
            h.open();
            // n1: 3 people at 0 s, then silent until 24 s, then 2 people every second; n2: 1 person, every second
            h.processElement(v("cam-n1", 0, 3), 0);
            for (long t = 0; t <= 30_000; t += 1_000) {
                if (t >= 24_000) h.processElement(v("cam-n1", t, 2), t);
                h.processElement(v("cam-n2", t, 1), t);
                h.processWatermark(t);
            }
            h.processWatermark(Long.MAX_VALUE);
            List<ZoneCount> out = h.extractOutputValues();
            assertEquals(4, out.size());
            // [0, 10): 4 until n1 is silent 5 s (at 5 s), then 1: (4·5 + 1·5) / 10
            assertEquals(2.5, out.get(0).meanCount, 1e-12);
            assertEquals(4, out.get(0).maxCount);
            assertTrue(out.get(0).degraded);
            assertEquals(1.0, out.get(1).meanCount, 1e-12);
            assertTrue(out.get(1).degraded, "still silent");
            // [20, 30): n1 back at 24 s with 2: (1·4 + 3·6) / 10, degraded: it was silent for part of the window
            assertEquals(2.2, out.get(2).meanCount, 1e-12);
            assertTrue(out.get(2).degraded);
            assertFalse(out.get(3).degraded, "both cameras sending all along [30, 40)");
        }
    }

    @Test
    void configurationErrorsAreClear() {
        assertThrows(IllegalArgumentException.class, () -> new ZoneConfig(Map.of("c", "nowhere"), Map.of(), 1000, 0));
        assertThrows(IllegalArgumentException.class, () -> new ZoneConfig.Zone(0, 1));
        assertThrows(IllegalArgumentException.class, () -> CONFIG.zoneOf("unknown-camera"));
    }
}
