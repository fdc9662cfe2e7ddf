package dev.winnow.flink.frames;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.testing.NoiseFrames;
import dev.winnow.flink.testing.VtestClip;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.flink.types.Verdict;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.runtime.testing.RepoRoot;
import dev.winnow.runtime.testing.TinyCnn;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.StreamFlatMap;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FrameScorerTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    static final TinyCnn CNN = new TinyCnn(3, 24, 32); // input 24x32x1, scale 1/255, labels a..d

    static Frame gray(String cam, long seq, int w, int h, Random r) {
        return NoiseFrames.gray(cam, seq, w, h, r);
    }

    @Test
    void halfSizeResizeAveragesTwoByTwoBlocksAndScales() throws Exception {
        FramePreprocessor p = new FramePreprocessor(Model.load(CNN.float32Artifact()).inputSpec());
        Frame f = gray("c", 0, 64, 48, new Random(1));
        float[] x = new float[p.inputSize()];
        p.apply(f, x, 0);
        for (int y = 0; y < 24; y++) {
            for (int xx = 0; xx < 32; xx++) {
                int a = f.data[(2 * y) * 64 + 2 * xx] & 0xFF, b = f.data[(2 * y) * 64 + 2 * xx + 1] & 0xFF;
                int c = f.data[(2 * y + 1) * 64 + 2 * xx] & 0xFF, d = f.data[(2 * y + 1) * 64 + 2 * xx + 1] & 0xFF;
                assertEquals((a + b + c + d) / 4.0 / 255, x[y * 32 + xx], 1e-5);
            }
        }
        // RGB24 of equal channels gives the same gray
        byte[] rgb = new byte[64 * 48 * 3];
        for (int i = 0; i < 64 * 48; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = f.data[i];
        float[] y2 = new float[p.inputSize()];
        p.apply(new Frame("c", 0, 0, FrameEncoding.RGB24, 64, 48, rgb), y2, 0);
        for (int i = 0; i < y2.length; i++) assertEquals(x[i], y2[i], 1e-4);
    }

    @Test
    void scoresMatchTheModelAndMalformedFramesAreDropped() throws Exception {
        Random r = new Random(2);
        ModelSource src = ModelSource.ofBytes(CNN.float32Artifact(), 7);
        try (var h = new OneInputStreamOperatorTestHarness<>(new StreamFlatMap<>(new FrameScorer(src, "a")))) {
            h.open();
            Frame good = gray("cam", 1, 64, 48, r);
            Frame shortData = new Frame("cam", 2, 200, FrameEncoding.GRAY8, 64, 48, new byte[100]);
            Frame garbageJpeg = new Frame("cam", 3, 300, FrameEncoding.JPEG, 64, 48, new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
            BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setDataElements(0, 0, 64, 48, good.data);
            ByteArrayOutputStream jpg = new ByteArrayOutputStream();
            ImageIO.write(img, "jpg", jpg);
            Frame jpeg = new Frame("cam", 4, 400, FrameEncoding.JPEG, 64, 48, jpg.toByteArray());
            for (Frame f : List.of(good, shortData, garbageJpeg, jpeg)) h.processElement(f, f.timestampMillis);
            List<ScoredFrame> out = h.extractOutputValues();
            assertEquals(List.of(1L, 4L), out.stream().map(s -> s.frame.seq).toList(), "the two malformed frames are dropped");

            Model m = Model.load(CNN.float32Artifact());
            FramePreprocessor p = new FramePreprocessor(m.inputSpec());
            float[] x = new float[p.inputSize()], probs = new float[4];
            p.apply(good, x, 0);
            m.newInterpreter().predict(x, probs);
            assertEquals(probs[0], out.get(0).verdict.score, 1e-6);
            assertEquals("tiny-cnn", out.get(0).verdict.modelName);
            assertEquals(7, out.get(0).verdict.modelVersion);
            // JPEG is lossy: the decoded frame scores close to the raw one
            assertEquals(out.get(0).verdict.score, out.get(1).verdict.score, 0.05);
        }
    }

    /**
     * A grey frame of the int8 detector's own size goes into the arena through a table of the 256 grey
     * levels instead of a float rounding per pixel: every output must be the one the float path gives.
     * Frames of another size, and a second score of one prepared frame, take the float path.
     */
    @Test
    void int8GreyFramesOfTheInputSizeScoreAsTheFloatPathDoes() throws Exception {
        Model m = Model.load(RepoRoot.path().resolve("model-tools/detector/person-detector-int8.wnm"));
        int w = m.inputSpec().shape()[1], h = m.inputSpec().shape()[0];
        List<Frame> frames = new ArrayList<>();
        VtestClip.decode(300, 303, (i, grey) -> {
            frames.add(new Frame("vtest", i, i, FrameEncoding.GRAY8, w, h, nearest(grey, VtestClip.W, VtestClip.H, w, h)));
            if (i == 303) frames.add(new Frame("vtest-native", i, i, FrameEncoding.GRAY8, VtestClip.W, VtestClip.H, grey));
        });
        byte[] noise = new byte[w * h];
        new Random(5).nextBytes(noise);   // every grey level, many times
        frames.add(new Frame("noise", 0, 0, FrameEncoding.GRAY8, w, h, noise));

        FrameScoring scoring = new FrameScoring(m, 1, "person");
        Interpreter reference = m.newInterpreter();
        FramePreprocessor p = new FramePreprocessor(m.inputSpec());
        float[] x = new float[p.inputSize()], dets = new float[m.output(0).elementCount()], count = new float[1], best = new float[1];
        int people = 0;
        for (Frame f : frames) {
            p.apply(f, x, 0);
            reference.setInput(0, x, 0);
            reference.invoke();
            reference.getOutput(0, dets, 0);
            reference.getOutput(1, count, 0);
            reference.getOutput(2, best, 0);
            scoring.prepare(f);
            for (int again = 0; again < 2; again++) {
                Verdict v = scoring.score(f).verdict;
                String what = f.cameraId + "#" + f.seq + (again == 1 ? ", scored again" : "");
                assertEquals((int) count[0], v.count, what);
                assertEquals(v.count > 0 ? dets[4] : 0f, v.score, 0f, what);
                assertEquals(best[0], v.rawScore, 0f, what);
            }
            people += (int) count[0];
        }
        assertTrue(people > 0, "the vtest frames have people in them: " + people);
    }

    /** {@code src} (sw x sh) sampled at the nearest pixel to dw x dh. */
    private static byte[] nearest(byte[] src, int sw, int sh, int dw, int dh) {
        byte[] out = new byte[dw * dh];
        for (int y = 0; y < dh; y++)
            for (int x = 0; x < dw; x++) out[y * dw + x] = src[(y * sh / dh) * sw + x * sw / dw];
        return out;
    }

    @Test
    void scoresEveryFrameOfAJobOnTheMiniCluster() throws Exception {
        StreamExecutionEnvironment env = FlinkTests.env(2, 0);
        Random r = new Random(3);
        List<Frame> frames = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) frames.add(i % 50 == 7 ? new Frame("cam", i, i, FrameEncoding.GRAY8, 64, 48, new byte[3]) : gray("cam", i, 64, 48, r));
        List<ScoredFrame> out = env.fromData(frames).flatMap(new FrameScorer(ModelSource.ofBytes(CNN.int8Artifact(List.of(new float[24 * 32])), 1), "a"))
                .executeAndCollect(1000);
        assertEquals(196, out.size(), "4 malformed frames dropped, the rest scored");
        for (ScoredFrame s : out) assertEquals("tiny-cnn-int8", s.verdict.modelName);
    }
}
