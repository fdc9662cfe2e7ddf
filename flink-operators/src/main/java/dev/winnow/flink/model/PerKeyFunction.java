package dev.winnow.flink.model;

import dev.winnow.flink.types.ModelUpdate;
import java.util.function.Supplier;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A function that scores each record with the model its key's registry alias serves ({@link KeyAliases}),
 * as {@link HotSwapFunction} does with one alias: connect the records with the registry feed's broadcast
 * stream ({@code RegistryFeedSource#broadcast}). The per-camera and per-group scorers differ only in
 * which key a record has, how their models open and how a record is scored; the record side, the
 * broadcast side and closing are done here. What a checkpoint keeps (the barrier, the keys already
 * warned about) stays with the subclass, as its models hold it.
 *
 * <p>Not thread safe: one per subtask, called on the task thread (loads run on each alias's loader
 * thread, see {@link SwappableModel}).
 */
public abstract class PerKeyFunction<IN, OUT, S extends ServingModel> extends BroadcastProcessFunction<IN, ModelUpdate, OUT>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    protected final KeyAliases aliases;
    private final KeySelector<IN, String> keyOf;

    private transient PerKeyModels<S> models;
    private transient RecordScorer<S, IN, OUT> scorer;

    /** @param keyOf the key whose alias serves a record (its camera, its sensor) */
    protected PerKeyFunction(KeyAliases aliases, KeySelector<IN, String> keyOf) {
        this.aliases = aliases;
        this.keyOf = keyOf;
    }

    /** The model name every alias belongs to (what the registry feed should be filtered to). */
    public String modelName() {
        return aliases.modelName();
    }

    /**
     * Called in {@code open()}: opens the default alias's model and every key alias's, their metrics
     * under {@code winnow}, and returns them.
     */
    protected abstract PerKeyModels<S> openModels(MetricGroup winnow) throws Exception;

    /**
     * Called in {@code open()} after {@link #openModels}: registers the function's metrics and returns
     * how it scores a record; {@code fallback} is the default alias's model serving now.
     */
    protected abstract RecordScorer<S, IN, OUT> scorer(MetricGroup operatorGroup, Supplier<S> fallback);

    @Override
    public void open(OpenContext ctx) throws Exception {
        MetricGroup operator = getRuntimeContext().getMetricGroup();
        models = openModels(operator.addGroup("winnow"));
        scorer = scorer(operator, models.fallback()::current);
    }

    @Override
    public void processElement(IN record, ReadOnlyContext ctx, Collector<OUT> out) throws Exception {
        S serving = models.serving(keyOf.getKey(record), ctx.getBroadcastState(SwappableModel.VERSIONS));
        OUT result = scorer.score(serving, record);
        if (result != null) out.collect(result);
    }

    @Override
    public void processBroadcastElement(ModelUpdate u, Context ctx, Collector<OUT> out) throws Exception {
        models.onUpdate(ctx.getBroadcastState(SwappableModel.VERSIONS), u);
    }

    @Override
    public void close() throws Exception {
        if (models != null) models.close();
    }
}
