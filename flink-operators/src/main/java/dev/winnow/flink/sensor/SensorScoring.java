package dev.winnow.flink.sensor;

import dev.winnow.flink.inference.ServingInfo;
import dev.winnow.flink.model.ServingModel;
import dev.winnow.flink.types.FeatureVector;
import dev.winnow.flink.types.SensorEvent;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.Interpreter;
import java.util.List;
import java.util.Set;

/**
 * One loaded sensor classifier with its interpreter and score buffer: runs a feature window and
 * says whether it is relevant. Not thread-safe: one per subtask.
 */
public final class SensorScoring implements ServingModel {
    private final Model model;
    private final int version;
    private final Interpreter interpreter;
    private final float[] scores;
    private final List<String> labels;
    private final Set<String> relevant;

    public SensorScoring(Model model, int version, Set<String> relevant) {
        this.model = model;
        this.version = version;
        this.interpreter = model.newInterpreter();
        this.scores = new float[model.output(0).elementCount()];
        this.labels = model.metadata().labels();
        this.relevant = relevant;
        if (labels.size() != scores.length) {
            throw new IllegalArgumentException("model " + model.name() + " has " + scores.length + " outputs but " + labels.size() + " labels");
        }
        if (!labels.containsAll(relevant)) throw new IllegalArgumentException("relevant labels " + relevant + " are not all among " + labels);
    }

    @Override
    public Model model() {
        return model;
    }

    @Override
    public int version() {
        return version;
    }

    public int featureCount() {
        return model.input(0).elementCount();
    }

    /** Scores the window; the event when its class is relevant, else null. */
    public SensorEvent score(FeatureVector v) {
        if (v.features.length != featureCount()) {
            throw new IllegalArgumentException("window of " + v.sensorId + " has " + v.features.length + " features, model "
                    + model.name() + " expects " + featureCount());
        }
        interpreter.predict(v.features, scores);
        int best = ServingInfo.argmax(scores);
        String label = labels.get(best);
        if (!relevant.contains(label)) return null;
        SensorEvent e = new SensorEvent();
        e.sensorId = v.sensorId;
        e.windowStartMillis = v.windowStartMillis;
        e.windowEndMillis = v.windowEndMillis;
        e.readings = v.readings;
        e.classIndex = best;
        e.label = label;
        e.score = scores[best];
        e.modelName = model.name();
        e.modelVersion = version;
        return e;
    }
}
