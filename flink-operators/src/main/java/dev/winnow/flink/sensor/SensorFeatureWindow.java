package dev.winnow.flink.sensor;

import dev.winnow.flink.types.FeatureVector;
import dev.winnow.flink.types.SensorReading;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.api.windowing.windows.Window;
import org.apache.flink.util.Collector;

/**
 * Turns a window of one sensor's readings into a {@link FeatureVector}. Works with any window
 * assigner: {@code countWindow(size, slide)} or sliding/tumbling event-time windows.
 */
public class SensorFeatureWindow<W extends Window> extends ProcessWindowFunction<SensorReading, FeatureVector, String, W> {
    private static final long serialVersionUID = 1L;

    private final SensorFeatures features;
    private transient double[] re, im;

    public SensorFeatureWindow(SensorFeatures features) {
        this.features = features;
    }

    @Override
    public void process(String sensor, Context ctx, Iterable<SensorReading> readings, Collector<FeatureVector> out) {
        List<SensorReading> rs = new ArrayList<>();
        for (SensorReading r : readings) rs.add(r);
        rs.sort((a, b) -> Long.compare(a.timestampMillis, b.timestampMillis));
        int c = features.channels();
        float[] values = new float[rs.size() * c];
        Map<Integer, Integer> labels = new HashMap<>();
        for (int i = 0; i < rs.size(); i++) {
            SensorReading r = rs.get(i);
            if (r.values == null || r.values.length != c) {
                throw new IllegalArgumentException("sensor " + sensor + " sent " + (r.values == null ? 0 : r.values.length) + " channels, the features expect " + c);
            }
            System.arraycopy(r.values, 0, values, i * c, c);
            if (r.label >= 0) labels.merge(r.label, 1, Integer::sum);
        }
        int n = rs.size();
        int fftN = Integer.highestOneBit(Math.max(1, n - 1)) << 1;
        if (re == null || re.length < fftN) {
            re = new double[fftN];
            im = new double[fftN];
        }
        FeatureVector v = new FeatureVector();
        v.sensorId = sensor;
        v.readings = n;
        if (ctx.window() instanceof TimeWindow) {
            v.windowStartMillis = ((TimeWindow) ctx.window()).getStart();
            v.windowEndMillis = ((TimeWindow) ctx.window()).getEnd();
        } else {
            v.windowStartMillis = rs.get(0).timestampMillis;
            v.windowEndMillis = rs.get(n - 1).timestampMillis + 1;
        }
        v.features = new float[features.size()];
        features.compute(values, n, v.features, 0, re, im);
        v.label = labels.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(-1);
        out.collect(v);
    }
}
