package dev.winnow.flink.sensor;

import dev.winnow.flink.model.KeyAliases;
import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.ServingGauges;
import dev.winnow.flink.model.SwappableModel;
import dev.winnow.flink.types.ModelUpdate;
import dev.winnow.flink.types.RejectedReading;
import dev.winnow.flink.types.SensorPrediction;
import dev.winnow.flink.types.SensorReading;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A streaming FastGRNN per sensor group: each sensor's hidden state in keyed state, advanced one
 * reading at a time as in {@link StreamingFastGrnn}, with the model of its group ({@link SensorGroups};
 * each group named in the builder follows its own registry alias, other sensors the default alias).
 * Key the readings by sensor and connect them with the registry feed's broadcast stream. A prediction
 * after every k-th reading of a sensor names the version that made it.
 *
 * <p>A version whose input width is not the configured channel count is refused when it loads (at open
 * and on a swap) and the serving one stays; a group whose alias has no loadable version runs on the
 * default model, with one warning per group. When a sensor's model changes version, its hidden state
 * starts again from zeros (counted in {@code stateResets}): a state computed by other weights means
 * nothing to the new ones, and its width may differ. A restore puts every alias back on the version
 * of the checkpoint (broadcast state) and every sensor on its checkpointed state.
 *
 * <p>Bad readings (no id, a missing or extra channel, NaN or infinite values, a timestamp more than
 * {@link Builder#maxAhead} ahead of the task's clock) go to {@link StreamingFastGrnn#BAD},
 * a reading older than the sensor's last applied one to {@link StreamingFastGrnn#LATE}; neither touches
 * the state. Event-time windows, allowed lateness and silence are {@link StreamingFastGrnn}'s, for one model.
 */
public final class PerGroupFastGrnn extends KeyedBroadcastProcessFunction<String, SensorReading, ModelUpdate, SensorPrediction>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final ListStateDescriptor<String> WARNED = new ListStateDescriptor<>("winnow-grnn-groups-warned", String.class);

    /** One sensor's state: the hidden vector and the version that computed it. */
    public static class GroupSensorState {
        public float[] hidden;
        public int version;
        public long lastMillis = Long.MIN_VALUE;
        public long readings;

        public GroupSensorState() {}
    }

    private final KeyAliases aliases;
    private final SensorGroups groups;
    private final int channels;
    private final int everyReadings;
    private final long maxAheadMillis;

    private transient GroupModels<FastGrnnServing> models;
    private transient ValueState<GroupSensorState> state;
    private transient ReadingCounters counters;
    private transient Counter resets;
    private transient long clockMillis; // the task's clock when last read (see StreamingFastGrnn.processElement)

    private PerGroupFastGrnn(Builder b, KeyAliases aliases) {
        this.aliases = aliases;
        this.groups = b.groups;
        this.channels = b.channels;
        this.everyReadings = b.everyReadings;
        this.maxAheadMillis = b.maxAhead.toMillis();
    }

    /** @param model the default reference, {@code name@alias}: what sensors without a group alias follow */
    public static Builder builder(RegistryConnection registry, String model) {
        return new Builder(registry, model);
    }

    public String modelName() {
        return aliases.modelName();
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        MetricGroup winnow = getRuntimeContext().getMetricGroup().addGroup("winnow");
        int width = channels;
        models.open(aliases, groups, false, (m, version, serving) -> new FastGrnnServing(m, version, width), winnow);
        ServingGauges.register(winnow, models.fallback()::current);
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("fastgrnn-group-sensor", TypeInformation.of(GroupSensorState.class)));
        counters = new ReadingCounters(winnow);
        resets = winnow.counter("stateResets");
    }

    @Override
    public void processElement(SensorReading r, ReadOnlyContext ctx, Collector<SensorPrediction> out) throws Exception {
        if (r.timestampMillis - clockMillis > maxAheadMillis) clockMillis = ctx.currentProcessingTime(); // only when it could matter
        String problem = FastGrnnReadings.problem(r, channels, clockMillis, maxAheadMillis);
        if (problem != null) {
            counters.bad.inc();
            ctx.output(StreamingFastGrnn.BAD, new RejectedReading(r, RejectedReading.Kind.BAD, problem, ctx.currentWatermark()));
            return;
        }
        GroupSensorState s = state.value();
        if (s != null && r.timestampMillis < s.lastMillis) {
            counters.late.inc();
            ctx.output(StreamingFastGrnn.LATE, new RejectedReading(r, RejectedReading.Kind.LATE,
                    "timestamp " + r.timestampMillis + " is before the sensor's last applied reading at " + s.lastMillis, ctx.currentWatermark()));
            return;
        }
        FastGrnnServing m = models.serving(r.sensorId, ctx.getBroadcastState(SwappableModel.VERSIONS));
        if (s == null) s = new GroupSensorState();
        if (s.hidden == null || s.version != m.version || s.hidden.length != m.stream.hidden()) {
            if (s.hidden != null) resets.inc();
            s.hidden = new float[m.stream.hidden()];
            s.version = m.version;
        }
        m.step(r.values, s.hidden);
        s.lastMillis = r.timestampMillis;
        s.readings++;
        counters.applied.inc();
        if (s.readings % everyReadings == 0) emit(r, s, m, out);
        state.update(s);
    }

    private void emit(SensorReading r, GroupSensorState s, FastGrnnServing m, Collector<SensorPrediction> out) {
        counters.predictions.inc();
        out.collect(m.predict(s.hidden, r.sensorId, r.timestampMillis, s.readings));
    }

    @Override
    public void processBroadcastElement(ModelUpdate u, Context ctx, Collector<SensorPrediction> out) throws Exception {
        models.onUpdate(ctx.getBroadcastState(SwappableModel.VERSIONS), u);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext ctx) throws Exception {
        models.snapshot(ctx.getCheckpointId());
    }

    @Override
    public void initializeState(FunctionInitializationContext ctx) throws Exception {
        models = GroupModels.restore(ctx, WARNED);
    }

    @Override
    public void close() throws Exception {
        if (models != null) models.close();
    }

    /** Validating builder: every mistake is refused at {@link #build} with one message. */
    public static final class Builder extends GroupBuilder<Builder> {
        private int channels;
        private int everyReadings = 1;
        private java.time.Duration maxAhead = java.time.Duration.ofMinutes(5);

        private Builder(RegistryConnection registry, String model) {
            super(registry, model);
        }

        /** Values per reading; every version's input width must be the same (required). */
        public Builder channels(int n) {
            this.channels = n;
            return this;
        }

        /** A prediction after every k-th reading of a sensor (default 1). */
        public Builder everyReadings(int k) {
            this.everyReadings = k;
            return this;
        }

        /** How far ahead of the task's clock a timestamp may be before the reading is bad (default 5 min). */
        public Builder maxAhead(java.time.Duration d) {
            this.maxAhead = Objects.requireNonNull(d, "maxAhead");
            return this;
        }

        public PerGroupFastGrnn build() {
            KeyAliases named = aliases.build(problems -> {
                if (channels < 1) problems.add("channels must be at least 1, is " + channels);
                if (everyReadings < 1) problems.add("everyReadings must be at least 1, is " + everyReadings);
                if (maxAhead.isNegative()) problems.add("maxAhead must not be negative, is " + maxAhead);
            });
            return new PerGroupFastGrnn(this, named);
        }

    }
}
