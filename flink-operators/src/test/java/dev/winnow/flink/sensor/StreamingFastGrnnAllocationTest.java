package dev.winnow.flink.sensor;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.types.SensorPrediction;
import dev.winnow.flink.types.SensorReading;
import dev.winnow.runtime.stream.FastGrnnStepper;
import dev.winnow.runtime.testing.RandomFastGrnn;
import dev.winnow.runtime.testing.Tensors;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * Per reading, once each sensor has its state, the operator allocates nothing beyond what the test
 * harness itself allocates to deliver a record: measured against a keyed function that does nothing,
 * driven the same way over the same readings (heap state backend, the default).
 */
class StreamingFastGrnnAllocationTest {
    static final int SENSORS = 16;

    /** A keyed function that reads nothing and emits nothing: what the harness costs by itself. */
    static final class Nothing extends KeyedProcessFunction<String, SensorReading, SensorPrediction> {
        @Override
        public void processElement(SensorReading r, Context ctx, Collector<SensorPrediction> out) {}
    }

    static long bytesPerRound(KeyedProcessFunction<String, SensorReading, SensorPrediction> fn) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(fn), StreamingFastGrnn::key, Types.STRING);
        h.open();
        // one record object per sensor, reused: timestamps move forward within one window and silence span
        StreamRecord<SensorReading>[] records = new StreamRecord[SENSORS];
        for (int s = 0; s < SENSORS; s++) records[s] = new StreamRecord<>(new SensorReading("s" + s, 0, new float[] {0.5f, -1f, 2f}), 0);
        long[] n = {0};
        long bytes = Tensors.allocationAfterWarmUp(() -> {
            long i = n[0]++;
            StreamRecord<SensorReading> r = records[(int) (i % SENSORS)];
            r.getValue().timestampMillis = i;
            r.getValue().values[0] = (float) Math.sin(i);
            r.setTimestamp(i);
            try {
                h.processElement(r);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, 1000);
        assertTrue(h.getOutput().isEmpty(), "no predictions were due, so none were emitted");
        h.close();
        return bytes;
    }

    private static StreamingFastGrnn operator() throws Exception {
        return StreamingFastGrnn.builder(ModelSource.ofBytes(new RandomFastGrnn(4, 3, 16, 4, 8, 0, 0).artifact("g"), 1))
                .channels(3).window(Duration.ofHours(1)).silenceAfter(Duration.ofHours(1)).build();
    }

    @Test
    void aReadingAllocatesNothingBeyondTheHarness() throws Exception {
        long harness = bytesPerRound(new Nothing());
        long beyond = Tensors.allocationUnderGuard(() -> {
            try {
                long operator = bytesPerRound(operator());
                System.out.printf("bytes allocated over 1000 readings: operator %d, keyed function that does nothing %d%n", operator, harness);
                return operator - harness;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, 1000, FastGrnnStepper.STEP_LIMIT_BYTES, "the FastGRNN steps of this test");
        assertTrue(beyond <= 0, "1000 readings allocated " + beyond + " bytes more through the operator than through a keyed function that does nothing");
    }
}
