package dev.winnow.flink.sensor;

import dev.winnow.flink.model.HotSwapFunction;
import dev.winnow.flink.model.RecordScorer;
import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.SwappableModel;
import dev.winnow.flink.types.FeatureVector;
import dev.winnow.flink.types.SensorEvent;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.flink.metrics.MetricGroup;

/**
 * {@link SensorClassifier} with a model that follows a registry alias: connect the feature windows
 * with the registry feed's broadcast stream. A new version must take the same number of features
 * and know the relevant labels, or it is refused and the serving one stays.
 */
public class HotSwapSensorClassifier extends HotSwapFunction<FeatureVector, SensorEvent, SensorScoring> {
    private static final long serialVersionUID = 1L;

    private final Set<String> relevant;


    public HotSwapSensorClassifier(RegistryConnection registry, String modelName, String alias, Set<String> relevantLabels, boolean swapOnCheckpoint) {
        super(registry, modelName, alias, swapOnCheckpoint);
        this.relevant = Set.copyOf(relevantLabels);
    }

    @Override
    protected SwappableModel.Loader<SensorScoring> loader() {
        Set<String> labels = relevant;
        return (m, version, serving) -> {
            SensorScoring next = new SensorScoring(m, version, labels);
            if (serving != null && next.featureCount() != serving.featureCount()) {
                throw new IllegalArgumentException("v" + version + " takes " + next.featureCount() + " features, the serving model " + serving.featureCount());
            }
            return next;
        };
    }

    @Override
    protected RecordScorer<SensorScoring, FeatureVector, SensorEvent> scorer(MetricGroup operatorGroup, Supplier<SensorScoring> serving) {
        return new SensorMetrics(operatorGroup, serving)::score;
    }
}
