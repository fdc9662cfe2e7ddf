package dev.winnow.flink.bench;

import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.sensor.StreamingFastGrnn;
import dev.winnow.flink.types.SensorReading;
import dev.winnow.runtime.testing.RandomFastGrnn;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.storage.JobManagerCheckpointStorage;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * Heap and checkpoint bytes of {@link StreamingFastGrnn}'s state for many sensors, through the keyed
 * operator test harness with the heap state backend (the default): every sensor has its state
 * object, its hidden vector, an open window and a silence timer. Heap is measured as used memory
 * after a full GC, before and after the readings; not a test: figures only.
 *
 * <pre>java -cp … dev.winnow.flink.bench.StreamingFastGrnnStateSize [sensors] [hidden]</pre>
 */
public final class StreamingFastGrnnStateSize {
    public static void main(String[] args) throws Exception {
        int sensors = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int hidden = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        StreamingFastGrnn fn = StreamingFastGrnn.builder(ModelSource.ofBytes(new RandomFastGrnn(13, 3, hidden, 6, 128, 0, 0).artifact("g"), 1))
                .channels(3).everyReadings(50).window(Duration.ofSeconds(1)).silenceAfter(Duration.ofSeconds(60)).build();
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(fn), (SensorReading r) -> r.sensorId, Types.STRING);
        h.setCheckpointStorage(new JobManagerCheckpointStorage(1 << 30)); // the default caps a checkpoint at 5 MB
        h.open();
        long now = System.currentTimeMillis();
        h.setProcessingTime(now);
        // the sensor ids and readings exist before the baseline, so only the operator's state is counted
        SensorReading[] readings = new SensorReading[sensors];
        for (int s = 0; s < sensors; s++) readings[s] = new SensorReading("sensor-" + s, now - 60_000, new float[] {0.1f, -0.2f, 0.3f});
        long before = usedAfterGc();
        for (SensorReading r : readings) h.processElement(new StreamRecord<>(r, r.timestampMillis));
        long after = usedAfterGc();
        OperatorSubtaskState snapshot = h.snapshot(1, now);
        System.out.printf("%,d sensors, hidden %d: heap %,d bytes (%.0f per sensor, %.1f MB); checkpoint %,d bytes (%.0f per sensor)%n",
                sensors, hidden, after - before, (after - before) / (double) sensors, (after - before) / 1e6,
                snapshot.getStateSize(), snapshot.getStateSize() / (double) sensors);
        if (readings.length == 0) System.out.println(); // keeps the readings reachable until here
        h.close();
    }

    static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
