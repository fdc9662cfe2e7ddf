package dev.winnow.flink.frames;

import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.SwappableModel;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ModelUpdate;
import dev.winnow.flink.types.ScoredFrame;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Scores frames with the model a registry alias points at, and follows the alias as it moves.
 *
 * <p>Model updates arrive on a broadcast stream of {@link ModelUpdate}s (see
 * {@code RegistryFeedSource}); {@link SwappableModel} keeps the alias → version mapping in
 * broadcast state, loads new versions off the record path and swaps between two records, or at a
 * completed checkpoint with {@code swapOnCheckpoint}. Every output is stamped with the version that
 * scored it. A new version whose input spec differs from the serving one is refused.
 */
public class HotSwapFrameScorer extends BroadcastProcessFunction<Frame, ModelUpdate, ScoredFrame> implements CheckpointListener {
    private static final long serialVersionUID = 1L;

    public static final MapStateDescriptor<String, ModelUpdate> VERSIONS = SwappableModel.VERSIONS;

    private final RegistryConnection registry;
    private final String modelName;
    private final String alias;
    private final String positiveLabel;
    private final boolean swapOnCheckpoint;

    private transient SwappableModel<FrameScoring> model;
    private transient FrameMetrics metrics;

    public HotSwapFrameScorer(RegistryConnection registry, String modelName, String alias, String positiveLabel, boolean swapOnCheckpoint) {
        this.registry = registry;
        this.modelName = modelName;
        this.alias = alias;
        this.positiveLabel = positiveLabel;
        this.swapOnCheckpoint = swapOnCheckpoint;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        var group = getRuntimeContext().getMetricGroup();
        model = new SwappableModel<>(registry, modelName, alias, swapOnCheckpoint, (m, version, serving) -> {
            if (serving != null && !m.inputSpec().compatibleWith(serving.model().inputSpec())) {
                throw new IllegalArgumentException("input spec " + m.inputSpec() + " differs from the serving model's " + serving.model().inputSpec());
            }
            return new FrameScoring(m, version, positiveLabel);
        }, group.addGroup("winnow"));
        metrics = new FrameMetrics(group, model::current);
    }

    @Override
    public void processBroadcastElement(ModelUpdate u, Context ctx, Collector<ScoredFrame> out) throws Exception {
        model.onUpdate(ctx.getBroadcastState(VERSIONS), u);
    }

    @Override
    public void processElement(Frame f, ReadOnlyContext ctx, Collector<ScoredFrame> out) throws Exception {
        ScoredFrame s = metrics.score(model.serving(ctx.getBroadcastState(VERSIONS)), f);
        if (s != null) out.collect(s);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (model != null) model.checkpointComplete();
    }

    @Override
    public void close() throws Exception {
        if (model != null) model.close();
    }
}
