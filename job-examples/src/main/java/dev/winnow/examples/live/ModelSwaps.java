package dev.winnow.examples.live;

import java.io.PrintStream;
import java.util.HashMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * One console line per camera (or sensor) whose deciding model changes, e.g.
 * {@code camera plaza: person-detector v3 → v4 at 12:03:41} (the event time of its first record
 * decided by the new version, {@link Clock}). A chained filter passes on only the stamps whose
 * version differs from the last one its subtask saw for that key, so the keyed step sees a handful
 * of records per swap, not one per frame. Lines go to the standard output of the task manager: the
 * console for a local MiniCluster run, the TaskManager's {@code .out} file on a cluster.
 */
public final class ModelSwaps {
    private ModelSwaps() {}

    /** Adds the swap log for {@code stamps}; {@code kind} names the key in the line ("camera", "sensor"). */
    public static void log(DataStream<ModelStamp> stamps, String kind) {
        stamps.flatMap(new Changes()).name("model changes").uid("model-changes")
                .keyBy(s -> s.key()).process(new Print(kind)).name("model swap log").uid("model-swap-log")
                .sinkTo(new DiscardingSink<>()).name("model swap log sink").uid("model-swap-log-sink");
    }

    /** Not thread safe: one per subtask, on its task thread. */
    static final class Changes extends RichFlatMapFunction<ModelStamp, ModelStamp> {
        private transient HashMap<String, String> last;

        @Override
        public void open(OpenContext ctx) {
            last = new HashMap<>();
        }

        @Override
        public void flatMap(ModelStamp s, Collector<ModelStamp> out) {
            String v = s.model() + "#" + s.version();
            if (!v.equals(last.put(s.key(), v))) out.collect(s);
        }
    }

    static final class Print extends KeyedProcessFunction<String, ModelStamp, Void> {
        private final String kind;
        private transient ValueState<ModelStamp> last;

        Print(String kind) {
            this.kind = kind;
        }

        @Override
        public void open(OpenContext ctx) {
            last = getRuntimeContext().getState(new ValueStateDescriptor<>("last-model", ModelStamp.class));
        }

        @Override
        public void processElement(ModelStamp s, Context ctx, Collector<Void> out) throws Exception {
            ModelStamp before = last.value();
            if (before != null && before.version() == s.version() && before.model().equals(s.model())) return;
            if (before != null && s.timeMillis() < before.timeMillis()) return; // a late stamp from a subtask that swapped later
            last.update(s);
            if (before != null) print(System.out, kind, before, s);
        }
    }

    static void print(PrintStream out, String kind, ModelStamp before, ModelStamp now) {
        out.println(line(kind, before, now));
    }

    /** The swap line, e.g. {@code camera plaza: person-detector v3 → v4 at 12:03:41}. */
    public static String line(String kind, ModelStamp before, ModelStamp now) {
        String to = before.model().equals(now.model()) ? "v" + now.version() : now.model() + " v" + now.version();
        return kind + " " + now.key() + ": " + before.model() + " v" + before.version() + " → " + to + " at " + Clock.time(now.timeMillis());
    }
}
