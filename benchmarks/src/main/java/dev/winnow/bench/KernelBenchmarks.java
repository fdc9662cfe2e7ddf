package dev.winnow.bench;

import dev.winnow.runtime.kernel.Activation;
import dev.winnow.runtime.kernel.BinaryDense;
import dev.winnow.runtime.kernel.BinaryPacking;
import dev.winnow.runtime.kernel.Conv2d;
import dev.winnow.runtime.kernel.base.ConvGeometry;
import dev.winnow.runtime.kernel.DepthwiseConv2d;
import dev.winnow.runtime.kernel.Dense;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Kernel throughput at realistic shapes of the person detector and sensor models, scalar and
 * Vector API paths. {@link KernelThroughput} turns the operations per second into GMAC/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class KernelBenchmarks {
    /** name, then H, W, C, outC, k, stride for convolutions. */
    public static final String[] SHAPES = {
        "conv3x3:60x80x16->32", "stem3x3s2:240x320x1->8", "depthwise3x3:60x80x32", "pointwise:60x80x32->64",
        "dense:256->256", "binary_dense:4096->1024"
    };

    @Param({"conv3x3:60x80x16->32", "stem3x3s2:240x320x1->8", "depthwise3x3:60x80x32", "pointwise:60x80x32->64", "dense:256->256"})
    public String shape;

    @Param({"scalar", "vector"})
    public String path;

    private Runnable kernel;

    @Setup
    public void setup() {
        kernel = build(shape, path.equals("vector"));
    }

    static Runnable build(String shape, boolean vector) {
        Random r = new Random(1);
        switch (shape) {
            case "conv3x3:60x80x16->32": return conv(r, 60, 80, 16, 32, 3, 1, vector);
            case "stem3x3s2:240x320x1->8": return conv(r, 240, 320, 1, 8, 3, 2, vector);
            case "pointwise:60x80x32->64": return conv(r, 60, 80, 32, 64, 1, 1, vector);
            case "depthwise3x3:60x80x32": {
                ConvGeometry g = ConvGeometry.same(60, 80, 32, 32, 3, 3, 1, 1);
                DepthwiseConv2d.Float32 k = new DepthwiseConv2d.Float32(g, random(r, 9 * 32), random(r, 32), Activation.RELU6, vector);
                float[] x = random(r, g.inputSize()), y = new float[g.outputSize()];
                return () -> k.run(x, 0, y, 0);
            }
            case "dense:256->256": {
                Dense.Float32 k = new Dense.Float32(256, 256, random(r, 256 * 256), random(r, 256), Activation.NONE, vector);
                float[] x = random(r, 256), y = new float[256];
                return () -> k.run(x, 0, y, 0);
            }
            case "binary_dense:4096->1024": {
                BinaryDense k = BinaryDense.fromFloat(4096, 1024, random(r, 4096 * 1024), null, Activation.NONE);
                long[] bits = new long[64];
                float beta = BinaryPacking.pack(random(r, 4096), 0, 4096, bits, 0);
                float[] y = new float[1024];
                return () -> k.run(bits, 0, beta, y, 0);
            }
            default: throw new IllegalArgumentException(shape);
        }
    }

    /** Multiply-accumulates (binary ops for the XNOR kernel) of one call. */
    static long macs(String shape) {
        switch (shape) {
            case "conv3x3:60x80x16->32": return Conv2d.macs(ConvGeometry.same(60, 80, 16, 32, 3, 3, 1, 1));
            case "stem3x3s2:240x320x1->8": return Conv2d.macs(ConvGeometry.same(240, 320, 1, 8, 3, 3, 2, 2));
            case "pointwise:60x80x32->64": return Conv2d.macs(ConvGeometry.same(60, 80, 32, 64, 1, 1, 1, 1));
            case "depthwise3x3:60x80x32": return DepthwiseConv2d.macs(ConvGeometry.same(60, 80, 32, 32, 3, 3, 1, 1));
            case "dense:256->256": return Dense.macs(256, 256);
            case "binary_dense:4096->1024": return BinaryDense.binaryOps(4096, 1024);
            default: throw new IllegalArgumentException(shape);
        }
    }

    private static Runnable conv(Random r, int h, int w, int c, int oc, int k, int s, boolean vector) {
        ConvGeometry g = ConvGeometry.same(h, w, c, oc, k, k, s, s);
        Conv2d.Float32 conv = new Conv2d.Float32(g, random(r, oc * k * k * c), random(r, oc), Activation.RELU, vector);
        float[] x = random(r, g.inputSize()), y = new float[g.outputSize()], scratch = new float[conv.scratchFloats()];
        return () -> conv.run(x, 0, y, 0, scratch, 0);
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    @Benchmark
    public void run() {
        kernel.run();
    }
}
