package dev.winnow.examples.dashboard;

import dev.winnow.flink.types.Verdict;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per camera (key: camera id) and event-time window, how many frames it sent and when the last one was,
 * emitted once when the watermark passes the window's end: the dashboard names a camera silent for the
 * zone file's {@code degraded-after} from these, since the zone windows say only that a zone is degraded.
 * A silent camera sends no record, which is the point. One state object per camera and window, so the
 * per-frame path allocates nothing.
 */
public final class CameraPulse extends KeyedProcessFunction<String, Verdict, BoardUpdate> {
    private static final long serialVersionUID = 1L;

    private final long windowMillis;
    private transient ValueState<Pulse> state;

    public CameraPulse(long windowMillis) {
        if (windowMillis <= 0) throw new IllegalArgumentException("window must be > 0 ms, is " + windowMillis);
        this.windowMillis = windowMillis;
    }

    /** The open window of one camera. A Flink POJO. */
    public static class Pulse {
        public long start;
        public long last;
        public int frames;

        public Pulse() {}
    }

    @Override
    public void open(OpenContext ctx) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("camera-pulse", Pulse.class));
    }

    @Override
    public void processElement(Verdict v, Context ctx, Collector<BoardUpdate> out) throws Exception {
        long start = Math.floorDiv(v.timestampMillis, windowMillis) * windowMillis;
        Pulse p = state.value();
        if (p != null && start > p.start) {
            // a frame of a later window before the watermark closed this one: the open window is done
            emit(ctx.getCurrentKey(), p, out);
            p = null;
        }
        if (p == null) {
            p = new Pulse();
            p.start = start;
            ctx.timerService().registerEventTimeTimer(start + windowMillis - 1);
        }
        // a frame older than the open window (a clock jumping back) counts in the open one, as ZoneOccupancy does
        p.frames++;
        p.last = Math.max(p.last, v.timestampMillis);
        state.update(p);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<BoardUpdate> out) throws Exception {
        Pulse p = state.value();
        if (p == null || p.start + windowMillis - 1 != timestamp) return;
        emit(ctx.getCurrentKey(), p, out);
        state.clear();
    }

    private void emit(String camera, Pulse p, Collector<BoardUpdate> out) {
        out.collect(BoardUpdate.pulse(camera, p.start, p.frames, p.last));
    }
}
