package dev.winnow.flink.model;

import dev.winnow.flink.types.ModelUpdate;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;

/**
 * What a {@link PerKeyFunction} asks of its models, however its keys map to aliases ({@link AliasModels}
 * a key straight to its alias, a sensor operator's models a sensor through its group): the model that
 * serves a key, the registry feed's updates, and closing. Called on the task thread only.
 */
public interface PerKeyModels<S extends ServingModel> {
    /** The default alias's model (the one keys without an alias of their own follow). */
    SwappableModel<S> fallback();

    /**
     * The model {@code key}'s alias serves now, or the default alias's when the key has none or its
     * alias has no loadable version yet.
     */
    S serving(String key, ReadOnlyBroadcastState<String, ModelUpdate> versions) throws Exception;

    /** An update from the registry feed: each alias takes only its own. */
    void onUpdate(BroadcastState<String, ModelUpdate> state, ModelUpdate u) throws Exception;

    /** Stops every alias's loader; the models serve no more. */
    void close();
}
