package dev.winnow.bench;

import dev.winnow.flink.frames.FramePreprocessor;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import dev.winnow.runtime.Model;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The frame operator's preparation of one frame for the int8 person detector (its 320x240 grey input),
 * before the model runs: a 768x576 colour JPEG (vtest frame 700 when data/detector exists, else a
 * synthetic scene; ImageIO's default quality) decoded, turned grey and resized, and a 320x240 GRAY8
 * frame, which only needs normalising. Compare with {@link DetectorBenchmarks} (the model alone).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FramePrepBenchmarks {
    private FramePreprocessor prep;
    private float[] input;
    private Frame jpeg, gray;

    @Setup
    public void setup() throws Exception {
        Path root = Path.of(System.getProperty("winnow.root", "."));
        prep = new FramePreprocessor(Model.load(root.resolve("model-tools/detector/person-detector-int8.wnm")).inputSpec());
        input = new float[prep.inputSize()];
        Path png = root.resolve("data/detector/vtest/native/0700.png");
        BufferedImage img = Files.exists(png) ? ImageIO.read(png.toFile()) : scene(768, 576);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        jpeg = new Frame("bench", 0, 0, FrameEncoding.JPEG, img.getWidth(), img.getHeight(), out.toByteArray());
        byte[] g = new byte[320 * 240];
        for (int i = 0; i < g.length; i++) g[i] = (byte) ((i * 7 + i / 320 * 13) & 0xFF);
        gray = new Frame("bench", 0, 0, FrameEncoding.GRAY8, 320, 240, g);
    }

    private static BufferedImage scene(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, ((x * 3) & 0xFF) << 16 | ((y * 5) & 0xFF) << 8 | ((x + y) & 0xFF));
        return img;
    }

    @Benchmark
    public float jpeg768x576() throws Exception {
        prep.apply(jpeg, input, 0);
        return input[1234];
    }

    @Benchmark
    public float gray320x240() throws Exception {
        prep.apply(gray, input, 0);
        return input[1234];
    }
}
