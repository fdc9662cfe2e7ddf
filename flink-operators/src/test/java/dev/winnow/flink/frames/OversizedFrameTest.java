package dev.winnow.flink.frames;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.testing.TinyCnn;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Frames whose header claims a huge size: a greyscale JPEG whose SOF0 says 30000x30000 used to
 * overflow {@code w*h*3} (NegativeArraySizeException, restart loop) and one saying 12000x12000 to
 * exhaust a 1 GB heap. Both are now refused against the pixel budget before any allocation of the
 * claimed size, counted in {@code framesOversized} and dropped.
 */
class OversizedFrameTest {
    static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster(REPORTER);

    static final TinyCnn CNN = new TinyCnn(3, 24, 32);

    /** A real 16x16 greyscale baseline JPEG whose SOF0 width and height fields are rewritten to w x h. */
    static byte[] greyJpegClaiming(int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        byte[] b = out.toByteArray();
        for (int i = 2; i + 9 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xC0) {        // SOF0: len(2) P(1) Y(2) X(2) Nf(1)
                assertEquals(1, b[i + 9], "one component: greyscale");
                b[i + 5] = (byte) (h >> 8);
                b[i + 6] = (byte) h;
                b[i + 7] = (byte) (w >> 8);
                b[i + 8] = (byte) w;
                return b;
            }
        }
        throw new AssertionError("no SOF0 in ImageIO's JPEG");
    }

    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void hugeJpegHeadersAreRefusedWithoutAllocatingTheClaimedSize() throws Exception {
        FramePreprocessor p = new FramePreprocessor(Model.load(CNN.float32Artifact()).inputSpec());
        float[] x = new float[p.inputSize()];
        for (int side : new int[] {30000, 12000}) {
            byte[] jpeg = greyJpegClaiming(side, side);
            Frame f = new Frame("cam", 1, 0, FrameEncoding.JPEG, 16, 16, jpeg);
            p.apply(new Frame("cam", 0, 0, FrameEncoding.JPEG, 16, 16, greyJpegClaiming(16, 16)), x, 0); // warm up ImageIO
            long before = allocatedBytes();
            OversizedFrameException e = assertThrows(OversizedFrameException.class, () -> p.apply(f, x, 0));
            long allocated = allocatedBytes() - before;
            assertTrue(e.getMessage().contains(side + "x" + side), e.getMessage());
            assertTrue(allocated < 4L << 20, "refusing a " + side + "x" + side + " header allocated " + allocated + " bytes");
        }
    }

    @Test
    void rawFramesOverTheBudgetAreRefusedAndTheBudgetIsConfigurable() throws Exception {
        var spec = Model.load(CNN.float32Artifact()).inputSpec();
        FramePreprocessor small = new FramePreprocessor(spec, 64 * 48 - 1);
        float[] x = new float[small.inputSize()];
        byte[] px = new byte[64 * 48];
        assertThrows(OversizedFrameException.class, () -> small.apply(new Frame("c", 0, 0, FrameEncoding.GRAY8, 64, 48, px), x, 0));
        new FramePreprocessor(spec, 64 * 48).apply(new Frame("c", 0, 0, FrameEncoding.GRAY8, 64, 48, px), x, 0);
        // a header claiming 30000x30000 RGB (w*h*3 overflows int) with a few bytes behind it
        assertThrows(OversizedFrameException.class,
                () -> new FramePreprocessor(spec).apply(new Frame("c", 0, 0, FrameEncoding.RGB24, 30000, 30000, new byte[12]), x, 0));
        assertThrows(IllegalArgumentException.class, () -> new FramePreprocessor(spec, 0));
        // a normal greyscale JPEG still decodes and matches its raw frame
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_GRAY);
        new Random(4).nextBytes(px);
        img.getRaster().setDataElements(0, 0, 64, 48, px);
        ByteArrayOutputStream jpg = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", jpg);
        float[] fromJpeg = new float[x.length], fromRaw = new float[x.length];
        FramePreprocessor p = new FramePreprocessor(spec);
        p.apply(new Frame("c", 0, 0, FrameEncoding.JPEG, 64, 48, jpg.toByteArray()), fromJpeg, 0);
        p.apply(new Frame("c", 0, 0, FrameEncoding.GRAY8, 64, 48, px), fromRaw, 0);
        double err = 0;
        for (int i = 0; i < x.length; i++) err += Math.abs(fromJpeg[i] - fromRaw[i]);
        assertTrue(err / x.length < 0.1, "mean abs difference " + err / x.length);
    }

    @Test
    void aJobCountsAndDropsOversizedFramesAndKeepsRunning() throws Exception {
        Random r = new Random(5);
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] px = new byte[64 * 48];
            r.nextBytes(px);
            frames.add(new Frame("cam", i, i * 100L, FrameEncoding.GRAY8, 64, 48, px));
        }
        frames.add(5, new Frame("cam", 100, 550, FrameEncoding.JPEG, 30000, 30000, greyJpegClaiming(30000, 30000)));
        frames.add(12, new Frame("cam", 101, 1150, FrameEncoding.JPEG, 12000, 12000, greyJpegClaiming(12000, 12000)));
        StreamExecutionEnvironment env = FlinkTests.env(1, 0);
        env.fromData(frames).flatMap(new FrameScorer(ModelSource.ofBytes(CNN.float32Artifact(), 1), "a")).uid("score")
                .sinkTo(new DiscardingSink<ScoredFrame>()).uid("discard");
        JobID job = env.execute("oversized").getJobID();
        assertEquals(20, FrameMetricsJobTest.sum(REPORTER, job, "recordsScored"));
        assertEquals(2, FrameMetricsJobTest.sum(REPORTER, job, "framesOversized"));
        assertEquals(0, FrameMetricsJobTest.sum(REPORTER, job, "framesMalformed"));
    }
}
