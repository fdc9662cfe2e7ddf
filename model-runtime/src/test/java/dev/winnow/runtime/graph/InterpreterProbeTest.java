package dev.winnow.runtime.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.kernel.RequantizationGuard;
import dev.winnow.runtime.testing.Tensors;
import dev.winnow.runtime.testing.TinyCnn;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The interpreter measures one invoke at the 64th, the 256th, ... (and the next one too when the
 * first allocates), hands the figure to the guard, and the measured invokes still compute the output.
 */
class InterpreterProbeTest {
    private Graph graph;
    private List<float[]> images;

    @BeforeEach
    void tinyInt8Cnn() throws Exception {
        assumeTrue(RequantizationGuard.armed(), "vector requantization is not on by default in this JVM");
        TinyCnn cnn = new TinyCnn(3, 24, 32);
        Random r = new Random(5);
        images = new ArrayList<>();
        for (int i = 0; i < 4; i++) images.add(Tensors.gaussian(r, cnn.inputSize(), 1));
        graph = Model.load(cnn.int8Artifact(images)).newInterpreter().graph();
    }

    /** A meter whose k-th measured invoke allocates {@code bytes[k]} (0 past the end): every second reading moves it. */
    private static LongSupplier meter(long... bytes) {
        return new LongSupplier() {
            long total;
            int readings;

            @Override
            public long getAsLong() {
                int k = readings++;
                if (k % 2 == 1 && k / 2 < bytes.length) total += bytes[k / 2];
                return total;
            }
        };
    }

    /** Invokes {@code n} times beside an unprobed interpreter; returns the figures the guard heard, by invoke. */
    private List<String> run(LongSupplier meter, int n) {
        List<String> heard = new ArrayList<>();
        Interpreter probed = new Interpreter(graph, meter, (bytes, what) -> heard.add(bytes + " B") && false);
        Interpreter plain = new Interpreter(graph, () -> 0, (bytes, what) -> false);
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
    void invokes64And256AreMeasured() {
        assertEquals(List.of("100 B", "100 B"), run(meter(100, 100, 100), 300));
    }

    @Test
    void anInvokeThatAllocatesHasTheNextOneMeasuredAndTheGuardHearsTheSmaller() {
        // at 64 a one-off 5000 B, 65 clean: the guard hears 0; at 260 and 261 both allocate: it hears the smaller
        assertEquals(List.of("0 B", "3000 B"), run(meter(5000, 0, 4000, 3000), 300));
    }
}
