package dev.winnow.examples.samples;

import dev.winnow.examples.SensorEventsJob;
import dev.winnow.flink.sensor.SensorFeatures;
import dev.winnow.tools.data.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sensor sample as the job sees it: per sensor, sliding count windows of the job's size and
 * slide, featurised by the same {@link SensorFeatures}, labelled by the majority label of the window.
 */
final class SensorWindows {
    private SensorWindows() {}

    record Reading(long t, float value, int label) {}

    static Map<String, List<Reading>> read(Path csv) throws IOException {
        Map<String, List<Reading>> bySensor = new LinkedHashMap<>();
        for (String line : Files.readAllLines(csv)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split(",");
            bySensor.computeIfAbsent(f[0], k -> new ArrayList<>()).add(new Reading(Long.parseLong(f[1]), Float.parseFloat(f[2]), Integer.parseInt(f[3])));
        }
        return bySensor;
    }

    static Dataset windows(String name, List<List<Reading>> series) {
        SensorFeatures features = new SensorFeatures(SensorEventsJob.CHANNELS, SensorEventsJob.BANDS);
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        double[] re = new double[16], im = new double[16];
        for (List<Reading> rs : series) {
            for (int end = 1; end <= rs.size(); end += SensorEventsJob.SLIDE) {
                int start = Math.max(0, end - SensorEventsJob.WINDOW);
                float[] values = new float[end - start];
                int ones = 0;
                for (int i = start; i < end; i++) {
                    values[i - start] = rs.get(i).value;
                    ones += rs.get(i).label;
                }
                float[] x = new float[features.size()];
                features.compute(values, values.length, x, 0, re, im);
                rows.add(x);
                labels.add(2 * ones > values.length ? 1 : 0);
            }
        }
        float[] x = new float[rows.size() * features.size()];
        int[] y = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, x, i * features.size(), features.size());
            y[i] = labels.get(i);
        }
        return new Dataset(name, features.size(), x, y, List.of("inactive", "active"));
    }
}
