package dev.winnow.flink.model;

import dev.winnow.flink.types.ModelUpdate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * The versions a hot-swapping function serves, in its checkpoint: with coordinated swaps a restore
 * resumes on them rather than on the newest update the broadcast state holds, which may not have been
 * decided yet. Union state, because after coordinated swaps every subtask holds the same versions and
 * a rescaled job must still find them. Task thread only.
 */
public final class ServingVersions {
    private static final ListStateDescriptor<ModelUpdate> DESCRIPTOR = new ListStateDescriptor<>("winnow-serving-versions", ModelUpdate.class);

    private final ListState<ModelUpdate> state;
    private final Map<String, ModelUpdate> restored = new HashMap<>();

    public ServingVersions(FunctionInitializationContext ctx) throws Exception {
        state = ctx.getOperatorStateStore().getUnionListState(DESCRIPTOR);
        for (ModelUpdate u : state.get()) {
            ModelUpdate seen = restored.get(u.modelName + "@" + u.alias);
            if (seen == null || u.sequence > seen.sequence) restored.put(u.modelName + "@" + u.alias, u);
        }
    }

    /** What {@code model} served at the restored checkpoint; null on a fresh start. */
    public ModelUpdate restored(SwappableModel<?> model) {
        return restored.get(model.key());
    }

    public void snapshot(Iterable<? extends SwappableModel<?>> models) throws Exception {
        List<ModelUpdate> now = new ArrayList<>();
        for (SwappableModel<?> m : models) if (m.servingUpdate() != null) now.add(m.servingUpdate());
        state.update(now);
    }
}
