package dev.winnow.flink.central;

import dev.winnow.flink.types.RetentionEvent;
import dev.winnow.flink.types.ZoneEvents;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Person events across the cameras of one zone (keyed by zone), per event-time window: how many of
 * the edges' events ended in the window, on how many cameras, the most people one of them saw and
 * the frames kept for them. An event belongs to the window of its end, the time the edge emits it,
 * so one camera's events arrive in window order.
 */
public class ZoneEventCount extends ProcessWindowFunction<RetentionEvent, ZoneEvents, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(String zone, Context ctx, Iterable<RetentionEvent> events, Collector<ZoneEvents> out) {
        ZoneEvents z = new ZoneEvents();
        z.zone = zone;
        z.windowStartMillis = ctx.window().getStart();
        z.windowEndMillis = ctx.window().getEnd();
        // once per zone and window, not per record: the set is the window's, not the hot path's
        Set<String> cameras = new HashSet<>();
        for (RetentionEvent e : events) {
            z.events++;
            cameras.add(e.cameraId);
            z.peakCount = Math.max(z.peakCount, e.peakCount);
            z.framesKept += e.framesKept;
        }
        z.cameras = cameras.size();
        out.collect(z);
    }
}
