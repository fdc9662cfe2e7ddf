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
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    protected final RegistryConnection registry;
    protected final String modelName;
    protected final String alias;
    protected final boolean swapOnCheckpoint;

    private transient SwappableModel<S> model;
    private transient Scorer<S, IN, OUT> scorer;

    protected HotSwapFunction(RegistryConnection registry, String modelName, String alias, boolean swapOnCheckpoint) {
        this.registry = registry;
        this.modelName = modelName;
        this.alias = alias;
        this.swapOnCheckpoint = swapOnCheckpoint;
    }

    /** How a loaded model becomes what serves; throws to refuse a version the records do not fit. */
    protected abstract SwappableModel.Loader<S> loader();

    /** Scores one record with the serving model; null when the record yields nothing (dropped, counted). */
    @FunctionalInterface
    protected interface Scorer<S, IN, OUT> {
        OUT score(S serving, IN record) throws Exception;
    }

    /**
     * Called in {@code open()}: registers the function's metrics and returns how it scores a record;
     * {@code serving} is the model serving now (null before the first record).
     */
    protected abstract Scorer<S, IN, OUT> scorer(MetricGroup operatorGroup, Supplier<S> serving);

    @Override
    public void open(OpenContext ctx) throws Exception {
        MetricGroup group = getRuntimeContext().getMetricGroup();
        model = new SwappableModel<>(registry, modelName, alias, swapOnCheckpoint, loader(), group.addGroup("winnow"));
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
        if (model != null) model.barrier(ctx.getCheckpointId());
    }

    /** The model's state is the broadcast state, which the operator restores; nothing else to do. */
    @Override
    public void initializeState(FunctionInitializationContext ctx) {}

    @Override
    public void close() throws Exception {
        if (model != null) model.close();
    }
}
