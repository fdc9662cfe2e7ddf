package dev.winnow.flink.retention;

import dev.winnow.flink.types.RetentionEvent;
import dev.winnow.flink.types.ScoredFrame;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keeps a camera's frames with people in them, NVR style (see {@link RetentionConfig}), and drops
 * the rest. Keyed by camera; frames of one camera must arrive in timestamp order. Kept frames go to
 * the main output, one {@link RetentionEvent} per closed event to {@link #EVENTS}, and one per
 * started and one per closed event to {@link #LIFECYCLE}.
 *
 * <p>All of it is keyed state — the pre-roll ring of frames, the open event, the event counter —
 * so a restore from a checkpoint resumes mid-event without losing pre-roll frames or emitting a frame
 * twice. Events close on an event-time timer when the post-roll has passed even if the camera goes quiet.
 */
public class RetentionFilter extends KeyedProcessFunction<String, ScoredFrame, ScoredFrame> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<RetentionEvent> EVENTS = new OutputTag<>("retention-events") {};
    /**
     * Both ends of every event, in order on one stream: a record when the event starts (its start
     * includes the pre-roll; {@code endMillis == -1}) and the closed event as on {@link #EVENTS}. A
     * segment keeper reads it to hold the camera's segments from an event's start until it closes.
     */
    public static final OutputTag<RetentionEvent> LIFECYCLE = new OutputTag<>("retention-event-lifecycle") {};

    private final RetentionConfig config;

    private transient ListState<ScoredFrame> buffer;      // pre-roll, plus frames of a candidate event
    private transient ValueState<OpenEvent> open;
    private transient ValueState<Long> candidateStart;    // first detection of a not yet confirmed event
    private transient ValueState<Long> eventCounter;
    private transient Counter framesIn, framesKept, bytesIn, bytesKept, eventsClosed;

    public RetentionFilter(RetentionConfig config) {
        this.config = config;
    }

    /** The state of an event being recorded. A Flink POJO. */
    public static class OpenEvent {
        public long id;
        public long start;
        public long lastDetection;
        public int peakCount;
        public float peakScore;
        public long frames;
        public long bytes;
        public int modelVersion;
        public long peakSeq = -1;
        public long peakMillis;
        /** The peak frame's thumbnail, rendered when the peak rises (see {@link PeakThumbnail}). */
        public byte[] peakJpeg;

        public OpenEvent() {}
    }

    @Override
    public void open(OpenContext ctx) {
        buffer = getRuntimeContext().getListState(new ListStateDescriptor<>("pre-roll", ScoredFrame.class));
        open = getRuntimeContext().getState(new ValueStateDescriptor<>("open-event", OpenEvent.class));
        candidateStart = getRuntimeContext().getState(new ValueStateDescriptor<>("candidate-start", Long.class));
        eventCounter = getRuntimeContext().getState(new ValueStateDescriptor<>("event-counter", Long.class));
        var g = getRuntimeContext().getMetricGroup();
        framesIn = g.counter("framesIn");
        framesKept = g.counter("framesKept");
        bytesIn = g.counter("bytesIn");
        bytesKept = g.counter("bytesKept");
        eventsClosed = g.counter("retentionEvents");
        PeakThumbnail.warmUp();
    }

    @Override
    public void processElement(ScoredFrame f, Context ctx, Collector<ScoredFrame> out) throws Exception {
        long ts = f.frame.timestampMillis;
        framesIn.inc();
        bytesIn.inc(f.frame.sizeBytes());
        OpenEvent e = open.value();
        if (e != null && ts > e.lastDetection + config.postRollMillis) {
            close(e, ctx);           // the post-roll ended before this frame (its timer has not fired yet)
            e = null;
        }
        float score = f.verdict.score;
        if (e != null) {
            keep(e, f, out);
            if (score >= config.exitThreshold) {
                ctx.timerService().deleteEventTimeTimer(e.lastDetection + config.postRollMillis);
                e.lastDetection = ts;
                ctx.timerService().registerEventTimeTimer(ts + config.postRollMillis);
            }
            open.update(e);
            return;
        }
        Long candidate = candidateStart.value();
        if (candidate == null && score >= config.enterThreshold) {
            candidate = ts;
            candidateStart.update(ts);
        } else if (candidate != null && score < config.exitThreshold) {
            candidate = null;        // a flicker shorter than the minimum event length
            candidateStart.clear();
        }
        if (candidate != null && ts - candidate >= config.minEventMillis) {
            start(candidate, f, ctx, out);
            return;
        }
        List<ScoredFrame> kept = new ArrayList<>();
        long horizon = (candidate != null ? candidate : ts) - config.preRollMillis;
        for (ScoredFrame b : buffer.get()) if (b.frame.timestampMillis >= horizon) kept.add(b);
        kept.add(f);
        buffer.update(kept);
    }

    private void start(long firstDetection, ScoredFrame f, Context ctx, Collector<ScoredFrame> out) throws Exception {
        OpenEvent e = new OpenEvent();
        Long n = eventCounter.value();
        e.id = n == null ? 1 : n + 1;
        eventCounter.update(e.id);
        long horizon = firstDetection - config.preRollMillis;
        e.start = f.frame.timestampMillis;
        for (ScoredFrame b : buffer.get()) {
            if (b.frame.timestampMillis < horizon) continue;
            e.start = Math.min(e.start, b.frame.timestampMillis);
            keep(e, b, out);
        }
        buffer.clear();
        candidateStart.clear();
        keep(e, f, out);
        e.lastDetection = f.frame.timestampMillis;
        ctx.timerService().registerEventTimeTimer(e.lastDetection + config.postRollMillis);
        open.update(e);
        RetentionEvent opened = new RetentionEvent();
        opened.cameraId = ctx.getCurrentKey();
        opened.eventId = e.id;
        opened.startMillis = e.start;
        opened.endMillis = -1;
        ctx.output(LIFECYCLE, opened);
    }

    private void keep(OpenEvent e, ScoredFrame f, Collector<ScoredFrame> out) {
        if (f.verdict.score >= config.exitThreshold) {
            if (f.verdict.count > e.peakCount || e.peakSeq < 0) {
                e.peakSeq = f.frame.seq;
                e.peakMillis = f.frame.timestampMillis;
                e.peakJpeg = PeakThumbnail.jpeg(f);
            }
            e.peakCount = Math.max(e.peakCount, f.verdict.count);
            e.peakScore = Math.max(e.peakScore, f.verdict.score);
        }
        e.modelVersion = Math.max(e.modelVersion, f.verdict.modelVersion);
        e.frames++;
        e.bytes += f.frame.sizeBytes();
        framesKept.inc();
        bytesKept.inc(f.frame.sizeBytes());
        out.collect(f);
    }

    private void close(OpenEvent e, Context ctx) throws Exception {
        ctx.timerService().deleteEventTimeTimer(e.lastDetection + config.postRollMillis);
        RetentionEvent r = new RetentionEvent();
        r.cameraId = ctx.getCurrentKey();
        r.eventId = e.id;
        r.startMillis = e.start;
        r.endMillis = e.lastDetection + config.postRollMillis;
        r.peakCount = e.peakCount;
        r.peakScore = e.peakScore;
        r.framesKept = e.frames;
        r.bytesKept = e.bytes;
        r.modelVersion = e.modelVersion;
        r.peakSeq = e.peakSeq;
        r.peakMillis = e.peakMillis;
        ctx.output(EVENTS, r);
        // the thumbnail goes only to the clip path, not to the events CSV or Kafka topic
        RetentionEvent withThumbnail = r.copy();
        withThumbnail.thumbnail = e.peakJpeg;
        ctx.output(LIFECYCLE, withThumbnail);
        eventsClosed.inc();
        open.clear();
    }


    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ScoredFrame> out) throws Exception {
        OpenEvent e = open.value();
        if (e != null && timestamp == e.lastDetection + config.postRollMillis) close(e, ctx);
    }
}
