package dev.winnow.flink.zone;

import dev.winnow.flink.types.Verdict;
import dev.winnow.flink.types.ZoneCount;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Occupancy of a zone (keyed by zone) from its cameras' people counts. The zone's occupancy at any
 * instant is the sum of each of its cameras' latest count; per tumbling event-time window the
 * function emits the time-weighted mean and the maximum, whether the zone was overcrowded (above
 * capacity continuously for the configured time), and the staff it needs:
 * ceil(max occupancy / people per staff) — the peak, not the mean, because staff must cope with it.
 */
public class ZoneOccupancy extends KeyedProcessFunction<String, Verdict, ZoneCount> {
    private static final long serialVersionUID = 1L;

    private final ZoneConfig config;
    private transient MapState<String, Integer> latest;
    private transient ValueState<Window> window;

    public ZoneOccupancy(ZoneConfig config) {
        this.config = config;
    }

    /** Accumulators of the current window. A Flink POJO. */
    public static class Window {
        public long start;
        public long lastChange;
        public int occupancy;
        public double weightedSum;
        public int max;
        public long aboveSince = -1;
        public boolean overcrowded;

        public Window() {}
    }

    @Override
    public void open(OpenContext ctx) {
        latest = getRuntimeContext().getMapState(new MapStateDescriptor<>("latest-count", String.class, Integer.class));
        window = getRuntimeContext().getState(new ValueStateDescriptor<>("window", Window.class));
    }

    @Override
    public void processElement(Verdict v, Context ctx, Collector<ZoneCount> out) throws Exception {
        long ts = v.timestampMillis;
        ZoneConfig.Zone zone = config.zone(ctx.getCurrentKey());
        Window w = window.value();
        long start = ts - Math.floorMod(ts, config.windowMillis);
        if (w == null) {
            w = new Window();
            w.start = start;
            w.lastChange = start;
            w.occupancy = occupancy();
            w.max = w.occupancy;
            ctx.timerService().registerEventTimeTimer(start + config.windowMillis - 1);
        }
        while (ts >= w.start + config.windowMillis) w = roll(w, ctx.getCurrentKey(), ctx.timerService(), out);
        advance(w, ts, zone);
        latest.put(v.cameraId, v.count);
        w.occupancy = occupancy();
        w.max = Math.max(w.max, w.occupancy);
        track(w, ts, zone);
        window.update(w);
    }

    private int occupancy() throws Exception {
        int sum = 0;
        for (Integer c : latest.values()) sum += c;
        return sum;
    }

    /** Accumulates the current occupancy up to {@code ts}. */
    private void advance(Window w, long ts, ZoneConfig.Zone z) {
        w.weightedSum += (double) w.occupancy * (ts - w.lastChange);
        w.lastChange = ts;
        track(w, ts, z);
    }

    private void track(Window w, long ts, ZoneConfig.Zone z) {
        if (w.occupancy > z.capacity()) {
            if (w.aboveSince < 0) w.aboveSince = ts;
            if (ts - w.aboveSince >= config.overcrowdedAfterMillis) w.overcrowded = true;
        } else {
            w.aboveSince = -1;
        }
    }

    /** Emits the window and opens the next one, carrying the occupancy and any ongoing overcrowding over. */
    private Window roll(Window w, String zoneName, org.apache.flink.streaming.api.TimerService timers, Collector<ZoneCount> out) {
        long end = w.start + config.windowMillis;
        ZoneConfig.Zone z = config.zone(zoneName);
        advance(w, end, z);
        ZoneCount c = new ZoneCount();
        c.zone = zoneName;
        c.windowStartMillis = w.start;
        c.windowEndMillis = end;
        c.meanCount = w.weightedSum / config.windowMillis;
        c.maxCount = w.max;
        c.overcrowded = w.overcrowded;
        c.staffRecommended = (w.max + z.peoplePerStaff() - 1) / z.peoplePerStaff();
        out.collect(c);
        Window next = new Window();
        next.start = end;
        next.lastChange = end;
        next.occupancy = w.occupancy;
        next.max = w.occupancy;
        next.aboveSince = w.aboveSince;
        next.overcrowded = w.aboveSince >= 0 && end - w.aboveSince >= config.overcrowdedAfterMillis;
        // at the end of input the watermark is Long.MAX_VALUE: every future window would be due at once
        if (timers.currentWatermark() != Long.MAX_VALUE) timers.registerEventTimeTimer(end + config.windowMillis - 1);
        return next;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ZoneCount> out) throws Exception {
        Window w = window.value();
        if (w == null || timestamp != w.start + config.windowMillis - 1) return;
        window.update(roll(w, ctx.getCurrentKey(), ctx.timerService(), out));
    }
}
