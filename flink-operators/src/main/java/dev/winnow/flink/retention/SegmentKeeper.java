package dev.winnow.flink.retention;

import dev.winnow.flink.types.ClipRequest;
import dev.winnow.flink.types.RetentionEvent;
import dev.winnow.flink.types.Segment;
import dev.winnow.flink.types.SegmentDecision;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which of a camera's recorded segments are kept, from {@link RetentionFilter}'s events: input
 * 1 is the camera's {@link Segment}s (its own encoded stream cut at keyframes), input 2 the filter's
 * {@link RetentionFilter#LIFECYCLE} records (one stream, so an event's start comes before its end).
 * Keyed by camera on both.
 *
 * <p>When an event has closed and a segment reaching past its end has arrived (or the input ended),
 * one {@link ClipRequest} goes out with every segment that overlaps the event, so the clip starts at
 * the keyframe at or before the pre-roll's start and ends at the keyframe after the post-roll. A
 * segment is released once no event can claim it any more: it ends before the open event's start,
 * before every closed event waiting for its segments, and more than pre-roll + minimum event before
 * the watermark (an event opened by a later frame starts after that). Each released segment leaves
 * one {@link SegmentDecision} on {@link #DECISIONS}: kept (the event id) or dropped (0).
 *
 * <p>All of it is keyed state, so a restore resumes with the segments and events it held. Segments
 * are identified by their start time: a source that re-announces segments after a restore (a file is
 * re-read from the start) does not create duplicates, and segments already released are ignored.
 *
 * <p>Spool cleaning: a released segment's file is deleted once the checkpoint taken after its release
 * completes (by then the clip writer downstream has joined every clip that needs it, and a restore
 * cannot bring the segment back into state); a re-announced duplicate's file is deleted at once.
 * Without checkpointing nothing is deleted. Not thread safe: one per subtask, as every Flink function.
 */
public final class SegmentKeeper extends KeyedCoProcessFunction<String, Segment, RetentionEvent, ClipRequest>
        implements CheckpointedFunction, CheckpointListener {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SegmentKeeper.class);

    public static final OutputTag<SegmentDecision> DECISIONS = new OutputTag<>("segment-decisions") {};

    private final long horizonMillis;

    private transient MapState<Long, HeldSegment> held;
    private transient ValueState<RetentionEvent> open;
    private transient ListState<RetentionEvent> closed;
    private transient ValueState<Long> maxEnd, releasedUpTo, endTimer;
    /** Files of segments released since the last snapshot, then per checkpoint until it completes (task thread only). */
    private transient List<String> releasedFiles;
    private transient java.util.TreeMap<Long, List<String>> toDelete;
    private transient Counter spoolFilesDeleted;
    private transient Counter clipsRequested, eventsWithoutSegments;
    private transient Tally kept, dropped;

    /** Released segments of one fate: how many, and their bytes. */
    private static final class Tally {
        private final Counter segments, bytes;

        Tally(MetricGroup g, String segmentsMetric, String bytesMetric) {
            segments = g.counter(segmentsMetric);
            bytes = g.counter(bytesMetric);
        }

        void add(Segment s) {
            segments.inc();
            bytes.inc(s.bytes);
        }
    }

    /** A segment in state with the last event whose clip holds it (0: none yet). A Flink POJO. */
    public static class HeldSegment {
        public Segment segment;
        public long eventId;

        public HeldSegment() {}

        HeldSegment(Segment segment) {
            this.segment = segment;
        }
    }

    public SegmentKeeper(RetentionConfig config) {
        this.horizonMillis = config.preRollMillis + config.minEventMillis + 1_000;
    }

    @Override
    public void open(OpenContext ctx) {
        var rc = getRuntimeContext();
        held = rc.getMapState(new MapStateDescriptor<>("held-segments", Long.class, HeldSegment.class));
        open = rc.getState(new ValueStateDescriptor<>("open-event", RetentionEvent.class));
        closed = rc.getListState(new ListStateDescriptor<>("closed-events", RetentionEvent.class));
        maxEnd = rc.getState(new ValueStateDescriptor<>("max-segment-end", Long.class));
        releasedUpTo = rc.getState(new ValueStateDescriptor<>("released-up-to", Long.class));
        endTimer = rc.getState(new ValueStateDescriptor<>("end-timer", Long.class));
        var g = rc.getMetricGroup().addGroup("winnow");
        kept = new Tally(g, "segmentsKept", "segmentBytesKept");
        dropped = new Tally(g, "segmentsDropped", "segmentBytesDropped");
        clipsRequested = g.counter("clipsRequested");
        eventsWithoutSegments = g.counter("eventsWithoutSegments");
        spoolFilesDeleted = g.counter("spoolFilesDeleted");
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        releasedFiles = new ArrayList<>();
        toDelete = new java.util.TreeMap<>();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        if (releasedFiles.isEmpty()) return;
        toDelete.put(context.getCheckpointId(), releasedFiles);
        releasedFiles = new ArrayList<>();
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        var done = toDelete.headMap(checkpointId, true);     // a later checkpoint subsumes earlier ones
        for (List<String> files : done.values()) for (String f : files) deleteSpoolFile(f);
        done.clear();
    }

    private void deleteSpoolFile(String file) {
        try {
            if (java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(file))) spoolFilesDeleted.inc();
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("cannot delete spool segment {}: {}", file, e.toString());
        }
    }

    @Override
    public void processElement1(Segment s, Context ctx, Collector<ClipRequest> out) throws Exception {
        Long released = releasedUpTo.value();
        HeldSegment already = held.get(s.startMillis);
        if (already != null || (released != null && s.startMillis < released)) {   // re-announced after a restore
            if (already == null || !already.segment.path.equals(s.path)) deleteSpoolFile(s.path);
            return;
        }
        held.put(s.startMillis, new HeldSegment(s));
        Long m = maxEnd.value();
        if (m == null || s.endMillis > m) maxEnd.update(s.endMillis);
        if (endTimer.value() == null) {
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);   // fires when the input ends
            endTimer.update(Long.MAX_VALUE);
        }
        ctx.timerService().registerEventTimeTimer(s.endMillis + horizonMillis);
        finish(ctx, out, false);
    }

    @Override
    public void processElement2(RetentionEvent e, Context ctx, Collector<ClipRequest> out) throws Exception {
        if (e.endMillis < 0) {
            open.update(e);
            return;
        }
        RetentionEvent o = open.value();
        if (o != null && o.eventId == e.eventId) open.clear();
        closed.add(e);
        finish(ctx, out, false);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ClipRequest> out) throws Exception {
        finish(ctx, out, timestamp == Long.MAX_VALUE);
    }

    private void finish(Context ctx, Collector<ClipRequest> out, boolean endOfInput) throws Exception {
        Long m = maxEnd.value();
        long covered = m == null ? Long.MIN_VALUE : m;
        List<RetentionEvent> waiting = new ArrayList<>();
        List<HeldSegment> all = null;
        for (RetentionEvent e : closed.get()) {
            if (!endOfInput && covered < e.endMillis) {
                waiting.add(e);
                continue;
            }
            if (all == null) all = sortedHeld();
            List<Segment> segs = new ArrayList<>();
            for (HeldSegment h : all) {
                if (h.segment.overlaps(e.startMillis, e.endMillis)) {
                    segs.add(h.segment);
                    h.eventId = e.eventId;
                    held.put(h.segment.startMillis, h);
                }
            }
            if (segs.isEmpty()) {
                eventsWithoutSegments.inc();
                LOG.warn("camera {}: event {} [{}, {}] has no recorded segment (recording started later or failed)",
                        e.cameraId, e.eventId, e.startMillis, e.endMillis);
                continue;
            }
            clipsRequested.inc();
            out.collect(new ClipRequest(e, segs));
        }
        closed.update(waiting);
        release(ctx, endOfInput, waiting);
    }

    private void release(Context ctx, boolean endOfInput, List<RetentionEvent> waiting) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (!endOfInput && watermark == Long.MIN_VALUE) return;   // no watermark yet (and MIN - horizon would wrap)
        long bound = endOfInput ? Long.MAX_VALUE : watermark - horizonMillis;
        RetentionEvent o = open.value();
        if (!endOfInput && o != null) bound = Math.min(bound, o.startMillis);
        if (!endOfInput) for (RetentionEvent e : waiting) bound = Math.min(bound, e.startMillis);
        if (bound == Long.MIN_VALUE) return;
        Long released = releasedUpTo.value();
        long upTo = released == null ? Long.MIN_VALUE : released;
        List<Long> gone = new ArrayList<>();
        for (Map.Entry<Long, HeldSegment> en : held.entries()) {
            Segment s = en.getValue().segment;
            if (s.endMillis > bound) continue;
            long event = en.getValue().eventId;
            (event > 0 ? kept : dropped).add(s);
            ctx.output(DECISIONS, new SegmentDecision(s, event));
            gone.add(en.getKey());
            if (releasedFiles != null) releasedFiles.add(s.path);
            upTo = Math.max(upTo, s.endMillis);
        }
        for (Long k : gone) held.remove(k);
        if (!gone.isEmpty()) releasedUpTo.update(upTo);
    }

    private List<HeldSegment> sortedHeld() throws Exception {
        List<HeldSegment> all = new ArrayList<>();
        for (HeldSegment h : held.values()) all.add(h);
        all.sort(Comparator.comparingLong(h -> h.segment.startMillis));
        return all;
    }
}
