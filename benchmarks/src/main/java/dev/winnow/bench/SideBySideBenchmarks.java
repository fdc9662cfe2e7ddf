package dev.winnow.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One case of {@link SideBySideCases} in one runtime: calls per second of Winnow's interpreter or of
 * ONNX Runtime (one intra-op thread) on the exported twin. Setup checks that the twins agree and
 * refuses to time them otherwise. {@link SideBySide} runs it and prints the table.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SideBySideBenchmarks {
    @Param({"conv3x3-fp32"})
    public String name;

    @Param({"winnow", "onnxruntime"})
    public String runtime;

    private OrtTwin twin;
    private dev.winnow.runtime.graph.Interpreter alone;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        SideBySideCases.Case c = SideBySideCases.build(name);
        if (runtime.equals("winnow-only")) {
            // a case ONNX Runtime cannot run (the export refuses an op): Winnow's figure alone
            alone = c.model().newInterpreter();
            return;
        }
        twin = new OrtTwin(c.model(), c.input());
        twin.check(c.floatTol(), c.int8Codes(), c.floatAbs());
    }

    @Benchmark
    public void call() throws Exception {
        if (alone != null) alone.invoke();
        else if (runtime.equals("winnow")) twin.winnow();
        else twin.ort();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        if (twin != null) twin.close();
    }
}
