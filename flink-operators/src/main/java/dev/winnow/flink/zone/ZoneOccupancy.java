package dev.winnow.flink.zone;

import dev.winnow.flink.types.Verdict;
import dev.winnow.flink.types.ZoneCount;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Occupancy of a zone (keyed by zone) from its cameras' people counts. The zone's occupancy at any
 * instant is the sum of each of its cameras' latest count; per tumbling event-time window the
 * function emits the time-weighted mean and the maximum, whether the zone was overcrowded (above
 * capacity continuously for the configured time), and the staff it needs:
 * ceil(max occupancy / people per staff) — the peak, not the mean, because staff must cope with it.
 *
 * <p>Cameras of one zone arrive from different sources in no particular order, and the occupancy at
 * an instant depends on every camera's count at that instant; so counts wait in state until the
 * watermark passes their time and are then applied in event-time order; the maximum and overcrowding
 * see the occupancy once all counts of an instant are in. The result is the same on every run and
 * after every restore. A count older than the watermark is applied at once and counted
 * in {@code lateCounts}.
 *
 * <p>A camera whose timestamps go backwards (its clock was set back) is reported once per jump:
 * {@code winnow.clockJumpsBack} and one log line. Its counts behind the watermark are late and take
 * effect at the zone's current time, so windows stay in order and none is emitted twice.
 *
 * <p>With {@link ZoneConfig#degradedAfterMillis} set, a camera that sent nothing for that long of event
 * time (an event-time timer per last sighting) stops contributing: its last count leaves the zone's
 * occupancy, the window and the following ones are {@code degraded} until it sends again, and
 * {@code winnow.cameraDegradations} and one log line report it. A camera of the zone that never
 * sends is silent from the zone's first count on. At the end of input (watermark at
 * its maximum) nobody is degraded: the cameras ended, they did not fail.
 */
public class ZoneOccupancy extends KeyedProcessFunction<String, Verdict, ZoneCount> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ZoneOccupancy.class);

    private final ZoneConfig config;
    private transient MapState<String, Integer> latest;
    private transient ValueState<Window> window;
    private transient MapState<Long, List<Verdict>> pending;
    private transient MapState<String, Long> lastSeen, lastStamp, degradedSince;
    private transient Counter late, clockJumps, degradations;

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
        public boolean degraded;

        public Window() {}
    }

    @Override
    public void open(OpenContext ctx) {
        latest = getRuntimeContext().getMapState(new MapStateDescriptor<>("latest-count", String.class, Integer.class));
        window = getRuntimeContext().getState(new ValueStateDescriptor<>("window", Window.class));
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-counts", Types.LONG, Types.LIST(TypeInformation.of(Verdict.class))));
        lastSeen = getRuntimeContext().getMapState(new MapStateDescriptor<>("camera-last-seen", String.class, Long.class));
        lastStamp = getRuntimeContext().getMapState(new MapStateDescriptor<>("camera-last-stamp", String.class, Long.class));
        degradedSince = getRuntimeContext().getMapState(new MapStateDescriptor<>("camera-degraded-since", String.class, Long.class));
        var metrics = getRuntimeContext().getMetricGroup().addGroup("winnow");
        late = metrics.counter("lateCounts");
        clockJumps = metrics.counter("clockJumpsBack");
        degradations = metrics.counter("cameraDegradations");
    }

    @Override
    public void processElement(Verdict v, Context ctx, Collector<ZoneCount> out) throws Exception {
        long ts = v.timestampMillis;
        // a camera's frames arrive in its own order (one source per camera), so a smaller stamp is its clock going back
        Long previous = lastStamp.get(v.cameraId);
        if (previous != null && ts < previous) {
            clockJumps.inc();
            LOG.warn("camera {} (zone {}): clock jumped back {} ms at seq {}; its counts behind the watermark take effect at the zone's current time",
                    v.cameraId, ctx.getCurrentKey(), previous - ts, v.seq);
        }
        lastStamp.put(v.cameraId, ts);
        long watermark = ctx.timerService().currentWatermark();
        if (ts <= watermark) {
            late.inc();
            apply(v, ctx.getCurrentKey(), ctx.timerService(), out, true);
            // the camera is alive now, whatever its clock says: silence is measured on the watermark
            seen(v.cameraId, Math.max(ts, watermark), ctx.timerService());
            return;
        }
        List<Verdict> at = pending.get(ts);
        if (at == null) at = new ArrayList<>();
        at.add(v);
        pending.put(ts, at);
        ctx.timerService().registerEventTimeTimer(ts);
    }

    /**
     * Applies one camera's count. {@code settle}: the last count of its instant; only then do the maximum
     * and overcrowding see the occupancy, so a sum half-way through the cameras of one instant (one
     * camera updated, the other not yet) is no peak.
     */
    private void apply(Verdict v, String zoneName, TimerService timers, Collector<ZoneCount> out, boolean settle) throws Exception {
        ZoneConfig.Zone zone = config.zone(zoneName);
        Window w = window.value();
        // a late count takes effect now: the past of a window already accounted for is not rewritten
        long ts = w == null ? v.timestampMillis : Math.max(v.timestampMillis, w.lastChange);
        long start = ts - Math.floorMod(ts, config.windowMillis);
        if (w == null) {
            w = new Window();
            w.start = start;
            w.lastChange = start;
            w.occupancy = occupancy();
            w.max = w.occupancy;
            timers.registerEventTimeTimer(start + config.windowMillis - 1);
            // a camera of the zone that never sends is silent from the zone's first count on
            for (String c : config.camerasOf(zoneName)) if (!c.equals(v.cameraId)) seen(c, ts, timers);
        }
        while (ts >= w.start + config.windowMillis) w = roll(w, zoneName, timers, out);
        timers.registerEventTimeTimer(w.start + config.windowMillis - 1); // idempotent; needed once the watermark is final
        advance(w, ts, zone);
        latest.put(v.cameraId, v.count);
        seen(v.cameraId, ts, timers);
        if (degradedSince.contains(v.cameraId)) {
            degradedSince.remove(v.cameraId);
            LOG.info("camera {} (zone {}) sends again at {}", v.cameraId, zoneName, ts);
        }
        w.occupancy = occupancy();
        if (settle) {
            w.max = Math.max(w.max, w.occupancy);
            track(w, ts, zone);
        }
        window.update(w);
    }

    private void seen(String camera, long ts, TimerService timers) throws Exception {
        if (config.degradedAfterMillis <= 0) return;
        lastSeen.put(camera, ts);
        timers.registerEventTimeTimer(ts + config.degradedAfterMillis);
    }

    /** Cameras silent for the configured time by {@code now} leave the occupancy; the window turns degraded. */
    private void degradeSilent(long now, String zoneName, TimerService timers, Collector<ZoneCount> out) throws Exception {
        if (config.degradedAfterMillis <= 0 || timers.currentWatermark() == Long.MAX_VALUE) return;
        List<String> silent = new ArrayList<>();
        for (var e : lastSeen.entries()) {
            if (e.getValue() + config.degradedAfterMillis <= now && !degradedSince.contains(e.getKey())) silent.add(e.getKey());
        }
        if (silent.isEmpty()) return;
        Window w = window.value();
        if (w == null) return;
        ZoneConfig.Zone zone = config.zone(zoneName);
        long at = Math.max(now, w.lastChange);
        while (at >= w.start + config.windowMillis) w = roll(w, zoneName, timers, out);
        advance(w, at, zone);
        silent.sort(null);
        for (String c : silent) {
            latest.remove(c);
            degradedSince.put(c, at);
            degradations.inc();
            LOG.warn("camera {} (zone {}) sent nothing for {} ms of event time: it stops counting, the zone is degraded", c, zoneName, at - lastSeen.get(c));
        }
        w.occupancy = occupancy();
        w.degraded = true;
        track(w, at, zone);
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
    private Window roll(Window w, String zoneName, TimerService timers, Collector<ZoneCount> out) throws Exception {
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
        c.degraded = w.degraded;
        out.collect(c);
        Window next = new Window();
        next.start = end;
        next.lastChange = end;
        next.occupancy = w.occupancy;
        next.max = w.occupancy;
        next.aboveSince = w.aboveSince;
        next.overcrowded = w.aboveSince >= 0 && end - w.aboveSince >= config.overcrowdedAfterMillis;
        next.degraded = !degradedSince.isEmpty();
        // at the end of input the watermark is Long.MAX_VALUE: every future window would be due at once
        if (timers.currentWatermark() != Long.MAX_VALUE) timers.registerEventTimeTimer(end + config.windowMillis - 1);
        return next;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ZoneCount> out) throws Exception {
        List<Verdict> due = pending.get(timestamp);
        if (due != null) {
            pending.remove(timestamp);
            // counts of one instant: apply in camera order, the same on every run
            due.sort(Comparator.comparing((Verdict v) -> v.cameraId).thenComparingLong(v -> v.seq));
            for (int i = 0; i < due.size(); i++) apply(due.get(i), ctx.getCurrentKey(), ctx.timerService(), out, i == due.size() - 1);
        }
        // before the roll: a camera falling silent at a window's last millisecond degrades that window
        degradeSilent(timestamp, ctx.getCurrentKey(), ctx.timerService(), out);
        Window w = window.value();
        if (w == null || timestamp != w.start + config.windowMillis - 1) return;
        window.update(roll(w, ctx.getCurrentKey(), ctx.timerService(), out));
    }
}
