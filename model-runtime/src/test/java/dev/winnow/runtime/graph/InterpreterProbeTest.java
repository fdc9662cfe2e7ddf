package dev.winnow.runtime.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.kernel.AllocationProbe;
import dev.winnow.runtime.kernel.VectorGuard;
import dev.winnow.runtime.testing.ProbeMeters;
import dev.winnow.runtime.testing.Tensors;
import dev.winnow.runtime.testing.TinyCnn;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The interpreter measures one invoke at the 256th, the 1024th, ... (and the next one too when the
 * first allocates), tells the guard when three probes in a row found allocation, and the measured
 * invokes still compute the output.
 */
class InterpreterProbeTest {
    private Graph graph;
    private List<float[]> images;

    @BeforeEach
    void tinyInt8Cnn() throws Exception {
        assumeTrue(VectorGuard.armed(), "vector requantization is not on by default in this JVM");
        TinyCnn cnn = new TinyCnn(3, 24, 32);
        Random r = new Random(5);
        images = new ArrayList<>();
        for (int i = 0; i < 4; i++) images.add(Tensors.gaussian(r, cnn.inputSize(), 1));
        graph = Model.load(cnn.int8Artifact(images)).newInterpreter().graph();
    }

    /** Invokes {@code n} times beside an unprobed interpreter, the clock moving 3 s a reading; returns the figures the guard heard. */
    private List<String> run(LongSupplier meter, int n) {
        long[] clock = {0};
        return run(meter, n, () -> clock[0] += 3_000_000_000L);
    }

    private List<String> run(LongSupplier meter, int n, LongSupplier nanoTime) {
        List<String> heard = new ArrayList<>();
        Interpreter probed = new Interpreter(graph, new AllocationProbe(Interpreter.probed(graph), VectorGuard.LIMIT_BYTES, meter,
                (bytes, what) -> heard.add(bytes + " B") && false, nanoTime));
        Interpreter plain = new Interpreter(graph, new AllocationProbe(Interpreter.probed(graph), VectorGuard.LIMIT_BYTES, () -> 0, (bytes, what) -> false, nanoTime));
        float[] expected = new float[TinyCnn.CLASSES], actual = new float[TinyCnn.CLASSES];
        for (int i = 1; i <= n; i++) {
            float[] image = images.get(i % images.size());
            plain.predict(image, expected);
            probed.predict(image, actual);
            assertArrayEquals(expected, actual, "invoke " + i);
        }
        return heard;
    }

    @Test
    void threeProbesInARowThatAllocateReachTheGuard() {
        // probes at 256 (and 257), 1028 (and 1029), 4116 (and 4117): each pair allocates; the guard hears the third pair's smaller figure
        assertEquals(List.of("3000 B"), run(ProbeMeters.allocating(5000, 4000, 6000, 2000, 3000, 7000), 4200));
    }

    @Test
    void allocationThatStopsIsWarmUpAndNeverReachesTheGuard() {
        // code C2 has not compiled yet allocates at 256 and 1028, then stops: nothing is reported
        assertEquals(List.of(), run(ProbeMeters.allocating(5000, 5000, 4000, 4000, 0), 4200));
    }

    @Test
    void aOneOffAllocationIsConfirmedByTheNextInvokeOrDropped() {
        // 256 allocates once, 257 does not: the run of allocating probes starts again from nothing
        assertEquals(List.of(), run(ProbeMeters.allocating(5000, 0, 4000, 4000, 4000, 4000), 4200));
    }

    @Test
    void probesThatComeSoonerThanTheGapAfterTheLastDoNotCount() {
        // a model so fast that every probe comes within a second of the first invoke: C2 may not be done
        long[] clock = {0};
        assertEquals(List.of(), run(ProbeMeters.allocating(5000, 4000, 6000, 2000, 3000, 7000), 4200, () -> clock[0] += 1000));
    }

    @Test
    void probesThatFindNothingCostOneMeasurementEach() {
        // 256, 1024 and 4096: two readings each, no second invoke measured
        assertEquals(List.of(), run(ProbeMeters.allocating(100, 100, 100), 4200));
    }
}
