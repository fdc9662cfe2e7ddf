package dev.winnow.connectors.sink;

import dev.winnow.flink.types.Frame;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Buckets records by their own event time, not by the wall clock when they reach the sink (Flink's
 * {@code DateTimeBucketAssigner}), so a replay or a late record lands where it belongs:
 * {@code [<prefix>/]yyyy-MM-dd--HH}. For frames the prefix is {@code camera=<cameraId>}.
 * Characters other than letters, digits, {@code . _ -} in a prefix value become {@code _}, so an id
 * cannot climb out of the base directory.
 */
public final class EventTimeBuckets<T> implements BucketAssigner<T, String> {
    private static final long serialVersionUID = 1L;
    public static final String HOURLY = "yyyy-MM-dd--HH";

    private final SerializableFunction<T, Long> timestamp;
    private final SerializableFunction<T, String> prefix;
    private final String pattern;
    private final String zone;
    private transient DateTimeFormatter formatter;

    public EventTimeBuckets(SerializableFunction<T, Long> timestamp, SerializableFunction<T, String> prefix,
                            String pattern, ZoneId zone) {
        this.timestamp = timestamp;
        this.prefix = prefix;
        this.pattern = pattern;
        this.zone = zone.getId();
        DateTimeFormatter.ofPattern(pattern); // fail early on a bad pattern
    }

    /** {@code camera=<cameraId>/yyyy-MM-dd--HH} from the frame's capture time. */
    public static EventTimeBuckets<Frame> cameraHour(ZoneId zone) {
        return new EventTimeBuckets<>(f -> f.timestampMillis, f -> "camera=" + f.cameraId, HOURLY, zone);
    }

    /** {@code yyyy-MM-dd--HH} from the record's time. */
    public static <T> EventTimeBuckets<T> hourly(SerializableFunction<T, Long> timestamp, ZoneId zone) {
        return new EventTimeBuckets<>(timestamp, null, HOURLY, zone);
    }

    @Override
    public String getBucketId(T element, Context context) {
        if (formatter == null) formatter = DateTimeFormatter.ofPattern(pattern).withZone(ZoneId.of(zone));
        String time = formatter.format(Instant.ofEpochMilli(timestamp.apply(element)));
        return prefix == null ? time : safe(prefix.apply(element)) + "/" + time;
    }

    static String safe(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-' || c == '=';
            b.append(ok ? c : '_');
        }
        String out = b.toString();
        return out.equals(".") || out.equals("..") || out.isEmpty() ? "_" : out;
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "EventTimeBuckets{" + pattern + ", " + zone + "}";
    }
}
