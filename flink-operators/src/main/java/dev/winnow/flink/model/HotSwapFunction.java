package dev.winnow.flink.model;

import dev.winnow.flink.types.ModelUpdate;
import java.util.function.Supplier;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A function that serves the model a registry alias points at: connect the records with the
 * registry feed's broadcast stream ({@code RegistryFeedSource#broadcast}). {@link SwappableModel}
 * does the following — broadcast state, background loads, swaps between records or at a checkpoint
 * barrier (the same checkpoint on every subtask), restore; subclasses say how a loaded model serves
 * and what a record becomes.
 */
public abstract class HotSwapFunction<IN, OUT, S extends ServingModel> extends BroadcastProcessFunction<IN, ModelUpdate, OUT>
        implements CheckpointedFunction, SwapVoting {
    private static final long serialVersionUID = 1L;

    protected final RegistryConnection registry;
    protected final String modelName;
    protected final String alias;
    protected final boolean swapOnCheckpoint;

    private transient SwappableModel<S> model;
    private transient RecordScorer<S, IN, OUT> scorer;
    private transient Ballot ballot;
    private transient ServingVersions servingVersions;

    protected HotSwapFunction(RegistryConnection registry, String modelName, String alias, boolean swapOnCheckpoint) {
        this.registry = registry;
        this.modelName = modelName;
        this.alias = alias;
        this.swapOnCheckpoint = swapOnCheckpoint;
    }

    /** How a loaded model becomes what serves; throws to refuse a version the records do not fit. */
    protected abstract SwappableModel.Loader<S> loader();

    /**
     * Called in {@code open()}: registers the function's metrics and returns how it scores a record;
     * {@code serving} is the model serving now (null before the first record).
     */
    protected abstract RecordScorer<S, IN, OUT> scorer(MetricGroup operatorGroup, Supplier<S> serving);

    @Override
    public void open(OpenContext ctx) throws Exception {
        MetricGroup group = getRuntimeContext().getMetricGroup();
        model = new SwappableModel<>(registry, modelName, alias, swapOnCheckpoint, loader(), group.addGroup("winnow"));
        if (ballot != null) model.coordinate(ballot, servingVersions == null ? null : servingVersions.restored(model));
        scorer = scorer(group, model::current);
    }

    @Override
    public void processBroadcastElement(ModelUpdate u, Context ctx, Collector<OUT> out) throws Exception {
        model.onUpdate(ctx.getBroadcastState(SwappableModel.VERSIONS), u);
    }

    @Override
    public void processElement(IN record, ReadOnlyContext ctx, Collector<OUT> out) throws Exception {
        OUT result = scorer.score(model.serving(ctx.getBroadcastState(SwappableModel.VERSIONS)), record);
        if (result != null) out.collect(result);
    }

    /** The barrier: with {@code swapOnCheckpoint}, a staged version starts serving here (see {@link SwappableModel}). */
    @Override
    public void snapshotState(FunctionSnapshotContext ctx) throws Exception {
        if (model == null) return;
        model.barrier(ctx.getCheckpointId());
        servingVersions.snapshot(java.util.List.of(model));
    }

    /** The updates are in the broadcast state, which the operator restores; here the version serving at the checkpoint. */
    @Override
    public void initializeState(FunctionInitializationContext ctx) throws Exception {
        servingVersions = new ServingVersions(ctx);
    }

    /** Under {@link CoordinatedSwap}: versions switch when the coordinator says so. */
    @Override
    public void coordinate(Ballot ballot) {
        this.ballot = ballot;
    }

    @Override
    public void decide(SwapDecision decision) {
        if (model != null) model.decide(decision);
    }

    @Override
    public void checkpointAborted(long checkpointId) {
        if (model != null) model.checkpointAborted(checkpointId);
    }

    @Override
    public void checkpointCompleted(long checkpointId) {
        if (model != null) model.checkpointCompleted(checkpointId);
    }

    @Override
    public void close() throws Exception {
        if (model != null) model.close();
    }
}
