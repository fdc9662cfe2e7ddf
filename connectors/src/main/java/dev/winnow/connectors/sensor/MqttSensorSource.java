package dev.winnow.connectors.sensor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.connectors.source.RecordStream;
import dev.winnow.connectors.source.StreamContext;
import dev.winnow.connectors.source.StreamSource;
import dev.winnow.connectors.source.StreamSpec;
import dev.winnow.flink.types.SensorReading;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sensor readings from an MQTT broker (Eclipse Paho client), one reading per message on any topic
 * matching a filter. Payloads are JSON
 * {@code {"sensorId":"s1","timestampMillis":1700000000000,"values":[0.1,0.2],"label":1}} (sensorId
 * defaults to a level of the topic, the last unless {@link Builder#sensorIdTopicLevel} says otherwise; timestampMillis to the arrival time, label is optional) or one
 * CSV line {@code sensorId,timestampMillis,value1..valueN[,label]} (see {@link SensorLineFormat});
 * {@link Payload#AUTO} tells them apart by a leading {@code '{'}. Undecodable messages are counted in
 * {@value #METRIC} and skipped.
 *
 * <p>One subscription is one split, read by one subtask (a second subscriber would get every message
 * again). MQTT cannot replay: the checkpointed position only numbers the messages; a restart loses
 * messages that were in flight unless the session is persistent ({@code cleanSession(false)} with a
 * fixed client id and QoS 1), in which case the broker keeps what arrives while the job is away.
 */
public final class MqttSensorSource extends StreamSource<SensorReading> {
    private static final long serialVersionUID = 1L;
    public static final String METRIC = "malformedMessages";

    /** How message payloads are read. */
    public enum Payload { JSON, CSV, AUTO }

    private final Duration maxOutOfOrderness;

    private MqttSensorSource(Subscription s, Duration maxOutOfOrderness) {
        super(List.of(s), TypeInformation.of(SensorReading.class), METRIC, "MQTT message", 1024);
        this.maxOutOfOrderness = maxOutOfOrderness;
    }

    /** Timestamps from the readings, watermarks trailing by the configured out-of-orderness; idle after 10 s of silence. */
    public WatermarkStrategy<SensorReading> watermarks() {
        return SensorWatermarks.boundedOutOfOrderness(maxOutOfOrderness, Duration.ofSeconds(10));
    }

    public static Builder builder(String serverUri, String topicFilter) {
        return new Builder(serverUri, topicFilter);
    }

    public static final class Builder {
        private final Subscription s = new Subscription();
        private Duration maxOutOfOrderness = Duration.ZERO;

        Builder(String serverUri, String topicFilter) {
            s.serverUri = Objects.requireNonNull(serverUri);
            s.topicFilter = Objects.requireNonNull(topicFilter);
        }

        /** Client id; fixed ids are needed for persistent sessions (default: random per connection). */
        public Builder clientId(String clientId) {
            s.clientId = clientId;
            return this;
        }

        public Builder qos(int qos) {
            if (qos < 0 || qos > 2) throw new IllegalArgumentException("qos " + qos);
            s.qos = qos;
            return this;
        }

        public Builder cleanSession(boolean clean) {
            s.cleanSession = clean;
            return this;
        }

        public Builder credentials(String user, String password) {
            s.user = user;
            s.password = password;
            return this;
        }

        public Builder payload(Payload payload) {
            s.payload = payload;
            return this;
        }

        /** CSV payload layout (default: any number of values, no label). */
        public Builder csvFormat(SensorLineFormat format) {
            s.csv = format;
            return this;
        }

        /**
         * Which topic level names the sensor when a JSON payload has no sensorId: 0 is the first
         * level, -1 (default) the last, -2 the one before it ({@code plant/pump-7/vibration}: 1 or -2).
         */
        public Builder sensorIdTopicLevel(int level) {
            s.sensorIdLevel = level;
            return this;
        }

        /** Ends after this many messages (valid or not): bounded, for tests and examples. */
        public Builder maxMessages(long n) {
            s.maxMessages = n;
            return this;
        }

        public Builder maxOutOfOrderness(Duration d) {
            this.maxOutOfOrderness = SensorWatermarks.checkOutOfOrderness(d);
            return this;
        }

        public MqttSensorSource build() {
            return new MqttSensorSource(s, maxOutOfOrderness);
        }
    }

    static final class Subscription implements StreamSpec<SensorReading> {
        private static final long serialVersionUID = 1L;
        private static final Logger LOG = LoggerFactory.getLogger(MqttSensorSource.class);
        private static final ObjectMapper JSON = new ObjectMapper();

        String serverUri;
        String topicFilter;
        String clientId;
        int qos = 1;
        boolean cleanSession = true;
        String user;
        String password;
        Payload payload = Payload.AUTO;
        SensorLineFormat csv = SensorLineFormat.anyValues();
        long maxMessages = Long.MAX_VALUE;
        int sensorIdLevel = -1;

        @Override
        public String id() {
            return serverUri + "/" + topicFilter;
        }

        @Override
        public boolean bounded() {
            return maxMessages != Long.MAX_VALUE;
        }

        @Override
        public RecordStream<SensorReading> open(long position, StreamContext context) throws MqttException {
            BlockingQueue<Object[]> inbox = new ArrayBlockingQueue<>(1024);
            String id = clientId != null ? clientId : "winnow-" + MqttClient.generateClientId();
            MqttClient client = new MqttClient(serverUri, id, new MemoryPersistence());
            MqttConnectOptions options = connectOptions();
            client.setCallback(callback(client, inbox, context));
            client.connect(options);
            client.subscribe(topicFilter, qos);
            LOG.info("MQTT {} as {}: subscribed to {} (qos {}, clean session {})", serverUri, id, topicFilter, qos, cleanSession);

            return new RecordStream<>() {
                long n = position;

                @Override
                public Positioned<SensorReading> next() throws InterruptedException {
                    while (n < maxMessages && context.running()) {
                        Object[] m = inbox.poll(100, TimeUnit.MILLISECONDS);
                        if (m == null) continue;
                        long k = n++;
                        String topic = (String) m[0];
                        byte[] body = (byte[]) m[1];
                        try {
                            SensorReading r = decode(topic, body, (Long) m[2]);
                            return new Positioned<>(r, r.timestampMillis, n);
                        } catch (Exception e) {
                            context.malformed().skip("topic " + topic + " message " + k, e.getMessage() + ": '"
                                    + CsvSensorFile.abbreviate(new String(body, StandardCharsets.UTF_8)) + "'");
                        }
                    }
                    return null;
                }

                @Override
                public void close() {
                    try {
                        if (client.isConnected()) client.disconnect(1000);
                    } catch (MqttException e) {
                        LOG.debug("MQTT disconnect: {}", e.toString());
                    }
                    try {
                        client.close(true);
                    } catch (MqttException e) {
                        LOG.debug("MQTT close: {}", e.toString());
                    }
                }
            };
        }

        private MqttConnectOptions connectOptions() {
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(cleanSession);
            options.setAutomaticReconnect(true);
            options.setConnectionTimeout(10);
            options.setKeepAliveInterval(30);
            options.setMaxInflight(1000);
            if (user != null) options.setUserName(user);
            if (password != null) options.setPassword(password.toCharArray());
            return options;
        }

        /** Re-subscribes after a reconnect and hands messages to {@code inbox}, blocking Paho's thread while it is full. */
        private MqttCallbackExtended callback(MqttClient client, BlockingQueue<Object[]> inbox, StreamContext context) {
            return new MqttCallbackExtended() {
                @Override
                public void connectComplete(boolean reconnect, String serverURI) {
                    if (!reconnect) return;
                    LOG.info("MQTT {} reconnected; subscribing to {} again", serverURI, topicFilter);
                    try {
                        client.subscribe(topicFilter, qos);
                    } catch (MqttException e) {
                        LOG.warn("MQTT re-subscribe to {} failed: {}", topicFilter, e.toString());
                    }
                }

                @Override
                public void connectionLost(Throwable cause) {
                    LOG.warn("MQTT connection to {} lost ({}); reconnecting", serverUri, String.valueOf(cause));
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
                    // blocks Paho's thread when the job is slower than the broker: back-pressure
                    while (context.running()) {
                        if (inbox.offer(new Object[] {topic, message.getPayload(), System.currentTimeMillis()}, 100, TimeUnit.MILLISECONDS)) return;
                    }
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {}
            };
        }

        private String topicLevel(String topic) {
            String[] levels = topic.split("/", -1);
            int i = sensorIdLevel >= 0 ? sensorIdLevel : levels.length + sensorIdLevel;
            if (i < 0 || i >= levels.length || levels[i].isEmpty()) {
                throw new IllegalArgumentException("no sensorId in the payload and no level " + sensorIdLevel + " in topic " + topic);
            }
            return levels[i];
        }

        SensorReading decode(String topic, byte[] body, long arrivalMillis) throws Exception {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) throw new IllegalArgumentException("empty payload");
            boolean json = payload == Payload.JSON || (payload == Payload.AUTO && text.startsWith("{"));
            if (!json) return csv.parse(text);
            JsonNode n = JSON.readTree(text);
            if (n == null || !n.isObject()) throw new IllegalArgumentException("JSON payload is not an object");
            JsonNode values = n.get("values");
            if (values == null || !values.isArray() || values.isEmpty()) throw new IllegalArgumentException("no \"values\" array");
            float[] v = new float[values.size()];
            for (int i = 0; i < v.length; i++) {
                JsonNode x = values.get(i);
                if (!x.isNumber()) throw new IllegalArgumentException("values[" + i + "] is not a number");
                v[i] = x.floatValue();
            }
            JsonNode sid = n.get("sensorId");
            String sensorId = sid != null && sid.isTextual() ? sid.asText() : topicLevel(topic);
            JsonNode ts = n.get("timestampMillis");
            if (ts != null && !ts.canConvertToLong()) throw new IllegalArgumentException("timestampMillis is not an integer");
            SensorReading r = new SensorReading(sensorId, ts == null ? arrivalMillis : ts.asLong(), v);
            JsonNode label = n.get("label");
            if (label != null && !label.isNull()) {
                if (!label.canConvertToInt()) throw new IllegalArgumentException("label is not an integer");
                r.label = label.asInt();
            }
            return r;
        }
    }
}
