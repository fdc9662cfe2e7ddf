package dev.winnow.flink.zone;

import dev.winnow.flink.types.FlowWindow;
import dev.winnow.flink.types.StaffingWindow;
import dev.winnow.flink.types.ZoneCount;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The staffing schedule per zone (key: zone) and window: joins the zone's {@link ZoneCount}
 * (occupancy, degraded) with the {@link FlowWindow}s of its cameras (key them by
 * {@code config.zoneOf(cameraId)}): inflow and outflow are the sums over the zone's gate lines,
 * dwell p90 the largest p90 of its dwell polygons (the longest queue decides). Staff follow
 * {@link ZoneConfig.Zone#staff}. A window is emitted when the watermark passes its last millisecond,
 * by which time both inputs have sent it (each emits a window at or before that time). A record for
 * a window already emitted is counted in {@code winnow.lateScheduleInputs} and left out.
 */
public class StaffingSchedule extends KeyedCoProcessFunction<String, ZoneCount, FlowWindow, StaffingWindow> {
    private static final long serialVersionUID = 1L;

    private final ZoneConfig config;
    private transient MapState<Long, StaffingWindow> open;
    private transient ValueState<Long> emittedUpTo;
    private transient Counter late;

    public StaffingSchedule(ZoneConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext ctx) {
        open = getRuntimeContext().getMapState(new MapStateDescriptor<>("schedule-windows", Types.LONG, Types.POJO(StaffingWindow.class)));
        emittedUpTo = getRuntimeContext().getState(new ValueStateDescriptor<>("schedule-emitted-up-to", Types.LONG));
        late = getRuntimeContext().getMetricGroup().addGroup("winnow").counter("lateScheduleInputs");
    }

    @Override
    public void processElement1(ZoneCount c, Context ctx, Collector<StaffingWindow> out) throws Exception {
        StaffingWindow w = window(c.windowStartMillis, c.windowEndMillis, ctx);
        if (w == null) return;
        w.occupancyMean = c.meanCount;
        w.occupancyMax = c.maxCount;
        w.degraded = c.degraded;
        open.put(w.windowStartMillis, w);
    }

    @Override
    public void processElement2(FlowWindow f, Context ctx, Collector<StaffingWindow> out) throws Exception {
        StaffingWindow w = window(f.windowStartMillis, f.windowEndMillis, ctx);
        if (w == null) return;
        if (FlowWindow.LINE.equals(f.kind)) {
            w.inflow += f.in;
            w.outflow += f.out;
        } else if (f.dwells > 0) {
            w.dwellP90Seconds = Math.max(w.dwellP90Seconds, f.dwellP90Seconds);
        }
        open.put(w.windowStartMillis, w);
    }

    private StaffingWindow window(long start, long end, Context ctx) throws Exception {
        Long done = emittedUpTo.value();
        if (done != null && start <= done) {
            late.inc();
            return null;
        }
        StaffingWindow w = open.get(start);
        if (w == null) {
            w = new StaffingWindow();
            w.zone = ctx.getCurrentKey();
            w.windowStartMillis = start;
            w.windowEndMillis = end;
            ctx.timerService().registerEventTimeTimer(end - 1);
        }
        return w;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<StaffingWindow> out) throws Exception {
        long start = timestamp + 1 - config.windowMillis;
        StaffingWindow w = open.get(start);
        if (w == null) return;
        open.remove(start);
        w.staff = config.zone(ctx.getCurrentKey()).staff(w.occupancyMax, w.dwellP90Seconds);
        emittedUpTo.update(start);
        out.collect(w);
    }
}
