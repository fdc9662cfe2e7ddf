package dev.winnow.flink.sensor;

import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.SwappableModel;
import dev.winnow.flink.types.FeatureVector;
import dev.winnow.flink.types.ModelUpdate;
import dev.winnow.flink.types.SensorEvent;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * {@link SensorClassifier} with a model that follows a registry alias: connect the feature windows
 * with the registry feed's broadcast stream. A new version must take the same number of features
 * and know the relevant labels, or it is refused and the serving one stays.
 */
public class HotSwapSensorClassifier extends BroadcastProcessFunction<FeatureVector, ModelUpdate, SensorEvent> implements CheckpointListener {
    private static final long serialVersionUID = 1L;

    private final RegistryConnection registry;
    private final String modelName;
    private final String alias;
    private final Set<String> relevant;
    private final boolean swapOnCheckpoint;

    private transient SwappableModel<SensorScoring> model;
    private transient SensorMetrics metrics;

    public HotSwapSensorClassifier(RegistryConnection registry, String modelName, String alias, Set<String> relevantLabels, boolean swapOnCheckpoint) {
        this.registry = registry;
        this.modelName = modelName;
        this.alias = alias;
        this.relevant = Set.copyOf(relevantLabels);
        this.swapOnCheckpoint = swapOnCheckpoint;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        var group = getRuntimeContext().getMetricGroup();
        model = new SwappableModel<>(registry, modelName, alias, swapOnCheckpoint, (m, version, serving) -> {
            SensorScoring next = new SensorScoring(m, version, relevant);
            if (serving != null && next.featureCount() != serving.featureCount()) {
                throw new IllegalArgumentException("v" + version + " takes " + next.featureCount() + " features, the serving model " + serving.featureCount());
            }
            return next;
        }, group.addGroup("winnow"));
        metrics = new SensorMetrics(group, model::current);
    }

    @Override
    public void processBroadcastElement(ModelUpdate u, Context ctx, Collector<SensorEvent> out) throws Exception {
        model.onUpdate(ctx.getBroadcastState(SwappableModel.VERSIONS), u);
    }

    @Override
    public void processElement(FeatureVector v, ReadOnlyContext ctx, Collector<SensorEvent> out) throws Exception {
        SensorEvent e = metrics.score(model.serving(ctx.getBroadcastState(SwappableModel.VERSIONS)), v);
        if (e != null) out.collect(e);
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
