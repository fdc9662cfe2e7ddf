package dev.winnow.flink.sensor;

import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.types.RejectedReading;
import dev.winnow.flink.types.SensorPrediction;
import dev.winnow.flink.types.SensorReading;
import dev.winnow.flink.types.SilentSensor;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.stream.FastGrnnStream;
import dev.winnow.runtime.format.ModelFormatException;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * A FastGRNN classifier that keeps each sensor's hidden state in keyed state and advances it by one
 * reading at a time ({@link FastGrnnStream}): O(1) per reading instead of re-running a window, and
 * the state is checkpointed and restored with the job, so a restore continues with the same bits.
 *
 * <p>Predictions: after every k-th reading of a sensor, and/or at the end of each tumbling event-time
 * window, from the state after the window's last reading. A window closes when a reading of a later
 * window arrives, or when the watermark passes its end plus the allowed lateness.
 *
 * <p>The state is a recurrence, so it takes a sensor's readings in event-time order. A reading is
 * <b>late</b>, counted ({@code readingsLate}) and sent to {@link #LATE} with the reason, when its
 * timestamp plus the allowed lateness is at or behind the watermark, or when it is older than the
 * sensor's last applied reading. A <b>bad</b> reading ({@code readingsBad}, {@link #BAD}): no sensor
 * id, a missing or extra channel, a NaN or infinite value, or a timestamp more than the configured
 * span ahead of the task's clock. Neither kind touches the sensor's state. A sensor with no reading for
 * the configured span of event time is reported once on {@link #SILENT} ({@code sensorsSilent}); the
 * end of a bounded input (the final watermark) is not silence. Silence is event time, so it shows while
 * the watermark moves: readings of other sensors move it; when every sensor of a source split stops,
 * nothing moves it unless the watermark strategy declares the split idle.
 *
 * <p>Per reading, after a sensor's first, nothing is allocated: the state object is updated in place
 * (the heap backend copies it only when a running checkpoint still holds it), the scratch belongs to
 * the function, and the silence timer is registered once per silence span, not per reading
 * (a timer that finds a newer reading re-arms itself at that reading's deadline).
 */
public class StreamingFastGrnn extends KeyedProcessFunction<String, SensorReading, SensorPrediction> {
    private static final long serialVersionUID = 1L;
    private static final long NONE = Long.MIN_VALUE;

    public static final OutputTag<RejectedReading> LATE = new OutputTag<>("late-readings", TypeInformation.of(RejectedReading.class));
    public static final OutputTag<RejectedReading> BAD = new OutputTag<>("bad-readings", TypeInformation.of(RejectedReading.class));
    public static final OutputTag<SilentSensor> SILENT = new OutputTag<>("silent-sensors", TypeInformation.of(SilentSensor.class));

    /** One sensor's state: the hidden vector and the bookkeeping of its windows and silence timer. */
    public static class SensorState {
        public float[] hidden;
        public long lastMillis = NONE;
        public long readings;
        /** End of the open window, NONE when none is open. */
        public long windowEnd = NONE;
        /** The pending silence timer, NONE when none is registered. */
        public long silenceTimer = NONE;
        /** Reported silent and not heard from since. */
        public boolean silent;

        public SensorState() {}
    }

    private final ModelSource source;
    private final int channels;
    private final int everyReadings;
    private final long windowMillis;
    private final long latenessMillis;
    private final long silenceMillis;
    private final long maxAheadMillis;

    private transient FastGrnnServing model;
    private transient ValueState<SensorState> state;
    private transient ReadingCounters counters;
    private transient Counter silentSensors;
    private transient long clockMillis; // the task's clock when last read (see processElement)

    private StreamingFastGrnn(Builder b) {
        this.source = b.source;
        this.channels = b.channels;
        this.everyReadings = b.everyReadings;
        this.windowMillis = b.window == null ? 0 : b.window.toMillis();
        this.latenessMillis = b.allowedLateness.toMillis();
        this.silenceMillis = b.silenceAfter == null ? 0 : b.silenceAfter.toMillis();
        this.maxAheadMillis = b.maxAhead.toMillis();
    }

    public static Builder builder(ModelSource model) {
        return new Builder(model);
    }

    /**
     * Keys {@code readings} by sensor (a reading without an id goes to the {@link #BAD} output) and
     * applies this function as an operator with {@code uid}.
     */
    public SingleOutputStreamOperator<SensorPrediction> applyTo(DataStream<SensorReading> readings, String uid) {
        return readings.keyBy(StreamingFastGrnn::key).process(this).uid(uid).name("fastgrnn " + uid);
    }

    static String key(SensorReading r) {
        return r.sensorId == null ? "" : r.sensorId;
    }

    /** The model's stream, refused when its input width is not the configured channel count. */
    static FastGrnnStream load(Model m, int channels) throws ModelFormatException {
        FastGrnnStream s = FastGrnnStream.of(m);
        if (s.channels() != channels) {
            throw new IllegalArgumentException("model " + m.name() + " reads " + s.channels() + " channels per reading, the sensors send " + channels);
        }
        return s;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        model = new FastGrnnServing(source.load(), source.version(), channels);
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("fastgrnn-sensor", TypeInformation.of(SensorState.class)));
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("winnow");
        counters = new ReadingCounters(g);
        silentSensors = g.counter("sensorsSilent");
    }

    @Override
    public void processElement(SensorReading r, Context ctx, Collector<SensorPrediction> out) throws Exception {
        long wm = ctx.timerService().currentWatermark();
        // the clock is read only when a reading looks too far ahead of its last value: it moves forward, so a
        // reading within reach of an earlier value is within reach of the current one, and the read costs more
        // than the rest of the check together
        if (r.timestampMillis - clockMillis > maxAheadMillis) clockMillis = ctx.timerService().currentProcessingTime();
        String problem = FastGrnnReadings.problem(r, channels, clockMillis, maxAheadMillis);
        if (problem != null) {
            counters.bad.inc();
            ctx.output(BAD, new RejectedReading(r, RejectedReading.Kind.BAD, problem, wm));
            return;
        }
        long ts = r.timestampMillis;
        if (wm != NONE && ts <= wm - latenessMillis) {
            reject(ctx, r, "timestamp " + ts + " is " + (wm - ts) + " ms behind the watermark " + wm + " (allowed lateness " + latenessMillis + " ms)", wm);
            return;
        }
        SensorState s = state.value();
        if (s != null && ts < s.lastMillis) {
            reject(ctx, r, "timestamp " + ts + " is before the sensor's last applied reading at " + s.lastMillis, wm);
            return;
        }
        if (s == null) {
            s = new SensorState();
            s.hidden = new float[model.stream.hidden()];
        }
        if (windowMillis > 0) {
            if (s.windowEnd != NONE && ts >= s.windowEnd) {
                emitWindow(r.sensorId, s, out);
                long timer = closeTimer(s.windowEnd);
                if (timer != s.silenceTimer) ctx.timerService().deleteEventTimeTimer(timer);
                s.windowEnd = NONE;
            }
            if (s.windowEnd == NONE) {
                s.windowEnd = Math.floorDiv(ts, windowMillis) * windowMillis + windowMillis;
                ctx.timerService().registerEventTimeTimer(closeTimer(s.windowEnd));
            }
        }
        model.step(r.values, s.hidden);
        s.lastMillis = ts;
        s.readings++;
        s.silent = false;
        counters.applied.inc();
        if (everyReadings > 0 && s.readings % everyReadings == 0) emit(r.sensorId, ts, -1, -1, s, out);
        if (silenceMillis > 0 && s.silenceTimer == NONE) {
            s.silenceTimer = ts + silenceMillis;
            ctx.timerService().registerEventTimeTimer(s.silenceTimer);
        }
        state.update(s);
    }

    private void reject(Context ctx, SensorReading r, String reason, long wm) {
        counters.late.inc();
        ctx.output(LATE, new RejectedReading(r, RejectedReading.Kind.LATE, reason, wm));
    }

    /** The event-time timer that closes the window ending at {@code end}: its last millisecond plus the lateness. */
    private long closeTimer(long end) {
        return end - 1 + latenessMillis;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SensorPrediction> out) throws Exception {
        SensorState s = state.value();
        if (s == null) return;
        String sensor = ctx.getCurrentKey();
        if (windowMillis > 0 && s.windowEnd != NONE && timestamp == closeTimer(s.windowEnd)) {
            emitWindow(sensor, s, out);
            s.windowEnd = NONE;
        }
        if (silenceMillis > 0 && timestamp == s.silenceTimer) {
            s.silenceTimer = NONE;
            long deadline = s.lastMillis + silenceMillis;
            long wm = ctx.timerService().currentWatermark();
            if (deadline > timestamp) {
                s.silenceTimer = deadline;           // heard from since the timer was set: wait for the new deadline
                ctx.timerService().registerEventTimeTimer(deadline);
            } else if (!s.silent && wm != Long.MAX_VALUE) { // the final watermark of a bounded input is not silence
                s.silent = true;
                silentSensors.inc();
                ctx.output(SILENT, new SilentSensor(sensor, s.lastMillis, deadline, wm));
            }
        }
        state.update(s);
    }

    private void emitWindow(String sensor, SensorState s, Collector<SensorPrediction> out) {
        emit(sensor, s.windowEnd - 1, s.windowEnd - windowMillis, s.windowEnd, s, out);
    }

    private void emit(String sensor, long ts, long windowStart, long windowEnd, SensorState s, Collector<SensorPrediction> out) {
        SensorPrediction p = model.predict(s.hidden, sensor, ts, s.readings);
        p.windowStartMillis = windowStart;
        p.windowEndMillis = windowEnd;
        counters.predictions.inc();
        out.collect(p);
    }

    /**
     * The operator's settings; {@link #build} checks every rule, and loads the model once to refuse one
     * whose input width is not {@link #channels}. Serializable, so a job can carry a half-set builder.
     */
    public static final class Builder implements Serializable {
        private static final long serialVersionUID = 1L;

        private final ModelSource source;
        private int channels;
        private int everyReadings;
        private Duration window;
        private Duration allowedLateness = Duration.ZERO;
        private Duration silenceAfter;
        private Duration maxAhead = Duration.ofMinutes(5);

        private Builder(ModelSource source) {
            this.source = source;
        }

        /** Values per reading; the model's input width must be the same. */
        public Builder channels(int n) { this.channels = n; return this; }
        /** A prediction after every {@code k}-th reading of a sensor; 0 for none. */
        public Builder everyReadings(int k) { this.everyReadings = k; return this; }
        /** A prediction at the end of each tumbling event-time window of this length; null for none. */
        public Builder window(Duration length) { this.window = length; return this; }
        /** How far behind the watermark a reading may still be applied (default 0). */
        public Builder allowedLateness(Duration d) { this.allowedLateness = d; return this; }
        /** Report a sensor that sends nothing for this span of event time; null for no silence detection. */
        public Builder silenceAfter(Duration d) { this.silenceAfter = d; return this; }
        /** How far ahead of the task's clock a timestamp may be before the reading is bad (default 5 min). */
        public Builder maxAhead(Duration d) { this.maxAhead = d; return this; }

        /** The function; IllegalArgumentException with one line per broken rule. */
        public StreamingFastGrnn build() {
            List<String> errors = new ArrayList<>();
            if (source == null) errors.add("a model source is required");
            if (channels < 1) errors.add("channels must be at least 1, is " + channels);
            if (everyReadings < 0) errors.add("everyReadings must be >= 0, is " + everyReadings);
            if (window != null && window.toMillis() < 1) errors.add("window must be at least 1 ms, is " + window);
            if (everyReadings == 0 && window == null) errors.add("no predictions: set everyReadings > 0 and/or a window");
            if (allowedLateness == null || allowedLateness.isNegative()) errors.add("allowedLateness must be >= 0, is " + allowedLateness);
            if (silenceAfter != null && silenceAfter.toMillis() < 1) errors.add("silenceAfter must be at least 1 ms, is " + silenceAfter);
            if (maxAhead == null || maxAhead.toMillis() < 1) errors.add("maxAhead must be at least 1 ms, is " + maxAhead);
            if (errors.isEmpty()) {
                try {
                    load(source.load(), channels);
                } catch (IOException | ModelFormatException | IllegalArgumentException e) {
                    errors.add(e.getMessage());
                }
            }
            if (!errors.isEmpty()) throw new IllegalArgumentException(String.join("; ", errors));
            return new StreamingFastGrnn(this);
        }
    }
}
