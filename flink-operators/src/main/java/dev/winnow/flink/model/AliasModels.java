package dev.winnow.flink.model;

import dev.winnow.flink.types.ModelUpdate;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;

/**
 * One subtask's models of a per-key scorer ({@link KeyAliases}): the default alias's model and one per
 * alias a key follows (keys that name the same alias share it). A key whose alias has no loadable
 * version is served by the default model, with one warning per key; the keys warned about are the
 * operator's {@link KeyAliases.Warned}, so the warning survives a restore. Built in the operator's
 * {@code open()}; task thread only.
 */
public final class AliasModels<S extends ServingModel> implements PerKeyModels<S> {
    private final String defaultKey;
    private final String noun;
    private final String instead;
    private final Logger log;
    private final SwappableModel<S> fallback;
    private final Map<String, SwappableModel<S>> byAlias = new LinkedHashMap<>();
    private final Map<String, SwappableModel<S>> byKey = new HashMap<>();
    private final Set<String> warned;

    /**
     * Opens the default alias and every key's alias. {@code winnow} is the operator's metric group:
     * each key alias gets its own {@code alias} subgroup, as its counters would otherwise collide by name.
     *
     * @param log     the operator's logger, for the warnings
     * @param instead what the warning says happens meanwhile, before the default model's key ("scoring it with")
     */
    public AliasModels(KeyAliases aliases, boolean swapOnCheckpoint, SwappableModel.Loader<S> loader, MetricGroup winnow,
                       Set<String> warned, Logger log, String instead) throws Exception {
        RegistryConnection registry = aliases.registry();
        String modelName = aliases.modelName();
        this.defaultKey = modelName + "@" + aliases.defaultAlias();
        this.noun = aliases.noun();
        this.instead = instead;
        this.log = log;
        this.warned = warned;
        this.fallback = new SwappableModel<>(registry, modelName, aliases.defaultAlias(), swapOnCheckpoint, loader, winnow);
        byAlias.put(aliases.defaultAlias(), fallback);
        for (Map.Entry<String, String> e : aliases.byKey().entrySet()) {
            SwappableModel<S> m = byAlias.get(e.getValue());
            if (m == null) {
                MetricGroup g = winnow.addGroup("alias", e.getValue());
                m = new SwappableModel<>(registry, modelName, e.getValue(), swapOnCheckpoint, loader, g, true);
                ServingGauges.register(g, m::current);
                byAlias.put(e.getValue(), m);
            }
            byKey.put(e.getKey(), m);
        }
    }

    /** The default alias's model (the one keys without an alias of their own follow). */
    @Override
    public SwappableModel<S> fallback() {
        return fallback;
    }

    /** Every alias's model, the default one first. */
    public Collection<SwappableModel<S>> all() {
        return Collections.unmodifiableCollection(byAlias.values());
    }

    /**
     * The model {@code key}'s alias serves now, or the default one when the key has no alias of its
     * own or its alias has no loadable version yet (that is warned about once per key).
     */
    @Override
    public S serving(String key, ReadOnlyBroadcastState<String, ModelUpdate> versions) throws Exception {
        SwappableModel<S> own = byKey.get(key);
        if (own != null) {
            S s = own.servingOrNull(versions);
            if (s != null) return s;
            if (warned.add(key)) {
                Exception why = own.openFailure();
                log.warn("{} {}: {} has no loadable version ({}); {} {} until the alias has one",
                        noun, key, own.key(), why == null ? "none named yet" : why.getMessage(), instead, defaultKey);
            }
        }
        return fallback.serving(versions);
    }

    /** An update from the registry feed: each alias takes only its own (SwappableModel filters by name and alias). */
    @Override
    public void onUpdate(BroadcastState<String, ModelUpdate> state, ModelUpdate u) throws Exception {
        for (SwappableModel<S> m : byAlias.values()) m.onUpdate(state, u);
    }

    /** The checkpoint barrier: with swapOnCheckpoint, every alias whose update arrived since the last one switches here. */
    public void barrier(long checkpointId) throws InterruptedException {
        for (SwappableModel<S> m : byAlias.values()) m.barrier(checkpointId);
    }

    @Override
    public void close() {
        for (SwappableModel<S> m : byAlias.values()) m.close();
    }
}
