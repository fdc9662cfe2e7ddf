package dev.winnow.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The XNOR dense kernel: one path, since Long.bitCount compiles to POPCNT either way. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BinaryKernelBenchmark {
    private final Runnable kernel = KernelBenchmarks.build("binary_dense:4096->1024", false);

    @Benchmark
    public void binaryDense() {
        kernel.run();
    }
}
