import dev.winnow.connectors.avro.AvroFormat;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The failover script's verdict check: reads the frames topic and the verdicts topic to their ends with
 * {@code isolation.level=read_committed} (what a downstream reader of an exactly-once topic sees) and
 * prints one line: {@code exactly-once: <in> in, <out> out, <lost> lost, <dup> duplicated, <r> restarts}.
 * A frame without a verdict is lost; every verdict after the first for the same camera and seq is a
 * duplicate. With a fifth argument, the version a swap went to: per camera, in frame order, the model
 * versions must never go back and must end on it (the line then ends with
 * {@code swap to v<N> on all subtasks}). Exit code 0 only when all of that holds. Run with the cluster
 * jar and Flink's lib on the class path:
 * {@code java -cp … scripts/lib/ExactlyOnceCheck.java <bootstrap> <frames> <verdicts> <restarts> [<version>]}.
 * A second line compares what crossed Kafka per camera-hour of video (event time, first to last frame
 * plus one frame period): the frames themselves against the verdicts the edge job sends on.
 */
public class ExactlyOnceCheck {
    public static void main(String[] args) throws Exception {
        if (args.length != 4 && args.length != 5) {
            System.err.println("usage: ExactlyOnceCheck <bootstrap> <frames-topic> <verdicts-topic> <restarts> [<version swapped to>]");
            System.exit(2);
        }
        String bootstrap = args[0];
        Set<String> in = new HashSet<>();
        long[] frameBytes = {0}, verdictBytes = {0};
        Map<String, long[]> span = new HashMap<>(); // camera -> first, last event time, frames
        readAll(bootstrap, args[1], r -> {
            Frame f = AvroFormat.FRAME.decode(r.value());
            in.add(key(f));
            frameBytes[0] += Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
            long[] s = span.computeIfAbsent(f.cameraId, c -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0});
            s[0] = Math.min(s[0], f.timestampMillis);
            s[1] = Math.max(s[1], f.timestampMillis);
            s[2]++;
        });
        Map<String, Integer> seen = new HashMap<>();
        Map<String, java.util.TreeMap<Long, Integer>> versions = new HashMap<>();
        long[] out = {0};
        readAll(bootstrap, args[2], r -> {
            Verdict v = AvroFormat.VERDICT.decode(r.value());
            seen.merge(v.cameraId + "#" + v.seq, 1, Integer::sum);
            versions.computeIfAbsent(v.cameraId, c -> new java.util.TreeMap<>()).put(v.seq, v.modelVersion);
            out[0]++;
            verdictBytes[0] += Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
        });
        String swap = args.length == 5 ? swapCheck(versions, Integer.parseInt(args[4])) : "";
        long lost = in.stream().filter(k -> !seen.containsKey(k)).count();
        long duplicated = seen.values().stream().mapToLong(n -> n - 1).sum();
        long unknown = seen.keySet().stream().filter(k -> !in.contains(k)).count();
        System.out.printf("exactly-once: %d in, %d out, %d lost, %d duplicated, %s restarts%s%s%n", in.size(), out[0], lost, duplicated, args[3],
                unknown == 0 ? "" : ", " + unknown + " verdicts for frames never sent", swap);
        double hours = 0;
        for (long[] s : span.values()) if (s[2] > 1) hours += (s[1] - s[0]) * (1.0 + 1.0 / (s[2] - 1)) / 3_600_000.0;
        if (hours > 0) System.out.printf(java.util.Locale.ROOT, "kafka bytes per camera-hour: frames %.1f MB, verdicts %.2f MB (%.3f %% of the frames; %.2f camera-hours)%n",
                frameBytes[0] / hours / 1e6, verdictBytes[0] / hours / 1e6, 100.0 * verdictBytes[0] / Math.max(1, frameBytes[0]), hours);
        System.exit(lost == 0 && duplicated == 0 && unknown == 0 && !swap.contains("NOT") ? 0 : 1);
    }

    /** ", swap to vN on all subtasks" when every camera's versions only move forward and end on N; else says which did not. */
    static String swapCheck(Map<String, java.util.TreeMap<Long, Integer>> versions, int to) {
        List<String> bad = new ArrayList<>();
        for (var e : versions.entrySet()) {
            int last = 0;
            for (var f : e.getValue().entrySet()) {
                if (f.getValue() < last) bad.add(e.getKey() + " back to v" + f.getValue() + " at frame " + f.getKey());
                last = Math.max(last, f.getValue());
            }
            if (e.getValue().lastEntry().getValue() != to) bad.add(e.getKey() + " ends on v" + e.getValue().lastEntry().getValue());
        }
        return bad.isEmpty() ? ", swap to v" + to + " on all subtasks" : ", swap to v" + to + " NOT on all subtasks: " + String.join("; ", bad);
    }

    static String key(Frame f) {
        return f.cameraId + "#" + f.seq;
    }

    interface RecordHandler {
        void accept(ConsumerRecord<byte[], byte[]> r) throws Exception;
    }

    /** Every committed record of the topic, from the beginning to the end offsets at the time of the call. */
    static void readAll(String bootstrap, String topic, RecordHandler handler) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(topic, Duration.ofSeconds(30)).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            // with read_committed these are the last stable offsets: an open transaction would stop the read there
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) throw new IllegalStateException(topic + ": not read to its end offsets " + end + " within 60 s");
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) handler.accept(r);
            }
        }
    }
}
