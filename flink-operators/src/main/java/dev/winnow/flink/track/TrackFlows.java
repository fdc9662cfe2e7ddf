package dev.winnow.flink.track;

import dev.winnow.flink.types.FlowWindow;
import dev.winnow.flink.types.TrackedFrame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Line crossings and zone dwell per camera (key: camera id) from its tracks, anchored at each box's
 * bottom centre (where the person stands). Per track it remembers the last side of every gate line
 * ({@link GateLine}: hysteresis, so one crossing counts once) and since when it is inside every zone.
 * A dwell is the time from the first frame inside a zone to the first frame outside; a track unseen
 * for {@code goneAfter} ends its dwells at its last sighting. Per tumbling window it emits one
 * {@link FlowWindow} per line (in, out) and per zone (dwells ended in the window, p50, p90, queue alert).
 *
 * <p>A window closes when a frame of a later window arrives or the watermark passes its end (the end of
 * input flushes the last one and the dwells still open). Windows with no frame are skipped. A frame of a
 * window already emitted (it came after the watermark closed it, e.g. from a source that was idle)
 * counts in the next window, counted in {@code winnow.lateFlowFrames}: a window is emitted once.
 * Frames of a camera with neither lines nor zones are counted in {@code winnow.unconfiguredFrames}.
 */
public class TrackFlows extends KeyedProcessFunction<String, TrackedFrame, FlowWindow> {
    private static final long serialVersionUID = 1L;

    private final FlowConfig config;
    private transient MapState<Long, TrackPlace> places;
    private transient ValueState<Accumulator> window;
    /** Start of the last window emitted for this camera. */
    private transient ValueState<Long> emitted;
    private transient Counter unconfigured;
    private transient Counter late;

    public TrackFlows(FlowConfig config) {
        this.config = config;
    }

    /** Where one track was: its side of each line (0: none yet) and when it entered each zone (−1: outside). A Flink POJO. */
    public static class TrackPlace {
        public int[] sides;
        public long[] enteredAt;
        public long lastSeen;

        public TrackPlace() {}
    }

    /** The current window's counts. A Flink POJO; dwells as parallel arrays (zone index, millis) that grow by doubling. */
    public static class Accumulator {
        public long start;
        public int[] in;
        public int[] out;
        public int dwells;
        public int[] dwellZone = new int[16];
        public long[] dwellMillis = new long[16];

        public Accumulator() {}

        void addDwell(int zone, long millis) {
            if (dwells == dwellZone.length) {
                dwellZone = Arrays.copyOf(dwellZone, 2 * dwells);
                dwellMillis = Arrays.copyOf(dwellMillis, 2 * dwells);
            }
            dwellZone[dwells] = zone;
            dwellMillis[dwells++] = millis;
        }
    }

    @Override
    public void open(OpenContext ctx) {
        places = getRuntimeContext().getMapState(new MapStateDescriptor<>("track-places", Types.LONG, Types.POJO(TrackPlace.class)));
        window = getRuntimeContext().getState(new ValueStateDescriptor<>("flow-window", Accumulator.class));
        emitted = getRuntimeContext().getState(new ValueStateDescriptor<>("flow-emitted", Types.LONG));
        unconfigured = getRuntimeContext().getMetricGroup().addGroup("winnow").counter("unconfiguredFrames");
        late = getRuntimeContext().getMetricGroup().addGroup("winnow").counter("lateFlowFrames");
    }

    @Override
    public void processElement(TrackedFrame f, Context ctx, Collector<FlowWindow> out) throws Exception {
        String camera = ctx.getCurrentKey();
        List<GateLine> lines = config.lines(camera);
        List<ZonePolygon> zones = config.zones(camera);
        if (lines.isEmpty() && zones.isEmpty()) {
            unconfigured.inc();
            return;
        }
        long ts = f.timestampMillis, w = config.windowMillis;
        long start = Math.floorDiv(ts, w) * w;
        Long done = emitted.value();
        if (done != null && start <= done) {
            late.inc();
            start = done + w;
        }
        Accumulator acc = window.value();
        if (acc != null && start > acc.start) {
            emit(camera, acc, lines, zones, out);
            emitted.update(acc.start);
            acc = null;
        }
        if (acc == null) {
            acc = new Accumulator();
            acc.start = start;
            acc.in = new int[lines.size()];
            acc.out = new int[lines.size()];
        }
        // a frame older than the open window (out of order across a boundary) counts in the open window
        ctx.timerService().registerEventTimeTimer(acc.start + w - 1);

        for (int i = 0; i < f.trackIds.length; i++) {
            double x = f.boxes[4 * i] + f.boxes[4 * i + 2] / 2.0, y = f.boxes[4 * i + 1] + f.boxes[4 * i + 3];
            TrackPlace p = places.get(f.trackIds[i]);
            if (p == null) {
                p = new TrackPlace();
                p.sides = new int[lines.size()];
                p.enteredAt = new long[zones.size()];
                Arrays.fill(p.enteredAt, -1);
            }
            for (int l = 0; l < lines.size(); l++) {
                GateLine line = lines.get(l);
                int side = line.side(x, y);
                if (side == 0) continue;
                if (p.sides[l] != 0 && side != p.sides[l] && line.alongSegment(x, y)) {
                    if (side > 0) acc.in[l]++;
                    else acc.out[l]++;
                }
                p.sides[l] = side;
            }
            for (int z = 0; z < zones.size(); z++) {
                boolean inside = zones.get(z).contains(x, y);
                if (inside && p.enteredAt[z] < 0) p.enteredAt[z] = ts;
                else if (!inside && p.enteredAt[z] >= 0) {
                    acc.addDwell(z, ts - p.enteredAt[z]);
                    p.enteredAt[z] = -1;
                }
            }
            p.lastSeen = ts;
            places.put(f.trackIds[i], p);
        }
        expire(ts - config.goneAfterMillis, acc);
        window.update(acc);
    }

    /** Tracks last seen before {@code before} have left: their open dwells end at their last sighting. */
    private void expire(long before, Accumulator acc) throws Exception {
        Iterator<Map.Entry<Long, TrackPlace>> it = places.iterator();
        while (it.hasNext()) {
            TrackPlace p = it.next().getValue();
            if (p.lastSeen >= before) continue;
            for (int z = 0; z < p.enteredAt.length; z++) if (p.enteredAt[z] >= 0) acc.addDwell(z, p.lastSeen - p.enteredAt[z]);
            it.remove();
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FlowWindow> out) throws Exception {
        Accumulator acc = window.value();
        if (acc == null || acc.start + config.windowMillis - 1 != timestamp) return;
        String camera = ctx.getCurrentKey();
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) expire(Long.MAX_VALUE, acc); // end of input: whoever is inside has left
        emit(camera, acc, config.lines(camera), config.zones(camera), out);
        emitted.update(acc.start);
        window.clear();
    }

    private void emit(String camera, Accumulator acc, List<GateLine> lines, List<ZonePolygon> zones, Collector<FlowWindow> out) {
        long end = acc.start + config.windowMillis;
        for (int l = 0; l < lines.size(); l++) {
            FlowWindow fw = window(camera, FlowWindow.LINE, lines.get(l).name, acc.start, end);
            fw.in = acc.in[l];
            fw.out = acc.out[l];
            out.collect(fw);
        }
        for (int z = 0; z < zones.size(); z++) {
            List<Long> d = new ArrayList<>();
            for (int k = 0; k < acc.dwells; k++) if (acc.dwellZone[k] == z) d.add(acc.dwellMillis[k]);
            d.sort(null);
            FlowWindow fw = window(camera, FlowWindow.ZONE, zones.get(z).name, acc.start, end);
            fw.dwells = d.size();
            if (!d.isEmpty()) {
                fw.dwellP50Seconds = nearestRank(d, 0.5) / 1000.0;
                fw.dwellP90Seconds = nearestRank(d, 0.9) / 1000.0;
                fw.queueAlert = nearestRank(d, 0.9) >= config.queueP90Millis;
            }
            out.collect(fw);
        }
    }

    /** The nearest-rank percentile of sorted values: the ⌈q·n⌉-th smallest. */
    static long nearestRank(List<Long> sorted, double q) {
        return sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static FlowWindow window(String camera, String kind, String name, long start, long end) {
        FlowWindow fw = new FlowWindow();
        fw.cameraId = camera;
        fw.kind = kind;
        fw.name = name;
        fw.windowStartMillis = start;
        fw.windowEndMillis = end;
        return fw;
    }
}
