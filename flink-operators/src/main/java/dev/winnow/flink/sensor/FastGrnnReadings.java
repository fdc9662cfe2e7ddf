package dev.winnow.flink.sensor;

import dev.winnow.flink.inference.ServingInfo;
import dev.winnow.flink.types.SensorPrediction;
import dev.winnow.flink.types.SensorReading;
import dev.winnow.runtime.stream.FastGrnnStream;
import java.util.List;

/**
 * What the streaming FastGRNN operators ({@link StreamingFastGrnn}, {@link PerGroupFastGrnn}) share
 * per reading: the check that keeps a bad reading away from a sensor's state, and the prediction
 * made from that state. Stateless; any thread.
 */
final class FastGrnnReadings {
    private FastGrnnReadings() {}

    /**
     * Why {@code r} must not touch a sensor's state (no id, a channel count other than the model's, NaN
     * or infinity, a timestamp more than {@code maxAheadMillis} ahead of {@code now}), or null when it may.
     */
    static String problem(SensorReading r, int channels, long now, long maxAheadMillis) {
        if (r.sensorId == null || r.sensorId.isEmpty()) return "no sensor id";
        if (r.values == null) return "no values, the model reads " + channels + " channels";
        if (r.values.length != channels) return r.values.length + " channels, the model reads " + channels;
        for (int c = 0; c < channels; c++) {
            float v = r.values[c];
            if (v != v) return "channel " + c + " is NaN";
            if (Float.isInfinite(v)) return "channel " + c + " is " + v;
        }
        if (r.timestampMillis - now > maxAheadMillis) {
            return "timestamp " + r.timestampMillis + " is " + (r.timestampMillis - now) + " ms ahead of the clock (at most " + maxAheadMillis + " ms)";
        }
        return null;
    }

    /**
     * The prediction from a sensor's hidden state after {@code readings} readings: the class scores
     * (computed into the operator's {@code scores} buffer, copied into the record), the best class and
     * the model version that made it. Not a window (its window fields stay -1).
     */
    static SensorPrediction predict(FastGrnnStream stream, int version, List<String> labels, float[] hidden, float[] scores,
                                    String sensor, long timestampMillis, long readings) {
        stream.scores(hidden, 0, scores, 0);
        int best = ServingInfo.argmax(scores);
        SensorPrediction p = new SensorPrediction();
        p.sensorId = sensor;
        p.timestampMillis = timestampMillis;
        p.readings = readings;
        p.classIndex = best;
        p.label = labels.get(best);
        p.score = scores[best];
        p.scores = scores.clone();
        p.modelName = stream.modelName();
        p.modelVersion = version;
        return p;
    }
}
