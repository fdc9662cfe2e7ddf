package dev.winnow.flink.central;

import dev.winnow.flink.types.AdaptRequest;
import dev.winnow.flink.types.RecallEstimate;
import dev.winnow.flink.types.TeacherAnswer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per camera (keyed by camera id), the edge's person-frame recall from the teacher's verdicts on the
 * sampled dropped frames ({@link RecallEstimator}: Wilson interval of the miss rate, mapped through
 * the recall). Every sample updates the camera's counts (checkpointed keyed state) and emits a
 * {@link RecallEstimate}.
 *
 * <p>Flagging: by default a camera is flagged when the <b>upper</b> bound of its 95 % interval falls
 * under the floor, i.e. when the samples show with 95 % confidence that its recall is under the floor.
 * Adapting a camera costs minutes of CPU and a model swap, so a flag should not come from a handful of
 * samples: at 1 % sampling a single early miss puts the point estimate far under any floor while the
 * interval still reaches above it. {@link Rule#POINT} flags on the point estimate instead (earlier,
 * noisier). On the flag the function logs one line, counts {@code camerasFlagged}, and emits an
 * {@link AdaptRequest} to {@link #ADAPT_REQUESTS}; it does so again only after the camera has come
 * back over the floor.
 *
 * <p>Metrics per camera (group {@code winnow.camera.<id>}): gauges {@code recallEstimate},
 * {@code recallLower}, {@code recallUpper} (NaN before the first sample), {@code recallSamples},
 * {@code recallMisses} and {@code recallFlagged} (1 or 0). The gauges read a per-subtask cache of
 * the keyed state; after a restore they show NaN until the camera's next sample.
 *
 * <p>Not thread safe: one instance per subtask; the gauges are read by the metric reporter thread,
 * which only reads the cached estimates' fields.
 */
public final class RecallMonitor extends KeyedProcessFunction<String, TeacherAnswer, RecallEstimate> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RecallMonitor.class);

    public static final OutputTag<AdaptRequest> ADAPT_REQUESTS = new OutputTag<>("adapt-requests") {};

    /** Which figure is compared with the floor. */
    public enum Rule { UPPER, POINT }

    /** A camera's counts; keyed state. A Flink POJO. */
    public static class Counts {
        public long samples, misses, dropped, kept;
        public boolean flagged;

        public Counts() {}
    }

    private final double floor;
    private final Rule rule;
    private transient ValueState<Counts> state;
    private transient Map<String, RecallEstimate> latest;
    private transient Counter flaggedCounter;

    public RecallMonitor(double floor, Rule rule) {
        if (!(floor > 0 && floor <= 1)) throw new IllegalArgumentException("the recall floor must be in (0, 1], is " + floor);
        if (rule == null) throw new IllegalArgumentException("a flag rule (upper or point) is required");
        this.floor = floor;
        this.rule = rule;
    }

    @Override
    public void open(OpenContext ctx) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("recall-counts", Counts.class));
        latest = new HashMap<>();
        flaggedCounter = getRuntimeContext().getMetricGroup().addGroup("winnow").counter("camerasFlagged");
    }

    @Override
    public void processElement(TeacherAnswer a, Context ctx, Collector<RecallEstimate> out) throws Exception {
        if (!a.sample) return;
        String camera = ctx.getCurrentKey();
        Counts c = state.value();
        if (c == null) c = new Counts();
        c.samples++;
        if (a.verdict.count > 0) c.misses++;
        // the totals grow; requests may arrive out of order across partitions, so keep the largest
        c.dropped = Math.max(c.dropped, a.edgeDropped);
        c.kept = Math.max(c.kept, a.edgeKept);
        double[] r = RecallEstimator.estimate(c.kept, c.dropped, c.samples, c.misses);
        double judged = rule == Rule.UPPER ? r[2] : r[0];
        boolean under = judged < floor;
        RecallEstimate e = latest.computeIfAbsent(camera, this::register);
        e.cameraId = camera;
        e.timestampMillis = a.verdict.timestampMillis;
        e.samples = c.samples;
        e.misses = c.misses;
        e.dropped = c.dropped;
        e.kept = c.kept;
        e.recall = r[0];
        e.lower = r[1];
        e.upper = r[2];
        e.flagged = under;
        if (under && !c.flagged) {
            flaggedCounter.inc();
            AdaptRequest req = new AdaptRequest();
            req.cameraId = camera;
            req.timestampMillis = a.verdict.timestampMillis;
            req.recall = r[0];
            req.lower = r[1];
            req.upper = r[2];
            req.floor = floor;
            req.samples = c.samples;
            req.misses = c.misses;
            req.studentModel = a.studentModel + ":" + a.studentVersion;
            req.reason = String.format(Locale.ROOT, "estimated recall %.4f [%.4f, %.4f] (%s) under the floor %.4f: %d of %d sampled dropped frames show a person",
                    r[0], r[1], r[2], rule == Rule.UPPER ? "upper bound" : "point estimate", floor, c.misses, c.samples);
            LOG.warn("camera {} flagged for adaptation: {}", camera, req.reason);
            ctx.output(ADAPT_REQUESTS, req);
        } else if (!under && c.flagged) {
            LOG.info("camera {} back over the recall floor {}: {}", camera, floor, e);
        }
        c.flagged = under;
        state.update(c);
        out.collect(e.copy());
    }

    private RecallEstimate register(String camera) {
        RecallEstimate e = new RecallEstimate();
        e.recall = e.lower = e.upper = Double.NaN;
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("winnow").addGroup("camera", camera);
        g.gauge("recallEstimate", (Gauge<Double>) () -> e.recall);
        g.gauge("recallLower", (Gauge<Double>) () -> e.lower);
        g.gauge("recallUpper", (Gauge<Double>) () -> e.upper);
        g.gauge("recallSamples", (Gauge<Long>) () -> e.samples);
        g.gauge("recallMisses", (Gauge<Long>) () -> e.misses);
        g.gauge("recallFlagged", (Gauge<Integer>) () -> e.flagged ? 1 : 0);
        return e;
    }

}
