package dev.winnow.flink.sensor;

import dev.winnow.flink.model.AliasedModel;
import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.ServingModel;
import dev.winnow.flink.model.SwappableModel;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * What a per-group sensor operator ({@link PerGroupSensorClassifier}, {@link PerGroupFastGrnn}) follows:
 * the default alias of a model, the sensor groups and the alias each named group follows. The operators
 * differ in what they serve and in their base class, so they hold this (serializable, built by their
 * builders through {@link Builder}) and open their {@link GroupModels} from it.
 */
final class GroupAliases implements Serializable {
    private static final long serialVersionUID = 1L;

    private final RegistryConnection registry;
    private final String modelName;
    private final String defaultAlias;
    private final SensorGroups groups;
    private final HashMap<String, String> byGroup;

    private GroupAliases(Builder b, AliasedModel ref) {
        this.registry = b.registry;
        this.modelName = ref.name();
        this.defaultAlias = ref.alias();
        this.groups = b.groups;
        this.byGroup = new HashMap<>(b.byGroup);
    }

    /** The model name every alias belongs to (what the registry feed should be filtered to). */
    String modelName() {
        return modelName;
    }

    /** One subtask's models, from its {@code open()}; {@code warned} is the operator's {@link WarnedGroups#groups()}. */
    <S extends ServingModel> GroupModels<S> open(boolean swapOnCheckpoint, SwappableModel.Loader<S> loader, MetricGroup winnow, Set<String> warned)
            throws Exception {
        return new GroupModels<>(registry, modelName, defaultAlias, byGroup, groups, swapOnCheckpoint, loader, winnow, warned);
    }

    /**
     * The groups already warned about, in operator state (a union list, so a restore or rescale does not
     * repeat a warning). Restored in {@code initializeState}, before {@code open}; task thread only.
     */
    static final class WarnedGroups {
        private final ListState<String> state;
        private final Set<String> groups = new HashSet<>();

        private WarnedGroups(ListState<String> state) {
            this.state = state;
        }

        static WarnedGroups restore(FunctionInitializationContext ctx, ListStateDescriptor<String> descriptor) throws Exception {
            WarnedGroups w = new WarnedGroups(ctx.getOperatorStateStore().getUnionListState(descriptor));
            for (String group : w.state.get()) w.groups.add(group);
            return w;
        }

        Set<String> groups() {
            return groups;
        }

        void snapshot() throws Exception {
            state.update(new ArrayList<>(groups));
        }
    }

    /** The part of the operators' builders that names the aliases; its mistakes are reported by {@link #build}. */
    static final class Builder {
        private final RegistryConnection registry;
        private final String model;
        private SensorGroups groups = SensorGroups.none();
        private final Map<String, String> byGroup = new LinkedHashMap<>();
        private final List<String> errors = new ArrayList<>();

        /** @param model the default reference, {@code name@alias}: what sensors without a group alias follow */
        Builder(RegistryConnection registry, String model) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.model = Objects.requireNonNull(model, "model");
        }

        void groups(SensorGroups groups) {
            this.groups = Objects.requireNonNull(groups, "groups");
        }

        void group(String group, String alias) {
            if (group == null || group.isBlank()) {
                errors.add("a group alias needs a group, got '" + group + "'");
            } else if (byGroup.containsKey(group)) {
                errors.add("group " + group + " has two aliases: " + byGroup.get(group) + " and " + alias);
            } else {
                byGroup.put(group, alias);
            }
        }

        /** {@code group=alias} specs, as the jobs' {@code --group-alias} flag takes them. */
        void groupAliases(List<String> specs) {
            for (String spec : specs) {
                int eq = spec.indexOf('=');
                if (eq <= 0 || eq == spec.length() - 1) errors.add("--group-alias expects group=alias, got '" + spec + "'");
                else group(spec.substring(0, eq), spec.substring(eq + 1));
            }
        }

        /** Adds every mistake to {@code problems}; null when there is one. */
        GroupAliases build(List<String> problems) {
            int before = problems.size();
            problems.addAll(errors);
            AliasedModel ref = AliasedModel.parse(model, problems);
            AliasedModel.checkAliases(byGroup.values(), problems);
            return problems.size() > before || ref == null ? null : new GroupAliases(this, ref);
        }
    }
}
