package dev.winnow.flink.track;

import dev.winnow.flink.types.TrackedFrame;
import dev.winnow.flink.types.Verdict;
import java.util.Arrays;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per-camera person tracking (key: camera id) over the detector's verdicts: each verdict's boxes go
 * through a {@link ByteTracker} whose {@link TrackTable} is keyed state, so track ids and filters
 * survive a restore. Emits one {@link TrackedFrame} per verdict.
 *
 * <p>A camera's frames must arrive in order (one source per camera keeps them so); a verdict whose seq
 * is not above the last one's is left out, counted in {@code winnow.outOfOrderFrames}. Malformed box
 * rows, rows beyond the detection bound, and births refused by a full table are counted in
 * {@code malformedBoxes}, {@code truncatedBoxes} and {@code droppedBirths}.
 *
 * <p>Per frame the tracking itself allocates nothing; the emitted record's two arrays are the only
 * allocation. With the heap state backend the table is the same object frame after frame; with
 * RocksDB it is deserialized per frame.
 */
public class PersonTracker extends KeyedProcessFunction<String, Verdict, TrackedFrame> {
    private static final long serialVersionUID = 1L;
    private static final float[] NO_BOXES = new float[0];

    private final TrackerConfig config;
    private transient ByteTracker tracker;
    private transient ValueState<TrackTable> table;
    private transient Counter outOfOrder, malformed, truncated, droppedBirths;

    public PersonTracker(TrackerConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext ctx) {
        tracker = new ByteTracker(config);
        table = getRuntimeContext().getState(new ValueStateDescriptor<>("track-table", TrackTable.class));
        var metrics = getRuntimeContext().getMetricGroup().addGroup("winnow");
        outOfOrder = metrics.counter("outOfOrderFrames");
        malformed = metrics.counter("malformedBoxes");
        truncated = metrics.counter("truncatedBoxes");
        droppedBirths = metrics.counter("droppedBirths");
    }

    @Override
    public void processElement(Verdict v, Context ctx, Collector<TrackedFrame> out) throws Exception {
        TrackTable t = table.value();
        if (t == null) t = tracker.newTable();
        if (v.seq <= t.lastSeq) {
            outOfOrder.inc();
            return;
        }
        t.lastSeq = v.seq;
        tracker.step(t, v.boxes == null ? NO_BOXES : v.boxes);
        table.update(t);
        malformed.inc(tracker.malformed());
        truncated.inc(tracker.truncated());
        droppedBirths.inc(tracker.droppedBirths());
        TrackedFrame f = new TrackedFrame();
        f.cameraId = v.cameraId;
        f.seq = v.seq;
        f.timestampMillis = v.timestampMillis;
        f.trackIds = Arrays.copyOf(tracker.ids(), tracker.visible());
        f.boxes = Arrays.copyOf(tracker.boxes(), 4 * tracker.visible());
        f.alive = tracker.alive();
        out.collect(f);
    }
}
