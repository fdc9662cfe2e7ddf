package dev.winnow.flink.sensor;

import dev.winnow.flink.model.ServingModel;
import dev.winnow.flink.types.SensorPrediction;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.stream.FastGrnnStepper;
import dev.winnow.runtime.stream.FastGrnnStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One loaded FastGRNN version in a streaming operator ({@link StreamingFastGrnn}, {@link PerGroupFastGrnn}):
 * its stream, its class labels (the model's, or {@code class<i>} when it names none or too few), the
 * subtask's stepper (scratch, and the allocation probe of the vector cell) and score buffer, so a
 * reading allocates nothing until a prediction is made.
 * Not thread safe: one per subtask, task thread only.
 */
final class FastGrnnServing implements ServingModel {
    final Model model;
    final int version;
    final FastGrnnStream stream;
    final List<String> labels = new ArrayList<>();
    private final FastGrnnStepper stepper;
    private final float[] scores;

    /** Refuses a model whose input width is not {@code channels}. */
    FastGrnnServing(Model model, int version, int channels) throws Exception {
        this.model = model;
        this.version = version;
        this.stream = StreamingFastGrnn.load(model, channels);
        List<String> l = model.metadata().labels();
        for (int c = 0; c < stream.classes(); c++) labels.add(l.size() == stream.classes() ? l.get(c) : "class" + c);
        stepper = stream.stepper();
        scores = new float[stream.classes()];
    }

    @Override public Model model() { return model; }
    @Override public int version() { return version; }

    /** Advances a sensor's hidden state by one reading. */
    void step(float[] values, float[] hidden) {
        stepper.step(values, 0, hidden, 0);
    }

    /** The prediction from a sensor's hidden state after {@code readings} readings ({@link FastGrnnReadings#predict}). */
    SensorPrediction predict(float[] hidden, String sensor, long timestampMillis, long readings) {
        return FastGrnnReadings.predict(stream, version, labels, hidden, scores, sensor, timestampMillis, readings);
    }
}
