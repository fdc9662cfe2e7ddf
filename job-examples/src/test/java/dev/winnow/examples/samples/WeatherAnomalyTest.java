package dev.winnow.examples.samples;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.examples.samples.WeatherAnomaly.Fault;
import dev.winnow.examples.samples.WeatherAnomaly.Row;
import dev.winnow.flink.sensor.SensorScoring;
import dev.winnow.flink.types.FeatureVector;
import dev.winnow.flink.types.SensorEvent;
import dev.winnow.runtime.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The unsupervised weather-station anomaly model on held-out data only: centroids from 2012-2013, the
 * threshold from clean 2014 windows, precision and recall per injected fault type on 2015. Floors sit a
 * little below the figures scripts/samples/weather-anomaly.sh prints (the run is seeded, so they move
 * only when the code does). The artifact runs in the sensor jobs' classifier code as it is.
 */
class WeatherAnomalyTest {
    static final Path CSV = Path.of("../data/sensors/seattle-weather.csv");

    @Test
    void flagsInjectedFaultsOnAYearItNeverSawAndRunsInTheSensorClassifier() throws Exception {
        assertTrue(Files.isRegularFile(CSV), "no " + CSV + ": scripts/data/fetch-sensor-series.sh fetches it (scripts/install-deps.sh runs it)");
        WeatherAnomaly.Result r = WeatherAnomaly.run(CSV);
        assertTrue(r.validationFlagged() <= 0.025, "the threshold flags about 2 % of the clean 2014 windows: " + r.validationFlagged());
        Map<Fault, Row> rows = new EnumMap<>(Fault.class);
        for (Row row : r.rows()) rows.put(row.fault(), row);
        for (Row row : r.rows()) {
            assertEquals(352, row.windows(), "every 14-day window of 2015, slide 1");
            assertEquals(88, row.faulty());
            assertTrue(row.falsePositives() <= 6, "clean 2015 windows flagged: " + row);
        }
        floor(rows.get(Fault.SPIKE), 0.90, 0.60);
        floor(rows.get(Fault.DRIFT), 0.65, 0.10);
        floor(rows.get(Fault.STUCK), 0.50, 0.05);

        // the same artifact as the sensor classifiers load it: a spiked 2015 window is an anomaly event, the clean one is not
        SensorScoring scoring = new SensorScoring(Model.load(r.artifact()), 1, Set.of("anomaly"));
        WeatherAnomaly.Series s = WeatherAnomaly.read(CSV);
        List<float[]> year = WeatherAnomaly.windows(s, s.firstOf("2015"), s.days(), 1);
        int clean = 0, spiked = 0;
        Random rnd = new Random(1);
        for (float[] w : year) {
            if (scoring.score(vector(w)) == null) clean++;
            SensorEvent e = scoring.score(vector(WeatherAnomaly.inject(w, Fault.SPIKE, rnd)));
            if (e != null) {
                spiked++;
                assertEquals("anomaly", e.label);
                assertEquals("weather-anomaly", e.modelName);
            }
        }
        assertTrue(clean >= year.size() * 0.97, clean + " of " + year.size() + " clean windows pass as normal");
        assertTrue(spiked >= year.size() * 0.6, spiked + " of " + year.size() + " spiked windows are anomaly events");
    }

    private static void floor(Row row, double precision, double recall) {
        assertTrue(row.precision() >= precision, row.fault() + " precision " + row.precision() + " < " + precision + ": " + row);
        assertTrue(row.recall() >= recall, row.fault() + " recall " + row.recall() + " < " + recall + ": " + row);
    }

    private static FeatureVector vector(float[] window) {
        FeatureVector v = new FeatureVector();
        v.sensorId = "seattle";
        v.readings = window.length / WeatherAnomaly.CHANNELS;
        v.features = WeatherAnomaly.features(window);
        return v;
    }

    @Test
    void aFileThatIsNotTheStationRecordIsRefusedWithItsHeader() throws Exception {
        Path bad = Files.createTempFile("weather", ".csv");
        try {
            Files.writeString(bad, "date,temp\n2010/01/01,3\n");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeatherAnomaly.run(bad));
            assertTrue(e.getMessage().endsWith(": unexpected header date,temp"), e.getMessage());
        } finally {
            Files.delete(bad);
        }
    }
}
