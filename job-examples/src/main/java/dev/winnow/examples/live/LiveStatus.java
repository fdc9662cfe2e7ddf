package dev.winnow.examples.live;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * A periodic one-line status of live cameras, so a job that runs for hours shows it is alive:
 * {@code status 12:03:41 (last 30 s): plaza 150 frames, 42 with people, person-detector v4 | garden 0 frames}.
 * Every camera seen so far is listed, one that sent nothing in the period with 0 frames. One
 * subtask (all stamps share one key) keeps the counts in memory on its task thread; the period runs
 * on processing time. Lines go to the task manager's standard output, like {@link ModelSwaps}.
 */
public final class LiveStatus extends KeyedProcessFunction<Integer, ModelStamp, Void> {
    private static final long serialVersionUID = 1L;

    private final long periodMillis;
    private final String kind;
    private transient Map<String, long[]> counts;
    private transient Map<String, String> models;
    private transient long nextLine;

    private LiveStatus(Duration period, String kind) {
        this.periodMillis = period.toMillis();
        this.kind = kind;
    }

    /** Adds the status line for {@code stamps} every {@code period}; {@code kind} is "frames" or "windows". */
    public static void log(DataStream<ModelStamp> stamps, Duration period, String kind) {
        if (period.isZero() || period.isNegative()) throw new IllegalArgumentException("status period must be positive: " + period);
        stamps.keyBy(s -> 0).process(new LiveStatus(period, kind)).setParallelism(1).name("live status").uid("live-status")
                .sinkTo(new DiscardingSink<>()).setParallelism(1).name("live status sink").uid("live-status-sink");
    }

    @Override
    public void open(OpenContext ctx) {
        counts = new TreeMap<>();
        models = new TreeMap<>();
        nextLine = 0;
    }

    @Override
    public void processElement(ModelStamp s, Context ctx, Collector<Void> out) {
        long[] c = counts.computeIfAbsent(s.key(), k -> new long[2]);
        c[0]++;
        if (s.positive()) c[1]++;
        models.put(s.key(), s.model() + " v" + s.version());
        if (nextLine == 0) {
            nextLine = ctx.timerService().currentProcessingTime() + periodMillis;
            ctx.timerService().registerProcessingTimeTimer(nextLine);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Void> out) {
        System.out.println(line(timestamp));
        for (long[] c : counts.values()) { c[0] = 0; c[1] = 0; }
        nextLine = timestamp + periodMillis;
        ctx.timerService().registerProcessingTimeTimer(nextLine);
    }

    String line(long now) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "status %s (last %d s): ", Clock.time(now), periodMillis / 1000));
        String sep = "";
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            long[] c = e.getValue();
            b.append(sep).append(e.getKey()).append(' ').append(c[0]).append(' ').append(kind);
            if (c[0] > 0) b.append(", ").append(c[1]).append(kind.equals("frames") ? " with people, " : " relevant, ").append(models.get(e.getKey()));
            sep = " | ";
        }
        return b.toString();
    }
}
