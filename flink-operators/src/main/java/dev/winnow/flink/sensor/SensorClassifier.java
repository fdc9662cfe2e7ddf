package dev.winnow.flink.sensor;

import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.types.FeatureVector;
import dev.winnow.flink.types.SensorEvent;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Classifies feature windows with an embedded model and lets only the relevant ones through. The
 * model is loaded once per subtask in {@link #open}; each window runs through the subtask's
 * interpreter, whose arena was sized when the model loaded. {@link HotSwapSensorClassifier} does the
 * same with a model that follows a registry alias.
 */
public class SensorClassifier extends RichFlatMapFunction<FeatureVector, SensorEvent> {
    private static final long serialVersionUID = 1L;

    private final ModelSource source;
    private final Set<String> relevant;

    private transient SensorScoring scoring;
    private transient SensorMetrics metrics;

    /** @param relevantLabels labels of the classes whose windows travel on */
    public SensorClassifier(ModelSource source, Set<String> relevantLabels) {
        this.source = source;
        this.relevant = Set.copyOf(relevantLabels);
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        scoring = new SensorScoring(source.load(), source.version(), relevant);
        metrics = new SensorMetrics(getRuntimeContext().getMetricGroup(), () -> scoring);
    }

    @Override
    public void flatMap(FeatureVector v, Collector<SensorEvent> out) {
        SensorEvent e = metrics.score(scoring, v);
        if (e != null) out.collect(e);
    }
}
