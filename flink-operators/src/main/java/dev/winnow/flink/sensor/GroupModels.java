package dev.winnow.flink.sensor;

import dev.winnow.flink.model.AliasModels;
import dev.winnow.flink.model.KeyAliases;
import dev.winnow.flink.model.PerKeyModels;
import dev.winnow.flink.model.ServingModel;
import dev.winnow.flink.model.SwappableModel;
import dev.winnow.flink.types.ModelUpdate;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subtask's models of a per-group sensor operator ({@link PerGroupSensorClassifier},
 * {@link PerGroupFastGrnn}): the {@link AliasModels} of the group aliases, which group each sensor is
 * in (looked up once per sensor), and the groups already warned about. The models' own state is the
 * broadcast state, which the operator restores; the warned groups are operator state (a union list, so
 * a restore or rescale does not repeat a warning). Restored in the operator's
 * {@code initializeState()}, its models opened in {@code open()}; task thread only.
 */
final class GroupModels<S extends ServingModel> implements PerKeyModels<S> {
    private static final Logger LOG = LoggerFactory.getLogger(GroupModels.class);

    private final KeyAliases.Warned warned;
    private SensorGroups groups;
    private AliasModels<S> models;
    /** Sensor → its group ("" for none), so a reading costs one lookup, not a prefix cut. */
    private final Map<String, String> groupOf = new HashMap<>();

    private GroupModels(KeyAliases.Warned warned) {
        this.warned = warned;
    }

    /** The groups already warned about, from the operator state under {@code warnedState}; no models yet. */
    static <S extends ServingModel> GroupModels<S> restore(FunctionInitializationContext ctx, ListStateDescriptor<String> warnedState) throws Exception {
        return new GroupModels<>(KeyAliases.Warned.restore(ctx, warnedState));
    }

    /** Opens the default alias's model and every group alias's. */
    void open(KeyAliases aliases, SensorGroups groups, boolean swapOnCheckpoint, SwappableModel.Loader<S> loader, MetricGroup winnow) throws Exception {
        this.groups = groups;
        this.models = new AliasModels<>(aliases, swapOnCheckpoint, loader, winnow, warned.keys(), LOG, "serving its sensors with");
    }

    /** The default alias's model (the one sensors without a group alias follow). */
    @Override
    public SwappableModel<S> fallback() {
        return models.fallback();
    }

    /**
     * The model the sensor's group serves now, or the default one when the group has no alias or its
     * alias has no loadable version yet (that is warned about once per group).
     */
    @Override
    public S serving(String sensor, ReadOnlyBroadcastState<String, ModelUpdate> versions) throws Exception {
        String group = groupOf.get(sensor);
        if (group == null) {
            String g = groups.group(sensor);
            group = g == null ? "" : g;
            groupOf.put(sensor, group);
        }
        return models.serving(group, versions);
    }

    @Override
    public void onUpdate(BroadcastState<String, ModelUpdate> state, ModelUpdate u) throws Exception {
        models.onUpdate(state, u);
    }

    /** The checkpoint barrier: with swapOnCheckpoint every alias whose update arrived since the last one switches here; and the warned groups are saved. */
    void snapshot(long checkpointId) throws Exception {
        if (models != null) models.barrier(checkpointId);
        warned.snapshot();
    }

    @Override
    public void close() {
        if (models != null) models.close();
    }
}
