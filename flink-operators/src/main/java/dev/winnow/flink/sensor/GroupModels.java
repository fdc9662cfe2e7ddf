package dev.winnow.flink.sensor;

import dev.winnow.flink.model.AliasModels;
import dev.winnow.flink.model.KeyAliases;
import dev.winnow.flink.model.ServingModel;
import dev.winnow.flink.model.SwappableModel;
import dev.winnow.flink.types.ModelUpdate;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subtask's models of a per-group sensor operator ({@link PerGroupSensorClassifier},
 * {@link PerGroupFastGrnn}): the {@link AliasModels} of the group aliases, and which group each sensor
 * is in (looked up once per sensor). Built in the operator's {@code open()}; task thread only.
 */
final class GroupModels<S extends ServingModel> {
    private static final Logger LOG = LoggerFactory.getLogger(GroupModels.class);

    private final SensorGroups groups;
    private final AliasModels<S> models;
    /** Sensor → its group ("" for none), so a reading costs one lookup, not a prefix cut. */
    private final Map<String, String> groupOf = new HashMap<>();

    /** {@code warned} is the operator's {@link KeyAliases.Warned#keys()}: the groups warned about. */
    GroupModels(KeyAliases aliases, SensorGroups groups, boolean swapOnCheckpoint, SwappableModel.Loader<S> loader, MetricGroup winnow,
                Set<String> warned) throws Exception {
        this.groups = groups;
        this.models = new AliasModels<>(aliases, swapOnCheckpoint, loader, winnow, warned, LOG, "serving its sensors with");
    }

    /** The default alias's model (the one sensors without a group alias follow). */
    SwappableModel<S> fallback() {
        return models.fallback();
    }

    /**
     * The model the sensor's group serves now, or the default one when the group has no alias or its
     * alias has no loadable version yet (that is warned about once per group).
     */
    S serving(String sensor, ReadOnlyBroadcastState<String, ModelUpdate> versions) throws Exception {
        String group = groupOf.get(sensor);
        if (group == null) {
            String g = groups.group(sensor);
            group = g == null ? "" : g;
            groupOf.put(sensor, group);
        }
        return models.serving(group, versions);
    }

    void onUpdate(BroadcastState<String, ModelUpdate> state, ModelUpdate u) throws Exception {
        models.onUpdate(state, u);
    }

    void barrier(long checkpointId) throws InterruptedException {
        models.barrier(checkpointId);
    }

    void close() {
        models.close();
    }
}
