package dev.winnow.flink.sensor;

import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.ServingGauges;
import dev.winnow.flink.model.ServingModel;
import dev.winnow.flink.model.SwappableModel;
import dev.winnow.flink.types.ModelUpdate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subtask's models of a per-group sensor operator ({@link PerGroupSensorClassifier},
 * {@link PerGroupFastGrnn}): the default alias's model and one per group alias (groups that name the
 * same alias share it), which group each sensor is in (looked up once per sensor), and the groups
 * already warned about, a set the operator keeps in union state so that one warning per group
 * survives a restore. Built in the operator's {@code open()}; task thread only.
 */
final class GroupModels<S extends ServingModel> {
    private static final Logger LOG = LoggerFactory.getLogger(GroupModels.class);

    private final String defaultKey;
    private final SensorGroups groups;
    private final SwappableModel<S> fallback;
    private final Map<String, SwappableModel<S>> byAlias = new LinkedHashMap<>();
    private final Map<String, SwappableModel<S>> byGroup = new HashMap<>();
    /** Sensor → its group ("" for none), so a reading costs one lookup, not a prefix cut. */
    private final Map<String, String> groupOf = new HashMap<>();
    private final Set<String> warned;

    /**
     * Opens the default alias and every group's alias. {@code winnow} is the operator's metric group:
     * each group alias gets its own {@code alias} subgroup, as its counters would otherwise collide by name.
     */
    GroupModels(RegistryConnection registry, String modelName, String defaultAlias, Map<String, String> groupAliases, SensorGroups groups,
                boolean swapOnCheckpoint, SwappableModel.Loader<S> loader, MetricGroup winnow, Set<String> warned) throws Exception {
        this.defaultKey = modelName + "@" + defaultAlias;
        this.groups = groups;
        this.warned = warned;
        this.fallback = new SwappableModel<>(registry, modelName, defaultAlias, swapOnCheckpoint, loader, winnow);
        byAlias.put(defaultAlias, fallback);
        for (Map.Entry<String, String> e : groupAliases.entrySet()) {
            SwappableModel<S> m = byAlias.get(e.getValue());
            if (m == null) {
                MetricGroup g = winnow.addGroup("alias", e.getValue());
                m = new SwappableModel<>(registry, modelName, e.getValue(), swapOnCheckpoint, loader, g, true);
                ServingGauges.register(g, m::current);
                byAlias.put(e.getValue(), m);
            }
            byGroup.put(e.getKey(), m);
        }
    }

    /** The default alias's model (the one sensors without a group alias follow). */
    SwappableModel<S> fallback() {
        return fallback;
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
        SwappableModel<S> own = byGroup.get(group);
        if (own != null) {
            S s = own.servingOrNull(versions);
            if (s != null) return s;
            if (warned.add(group)) {
                Exception why = own.openFailure();
                LOG.warn("group {}: {} has no loadable version ({}); serving its sensors with {} until the alias has one",
                        group, own.key(), why == null ? "none named yet" : why.getMessage(), defaultKey);
            }
        }
        return fallback.serving(versions);
    }

    /** An update from the registry feed: each alias takes only its own (SwappableModel filters by name and alias). */
    void onUpdate(BroadcastState<String, ModelUpdate> state, ModelUpdate u) throws Exception {
        for (SwappableModel<S> m : byAlias.values()) m.onUpdate(state, u);
    }

    /** The checkpoint barrier: with swapOnCheckpoint, every alias whose update arrived since the last one switches here. */
    void barrier(long checkpointId) throws InterruptedException {
        for (SwappableModel<S> m : byAlias.values()) m.barrier(checkpointId);
    }

    void close() {
        for (SwappableModel<S> m : byAlias.values()) m.close();
    }
}
