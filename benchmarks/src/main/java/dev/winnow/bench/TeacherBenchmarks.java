package dev.winnow.bench;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.Interpreter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The teacher (models/teacher/centernet.wnm, the CenterNet imported from TF.js) on one real 512x512
 * input: a vtest frame letterboxed by the teacher's preprocessing, as the golden test writes it to
 * data/teacher-golden/inputs/. One call = set the input, run the graph (backbone, head, decode), read
 * the detections.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TeacherBenchmarks {
    static final String INPUT = "data/teacher-golden/inputs/vtest-0720.f32";

    private Interpreter it;
    private float[] input;
    private float[] dets;

    @Setup
    public void setup() throws Exception {
        Path root = Path.of(System.getProperty("winnow.root", "."));
        Model m = Model.load(root.resolve(System.getProperty("winnow.teacher", "models/teacher/centernet.wnm")));
        it = m.newInterpreter();
        input = readInput(root.resolve(INPUT), m.input(0).elementCount());
        dets = new float[m.output(0).elementCount()];
    }

    static float[] readInput(Path f, int n) throws Exception {
        if (!Files.exists(f)) throw new IllegalStateException(f + " is missing: run the teacher's golden test once (scripts/test.sh) to write it");
        byte[] b = Files.readAllBytes(f);
        if (b.length != n * 4) throw new IllegalStateException(f + " has " + b.length / 4 + " values, the model takes " + n);
        float[] x = new float[n];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(x);
        return x;
    }

    @Benchmark
    public float detect() {
        return it.predict(input, dets)[4];
    }
}
