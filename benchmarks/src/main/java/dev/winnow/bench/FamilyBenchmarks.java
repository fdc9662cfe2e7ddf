package dev.winnow.bench;

import dev.winnow.runtime.family.Bonsai;
import dev.winnow.runtime.family.FastGrnnCell;
import dev.winnow.runtime.family.Int8RnnPoolLayer;
import dev.winnow.runtime.family.Int8Bonsai;
import dev.winnow.runtime.family.Q15Bonsai;
import dev.winnow.runtime.family.QuantizedBonsai;
import dev.winnow.runtime.family.RnnPool;
import dev.winnow.runtime.family.RnnPoolLayer;
import dev.winnow.runtime.quant.QuantParams;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Predictions per second of the model families at the sizes of the papers' and DESIGN.md's
 * references: a Letter-26 Bonsai (16 features, 26 classes, depth 3, projection 28), the 6x6x8 RNNPool
 * block of the VWW known answer (h1 = h2 = 8), a USPS-sized low-rank FastGRNN (16 steps, h 32, ranks 5),
 * and an RNNPool layer over a 240x320 single-channel map (patch 8, stride 4, h 8), float and int8.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FamilyBenchmarks {
    private final Random r = new Random(1);
    private Bonsai bonsai;
    private QuantizedBonsai bonsaiInt8, bonsaiQ15;
    private float[] features, scores, bonsaiScratch, qScratch;
    private short[] qShorts;
    private RnnPool block;
    private float[] patch, pooled, blockScratch;
    private FastGrnnCell usps;
    private float[] sequence, state, cellScratch;
    private RnnPoolLayer layer;
    private Int8RnnPoolLayer layerInt8;
    private float[] image, layerOut, layerScratch;
    private byte[] imageQ, layerOutQ;
    private short[] layerShorts;
    private int[] layerInts;

    private float[] g(int n, double s) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * s);
        return a;
    }

    private FastGrnnCell cell(int in, int h) {
        return new FastGrnnCell(in, h, g(h * in, 0.3), null, null, g(h * h, 0.3), null, null, g(h, 0.1), g(h, 0.1), 0.99f, 0.01f);
    }

    @Setup
    public void setup() {
        int d = 16, proj = 28, classes = 26, nodes = 15;
        float[] std = new float[d + 1];
        java.util.Arrays.fill(std, 1f);
        float[] z = g(proj * (d + 1), 1);
        for (int i = 0; i < z.length; i++) if (r.nextDouble() < 0.7) z[i] = 0;
        bonsai = new Bonsai(d, proj, classes, 3, 1f, new float[d + 1], std, z, g(classes * nodes * proj, 1), g(classes * nodes * proj, 1), g(7 * proj, 1));
        bonsaiInt8 = new Int8Bonsai(bonsai);
        bonsaiQ15 = new Q15Bonsai(bonsai);
        features = g(d, 1);
        scores = new float[classes];
        bonsaiScratch = new float[bonsai.scratchSize()];
        qScratch = new float[bonsaiInt8.scratchFloats()];
        qShorts = new short[bonsaiInt8.scratchInts()];

        block = new RnnPool(cell(8, 8), cell(8, 8), 6, 6);
        patch = g(288, 1);
        pooled = new float[32];
        blockScratch = new float[block.scratchSize()];

        usps = new FastGrnnCell(16, 32, null, g(5 * 16, 0.3), g(32 * 5, 0.3), null, g(5 * 32, 0.3), g(32 * 5, 0.3), g(32, 0.1), g(32, 0.1), 0.87f, 0.08f);
        sequence = g(256, 1);
        state = new float[32];
        cellScratch = new float[usps.scratchSize()];

        RnnPool face = new RnnPool(cell(1, 8), cell(8, 8), 8, 8);
        layer = new RnnPoolLayer(face, 240, 320, 4, true);
        image = g(240 * 320, 1);
        layerOut = new float[layer.outH() * layer.outW() * layer.outC()];
        layerScratch = new float[layer.scratchSize()];
        QuantParams qp = QuantParams.forRange(-3, 3);
        layerInt8 = new Int8RnnPoolLayer(layer, 240, 320, 4, true, qp, QuantParams.forRange(-2, 2));
        imageQ = new byte[image.length];
        for (int i = 0; i < image.length; i++) imageQ[i] = qp.quantize(image[i]);
        layerOutQ = new byte[layerOut.length];
        layerShorts = new short[layerInt8.scratchShorts()];
        layerInts = new int[layerInt8.scratchInts()];
    }

    @Benchmark public float[] bonsaiLetterFloat() { bonsai.predict(features, 0, scores, 0, bonsaiScratch, 0); return scores; }
    @Benchmark public float[] bonsaiLetterInt8() { bonsaiInt8.predict(features, 0, scores, 0, qScratch, 0, qShorts, 0); return scores; }
    @Benchmark public float[] bonsaiLetterQ15() { bonsaiQ15.predict(features, 0, scores, 0, qScratch, 0, qShorts, 0); return scores; }
    @Benchmark public float[] rnnPoolBlock6x6x8() { block.pool(patch, 0, 48, pooled, 0, blockScratch, 0); return pooled; }
    @Benchmark public float[] fastGrnnUsps() { usps.run(sequence, 0, 16, 16, false, state, 0, cellScratch, 0); return state; }
    @Benchmark public float[] rnnPoolLayer320x240Float() { layer.run(image, 0, layerOut, 0, layerScratch, 0); return layerOut; }
    @Benchmark public byte[] rnnPoolLayer320x240Int8() { layerInt8.run(imageQ, 0, layerOutQ, 0, layerShorts, 0, layerInts, 0); return layerOutQ; }
}
