package dev.winnow.flink.zone;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.types.FlowWindow;
import dev.winnow.flink.types.StaffingWindow;
import dev.winnow.flink.types.ZoneCount;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class StaffingScheduleTest {
    // hall: 4 people per staff, at least 1, a queue dwell target of 60 s
    static final ZoneConfig CONFIG = ZoneConfig.builder().window(Duration.ofSeconds(10)).zone("hall", new ZoneConfig.Zone(20, 4, 1, 60_000))
            .camera("cam-a", "hall").camera("cam-b", "hall").build();

    static ZoneCount count(long start, double mean, int max, boolean degraded) {
        ZoneCount c = new ZoneCount();
        c.zone = "hall";
        c.windowStartMillis = start;
        c.windowEndMillis = start + 10_000;
        c.meanCount = mean;
        c.maxCount = max;
        c.degraded = degraded;
        return c;
    }

    static FlowWindow flow(String camera, String kind, long start, int in, int out, int dwells, double p90) {
        FlowWindow f = new FlowWindow();
        f.cameraId = camera;
        f.kind = kind;
        f.name = kind + "-" + camera;
        f.windowStartMillis = start;
        f.windowEndMillis = start + 10_000;
        f.in = in;
        f.out = out;
        f.dwells = dwells;
        f.dwellP90Seconds = p90;
        return f;
    }

    KeyedTwoInputStreamOperatorTestHarness<String, ZoneCount, FlowWindow, StaffingWindow> harness() throws Exception {
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new StaffingSchedule(CONFIG)),
                (ZoneCount c) -> c.zone, (FlowWindow f) -> CONFIG.zoneOf(f.cameraId), Types.STRING);
        h.open();
        return h;
    }

    @Test
    void flowsOfTheZonesCamerasJoinItsOccupancyAndTheRuleSetsStaff() throws Exception {
        try (var h = harness()) {
            h.processElement2(flow("cam-a", FlowWindow.LINE, 0, 5, 2, 0, 0), 4_000);
            h.processElement2(flow("cam-b", FlowWindow.LINE, 0, 3, 1, 0, 0), 9_999);
            h.processElement2(flow("cam-a", FlowWindow.ZONE, 0, 0, 0, 4, 150.0), 9_999); // p90 150 s = 2.5 targets
            h.processElement2(flow("cam-b", FlowWindow.ZONE, 0, 0, 0, 2, 30.0), 9_999);
            h.processElement1(count(0, 6.25, 9, false), 9_999);
            h.processBothWatermarks(new Watermark(9_998));
            assertTrue(h.extractOutputValues().isEmpty(), "nothing before the window's last millisecond");
            h.processBothWatermarks(new Watermark(9_999));
            // next window: no flows, nobody; the minimum staff holds; degraded passes through
            h.processElement1(count(10_000, 0, 0, true), 19_999);
            h.processBothWatermarks(new Watermark(19_999));
            List<StaffingWindow> out = h.extractOutputValues();
            assertEquals(2, out.size());
            StaffingWindow a = out.get(0);
            assertEquals(0, a.windowStartMillis);
            assertEquals(10_000, a.windowEndMillis);
            assertEquals(6.25, a.occupancyMean);
            assertEquals(9, a.occupancyMax);
            assertEquals(8, a.inflow);
            assertEquals(3, a.outflow);
            assertEquals(150.0, a.dwellP90Seconds, "the longest queue decides");
            // max(1, ceil(9 / 4) = 3) + (ceil(150 / 60) - 1 = 2)
            assertEquals(5, a.staff);
            assertFalse(a.degraded);
            StaffingWindow b = out.get(1);
            assertEquals(1, b.staff, "minimum staff");
            assertTrue(b.degraded);
            assertEquals(0, b.inflow);

            // a flow for a window already out is left out, not a second line
            h.processElement2(flow("cam-a", FlowWindow.LINE, 0, 1, 0, 0, 0), 20_000);
            h.processBothWatermarks(new Watermark(29_999));
            assertEquals(2, h.extractOutputValues().size());
        }
    }

    @Test
    void theStaffingRule() {
        ZoneConfig.Zone z = new ZoneConfig.Zone(20, 4, 2, 60_000);
        assertEquals(2, z.staff(0, 0), "minimum");
        assertEquals(3, z.staff(9, 0), "ceil(9 / 4)");
        assertEquals(3, z.staff(9, 60.0), "at the target: no extra staff");
        assertEquals(4, z.staff(9, 60.1), "just past it: one more");
        assertEquals(5, z.staff(9, 180.0), "three targets: two more");
        assertEquals(3, new ZoneConfig.Zone(20, 4).staff(9, 1000), "no target: no queue staff");
        assertThrows(IllegalArgumentException.class, () -> new ZoneConfig.Zone(20, 4, -1, 0));
    }
}
