package dev.winnow.runtime.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.kernel.AllocationProbe;
import dev.winnow.runtime.kernel.VectorGuard;
import dev.winnow.runtime.kernel.VectorGuardTesting;
import dev.winnow.runtime.kernel.VectorSupport;
import dev.winnow.runtime.testing.ProbeMeters;
import dev.winnow.runtime.testing.RandomFastGrnn;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * A stream's stepper: its cell runs on vectors under the guard and gives the same bits on the plain
 * loops once the guard trips; its probe tells the guard when steps keep allocating, and only then.
 */
class FastGrnnStepperTest {
    private static FastGrnnStream stream(int hidden) throws Exception {
        return FastGrnnStream.of(Model.load(new RandomFastGrnn(21, 3, hidden, 4, 20, 0, 0).artifact("stepper")));
    }

    @Test
    void aTrippedGuardSendsTheStepsToThePlainLoopsWithTheSameBits() throws Exception {
        assumeTrue(VectorGuard.armed() && VectorSupport.guardedVectorCells(), "the cells are not guarded vectors in this JVM");
        FastGrnnStream s = stream(16);
        assumeTrue(s.cell().vectorProducts(), "16 hidden units do not fill whole vectors here");
        float[] x = FastGrnnStreamTest.readings(4, 50, 3), onVectors = new float[16], onLoops = new float[16];
        FastGrnnStepper stepper = s.stepper();
        try {
            for (int t = 0; t < 50; t++) stepper.step(x, t * 3, onVectors, 0);
            assertTrue(VectorGuard.observe(1 << 20, "a test stream"));
            assertFalse(s.cell().vectorProducts());
            assertFalse(s.cell().vectorGates());
            for (int t = 0; t < 50; t++) stepper.step(x, t * 3, onLoops, 0);
        } finally {
            VectorGuardTesting.reset();
        }
        assertArrayEquals(onVectors, onLoops);
    }

    /** Steps {@code n} readings through a stepper whose probe has the given meter and a clock moving 3 s a reading. */
    private static List<String> heard(LongSupplier meter, int n) throws Exception {
        assumeTrue(VectorGuard.armed(), "no guarded vector path is on in this JVM: nothing would be measured");
        FastGrnnStream s = stream(16);
        long[] clock = {0};
        List<String> heard = new ArrayList<>();
        AllocationProbe probe = new AllocationProbe("steps", FastGrnnStepper.STEP_LIMIT_BYTES, meter,
                (bytes, what) -> heard.add(bytes + " B " + what) && false, () -> clock[0] += 3_000_000_000L);
        FastGrnnStepper stepper = new FastGrnnStepper(s, probe);
        float[] x = FastGrnnStreamTest.readings(5, 64, 3), probed = new float[16], plain = new float[16], scratch = new float[s.scratchSize()];
        for (int i = 0; i < n; i++) {
            stepper.step(x, (i & 63) * 3, probed, 0);
            s.step(x, (i & 63) * 3, plain, 0, scratch, 0);
        }
        assertArrayEquals(plain, probed, "the measured steps still step");
        return heard;
    }

    @Test
    void stepsThatKeepAllocatingReachTheGuard() throws Exception {
        // probes at 256 (and 257), 1028 (and 1029), 4116 (and 4117), as a boxed 16-float vector would allocate
        assertEquals(List.of("96 B steps"), heard(ProbeMeters.allocating(112, 96, 96, 128, 96, 160), 4200));
    }

    @Test
    void stepsUnderTheLimitOrThatStopAllocatingDoNot() throws Exception {
        assertEquals(List.of(), heard(ProbeMeters.allocating(48, 48, 48), 4200));
        assertEquals(List.of(), heard(ProbeMeters.allocating(5000, 5000, 4000, 4000, 0), 4200));
    }
}
