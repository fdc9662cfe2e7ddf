package dev.winnow.flink.sensor;

import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.types.FeatureVector;
import dev.winnow.flink.types.SensorEvent;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.Interpreter;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.util.Collector;

/**
 * Classifies feature windows with an embedded model and lets only the relevant ones through. The
 * model is loaded once per subtask in {@link #open}; each window runs through the subtask's
 * interpreter, whose arena was sized when the model loaded.
 */
public class SensorClassifier extends RichFlatMapFunction<FeatureVector, SensorEvent> {
    private static final long serialVersionUID = 1L;

    private final ModelSource source;
    private final Set<String> relevant;

    private transient Model model;
    private transient Interpreter interpreter;
    private transient float[] scores;
    private transient List<String> labels;
    private transient Counter scored, kept, dropped;
    private transient Histogram latency;

    /** @param relevantLabels labels of the classes whose windows travel on */
    public SensorClassifier(ModelSource source, Set<String> relevantLabels) {
        this.source = source;
        this.relevant = Set.copyOf(relevantLabels);
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        model = source.load();
        interpreter = model.newInterpreter();
        scores = new float[model.output(0).elementCount()];
        labels = model.metadata().labels();
        if (labels.size() != scores.length) {
            throw new IllegalArgumentException("model " + model.name() + " has " + scores.length + " outputs but " + labels.size() + " labels");
        }
        if (!labels.containsAll(relevant)) throw new IllegalArgumentException("relevant labels " + relevant + " are not all among " + labels);
        var g = getRuntimeContext().getMetricGroup().addGroup("winnow");
        scored = g.counter("recordsScored");
        kept = g.counter("recordsKept");
        dropped = g.counter("recordsDropped");
        latency = g.histogram("inferenceLatencyNanos", new DescriptiveStatisticsHistogram(1000));
        g.gauge("modelVersion", source::version);
        long arena = model.report().arenaBytes();
        g.gauge("arenaBytes", () -> arena);
    }

    @Override
    public void flatMap(FeatureVector v, Collector<SensorEvent> out) {
        if (v.features.length != model.input(0).elementCount()) {
            throw new IllegalArgumentException("window of " + v.sensorId + " has " + v.features.length + " features, model "
                    + model.name() + " expects " + model.input(0).elementCount());
        }
        long t0 = System.nanoTime();
        interpreter.predict(v.features, scores);
        latency.update(System.nanoTime() - t0);
        scored.inc();
        int best = 0;
        for (int i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
        String label = labels.get(best);
        if (!relevant.contains(label)) {
            dropped.inc();
            return;
        }
        kept.inc();
        SensorEvent e = new SensorEvent();
        e.sensorId = v.sensorId;
        e.windowStartMillis = v.windowStartMillis;
        e.windowEndMillis = v.windowEndMillis;
        e.readings = v.readings;
        e.classIndex = best;
        e.label = label;
        e.score = scores[best];
        e.modelName = model.name();
        e.modelVersion = source.version();
        out.collect(e);
    }
}
