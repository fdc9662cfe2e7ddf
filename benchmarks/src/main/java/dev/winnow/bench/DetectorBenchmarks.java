package dev.winnow.bench;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.Interpreter;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The person detector (model-tools/detector/person-detector-{float,int8}.wnm) on one 320x240 frame:
 * set the input, run the graph (convs, RNNPool, MBConv, head, NMS), read detections and count.
 * The frame is a decoded vtest frame when data/detector exists, otherwise a synthetic scene.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DetectorBenchmarks {
    @Param({"float", "int8"})
    public String variant;

    private Interpreter it;
    private float[] frame;
    private final float[] dets = new float[24 * 5];
    private final float[] count = new float[1];

    @Setup
    public void setup() throws Exception {
        Path root = Path.of(System.getProperty("winnow.root", "."));
        it = Model.load(root.resolve("model-tools/detector/person-detector-" + variant + ".wnm")).newInterpreter();
        frame = loadFrame(root.resolve("data/detector/vtest/native/0700.png"));
    }

    /** A frame as the student's input, converted as the Flink frame operator converts it; a fixed pattern without the footage. */
    static float[] loadFrame(Path png) throws Exception {
        float[] f = new float[240 * 320];
        if (Files.exists(png)) {
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
            int w = img.getWidth(), h = img.getHeight();
            byte[] rgb = new byte[3 * w * h];
            dev.winnow.flink.frames.RgbPixels.toRgb24(img, rgb, new int[w]);
            dev.winnow.runtime.image.FrameResize.greyStretch(rgb, w, h, 3, 320, 240, f, new float[w * h]);
        } else {
            for (int y = 0; y < 240; y++) for (int x = 0; x < 320; x++) f[y * 320 + x] = ((x * 7 + y * 13) % 256) / 255f;
        }
        return f;
    }

    @Benchmark
    public float detect() {
        it.predict(frame, dets);
        it.getOutput(1, count, 0);
        return count[0] + dets[4];
    }
}
