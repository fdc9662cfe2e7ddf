package dev.winnow.flink.sensor;

import dev.winnow.flink.model.KeyAliases;
import dev.winnow.flink.model.PerKeyFunction;
import dev.winnow.flink.model.PerKeyModels;
import dev.winnow.flink.model.RecordScorer;
import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.SwappableModel;
import dev.winnow.flink.types.FeatureVector;
import dev.winnow.flink.types.SensorEvent;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;

/**
 * Classifies feature windows with a model per sensor group: {@link SensorGroups} says which group
 * a sensor is in, and each group named in the builder follows its own registry alias of the model;
 * sensors of other groups, or of none, follow the default alias. A group's model swaps when its
 * alias moves; the other groups are not affected. Connect the windows with the registry feed's
 * broadcast stream, as for {@link HotSwapSensorClassifier}. Every event names the model version
 * that scored it.
 *
 * <p>Every model must take the feature count the job's windows have ({@link Builder#features}): a
 * version of another width is refused when it loads, at open as on a swap, and the version serving
 * the group keeps serving (a group whose alias never had a loadable version is on the default model).
 *
 * <p>Each alias is one {@link SwappableModel}, its updates and history in the shared broadcast state
 * under {@code name@alias}, so a restore puts every group back on the version its alias served at the
 * checkpoint. A group whose alias has no loadable version is scored with the default model and the
 * job logs one warning per group (operator state, a union list, so a restore or rescale does not
 * repeat it). Unlike {@code PerCameraFrameScorer} this function does not take part in coordinated
 * swaps ({@code CoordinatedSwap}); with {@link Builder#swapOnCheckpoint} every subtask switches at its
 * next barrier after the version has loaded there.
 *
 * <p>Not thread safe: one per subtask, called on the task thread.
 */
public final class PerGroupSensorClassifier extends PerKeyFunction<FeatureVector, SensorEvent, SensorScoring> {
    private static final long serialVersionUID = 1L;
    private static final ListStateDescriptor<String> WARNED = new ListStateDescriptor<>("winnow-groups-warned", String.class);

    private final SensorGroups groups;
    private final Set<String> relevant;
    private final int features;
    private final boolean swapOnCheckpoint;

    private transient GroupModels<SensorScoring> models;

    private PerGroupSensorClassifier(Builder b, KeyAliases aliases) {
        super(aliases, v -> v.sensorId);
        this.groups = b.groups;
        this.relevant = Set.copyOf(b.relevant);
        this.features = b.features;
        this.swapOnCheckpoint = b.swapOnCheckpoint;
    }

    /** @param model the default reference, {@code name@alias}: what sensors without a group alias follow */
    public static Builder builder(RegistryConnection registry, String model) {
        return new Builder(registry, model);
    }

    /** Refuses a version whose input width is not the windows' feature count, whatever serves now. */
    static SwappableModel.Loader<SensorScoring> loader(int features, Set<String> relevant) {
        return (m, version, serving) -> {
            SensorScoring next = new SensorScoring(m, version, relevant);
            if (next.featureCount() != features) {
                throw new IllegalArgumentException(m.name() + " v" + version + " takes " + next.featureCount() + " features, the windows have " + features);
            }
            return next;
        };
    }

    @Override
    protected PerKeyModels<SensorScoring> openModels(MetricGroup winnow) throws Exception {
        models.open(aliases, groups, swapOnCheckpoint, loader(features, relevant), winnow);
        return models;
    }

    @Override
    protected RecordScorer<SensorScoring, FeatureVector, SensorEvent> scorer(MetricGroup operatorGroup, Supplier<SensorScoring> fallback) {
        return new SensorMetrics(operatorGroup, fallback)::score;
    }

    /** The barrier: with swapOnCheckpoint, every alias whose update arrived since the last one switches here. */
    @Override
    public void snapshotState(FunctionSnapshotContext ctx) throws Exception {
        models.snapshot(ctx.getCheckpointId());
    }

    @Override
    public void initializeState(FunctionInitializationContext ctx) throws Exception {
        models = GroupModels.restore(ctx, WARNED);
    }

    /** Validating builder: every mistake is refused at {@link #build} with one message. */
    public static final class Builder extends GroupBuilder<Builder> {
        private Set<String> relevant;
        private int features;
        private boolean swapOnCheckpoint;

        private Builder(RegistryConnection registry, String model) {
            super(registry, model);
        }

        /** Labels whose windows travel on (required, at least one). */
        public Builder relevant(Set<String> labels) {
            this.relevant = Set.copyOf(labels);
            return this;
        }

        /** Features per window; every model version must take exactly this many (required). */
        public Builder features(int n) {
            this.features = n;
            return this;
        }

        /** Swap at the next checkpoint barrier (default: as soon as loaded). */
        public Builder swapOnCheckpoint(boolean onCheckpoint) {
            this.swapOnCheckpoint = onCheckpoint;
            return this;
        }

        public PerGroupSensorClassifier build() {
            KeyAliases named = aliases.build(problems -> {
                if (relevant == null || relevant.isEmpty()) problems.add("at least one relevant label is required");
                if (features < 1) problems.add("features must be >= 1, got " + features);
            });
            return new PerGroupSensorClassifier(this, named);
        }

    }
}
