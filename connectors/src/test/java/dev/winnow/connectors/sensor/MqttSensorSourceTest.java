package dev.winnow.connectors.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.connectors.testing.ClassResource;
import dev.winnow.connectors.testing.Metrics;
import dev.winnow.connectors.testing.Mosquitto;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.types.SensorReading;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The MQTT source against a real Mosquitto broker that the test starts and stops. */
class MqttSensorSourceTest {
    static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();
    @RegisterExtension
    static final MiniClusterExtension FLINK = FlinkTests.miniCluster(REPORTER);

    @RegisterExtension
    static final ClassResource<Mosquitto> BROKER = ClassResource.of(Mosquitto::new);

    private static MqttClient client(String id, boolean cleanSession) throws Exception {
        MqttClient c = new MqttClient(BROKER.get().uri(), id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(cleanSession);
        o.setMaxInflight(1000);
        c.connect(o);
        return c;
    }

    private static void publish(MqttClient c, String topic, String payload) throws Exception {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        c.publish(topic, m);
    }

    @Test
    void readingsPublishedWithPahoArriveInTheJob() throws Exception {
        // a persistent session for the job's client id, so the broker queues what is published before
        // the job has connected (the job re-attaches to it with cleanSession=false)
        String jobClient = "winnow-job-" + System.nanoTime();
        MqttClient pre = client(jobClient, false);
        pre.subscribe("plant/+/vibration", 1);
        pre.disconnect();
        pre.close();

        List<SensorReading> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            SensorReading r = new SensorReading("pump-" + (i % 2), 1_700_000_000_000L + 250L * i,
                    new float[] {i * 0.5f, -i, 3.25f});
            if (i % 4 == 0) r.label = i % 3;
            expected.add(r);
        }
        MqttClient pub = client("publisher", true);
        int messages = 0;
        for (int i = 0; i < 20; i++) {
            publish(pub, "plant/" + expected.get(i).sensorId + "/vibration", payload(expected.get(i), i % 2 == 0, i < 10));
            messages++;
            if (i == 10) {
                publish(pub, "plant/pump-0/vibration", "{\"values\": \"loud\"}");
                publish(pub, "plant/pump-1/vibration", "pump-1,soon,1,2,3");
                messages += 2;
            }
        }
        StreamExecutionEnvironment env = FlinkTests.env(1, 200);
        MqttSensorSource source = MqttSensorSource.builder(BROKER.get().uri(), "plant/+/vibration")
                .clientId(jobClient).cleanSession(false).qos(1).sensorIdTopicLevel(1).maxMessages(42).build();
        var it = env.fromSource(source, source.watermarks(), "mqtt").collectAsync();
        JobClient job = env.executeAsync("mqtt");
        for (int i = 20; i < 40; i++) {   // the second half goes out while the job runs
            publish(pub, "plant/" + expected.get(i).sensorId + "/vibration", payload(expected.get(i), i % 2 == 0, false));
            messages++;
        }
        assertEquals(42, messages);
        List<SensorReading> got = new ArrayList<>();
        it.forEachRemaining(got::add);
        it.close();
        job.getJobExecutionResult().get();
        pub.disconnect();
        pub.close();

        got.sort(Comparator.comparingLong(r -> r.timestampMillis));
        assertEquals(expected, got);
        assertEquals(2, Metrics.waitForCounter(REPORTER, job.getJobID(), MqttSensorSource.METRIC, 2));
    }

    /** JSON (with or without sensorId: the topic names the sensor) or a CSV line. */
    private static String payload(SensorReading r, boolean json, boolean idFromTopic) {
        if (!json) return r.sensorId + "," + r.timestampMillis + "," + r.values[0] + "," + r.values[1] + "," + r.values[2];
        return "{" + (idFromTopic ? "" : "\"sensorId\":\"" + r.sensorId + "\",") + "\"timestampMillis\":" + r.timestampMillis
                + ",\"values\":[" + r.values[0] + "," + r.values[1] + "," + r.values[2] + "]"
                + (r.label >= 0 ? ",\"label\":" + r.label : "") + "}";
    }

    @Test
    void aNegativeOutOfOrdernessIsRefusedAtBuild() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MqttSensorSource.builder("tcp://127.0.0.1:1", "t").maxOutOfOrderness(Duration.ofSeconds(-1)));
        assertTrue(e.getMessage().contains("negative out-of-orderness"), e.getMessage());
    }

    @Test
    void payloadDecoding() throws Exception {
        MqttSensorSource.Subscription s = new MqttSensorSource.Subscription();
        SensorReading r = s.decode("a/b/temp-7", "{\"values\":[21.5]}".getBytes(StandardCharsets.UTF_8), 99);
        assertEquals("temp-7", r.sensorId);
        assertEquals(99, r.timestampMillis, "arrival time when the payload has none");
        assertEquals(-1, r.label);
        s.sensorIdLevel = 1;
        assertEquals("b", s.decode("a/b/temp-7", "{\"values\":[1]}".getBytes(StandardCharsets.UTF_8), 0).sensorId);
        s.sensorIdLevel = 5;
        assertThrows(Exception.class, () -> s.decode("a/b/temp-7", "{\"values\":[1]}".getBytes(StandardCharsets.UTF_8), 0));
        assertThrows(Exception.class, () -> s.decode("t", "{\"values\":[]}".getBytes(StandardCharsets.UTF_8), 0));
        assertThrows(Exception.class, () -> s.decode("t", "{not json".getBytes(StandardCharsets.UTF_8), 0));
        assertThrows(Exception.class, () -> s.decode("t", new byte[0], 0));
        s.payload = MqttSensorSource.Payload.CSV;
        assertThrows(Exception.class, () -> s.decode("t", "{\"values\":[1]}".getBytes(StandardCharsets.UTF_8), 0));
        assertEquals(2, s.decode("t", "x,5,1,2".getBytes(StandardCharsets.UTF_8), 0).values.length);
    }
}
