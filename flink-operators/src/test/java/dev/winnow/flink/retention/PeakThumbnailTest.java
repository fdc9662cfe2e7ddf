package dev.winnow.flink.retention;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import dev.winnow.flink.types.RetentionEvent;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.flink.types.Verdict;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The peak frame's thumbnail: the analysis frame with the detector's boxes, carried by the closed event. */
class PeakThumbnailTest {
    static final int W = 64, H = 48;

    static ScoredFrame grey(long seq, int count, float score, float[] boxes) {
        byte[] px = new byte[W * H];
        java.util.Arrays.fill(px, (byte) 60);
        Frame f = new Frame("gate", seq, seq * 100, FrameEncoding.GRAY8, W, H, px);
        Verdict v = new Verdict();
        v.cameraId = "gate";
        v.seq = seq;
        v.timestampMillis = seq * 100;
        v.score = score;
        v.count = count;
        v.boxes = boxes;
        return new ScoredFrame(f, v);
    }

    static BufferedImage decode(byte[] jpeg) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertNotNull(img, "a JPEG");
        return img;
    }

    /**
     * True when the pixel is the bright box, not the dark background. By brightness and red: JPEG's
     * halved chroma blurs a thin line's colour, its brightness stays.
     */
    static boolean boxColoured(BufferedImage img, int x, int y) {
        int rgb = img.getRGB(x, y), r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff;
        return 0.299 * r + 0.587 * g + 0.114 * b > 120 && r > 150;
    }

    @Test
    void drawsTheBoxesOnTheGreyFrame() throws Exception {
        byte[] jpeg = PeakThumbnail.jpeg(grey(1, 1, 0.9f, new float[] {10, 8, 20, 30, 0.9f}));
        BufferedImage img = decode(jpeg);
        assertEquals(W, img.getWidth());
        assertEquals(H, img.getHeight());
        assertTrue(boxColoured(img, 10, 20), "left edge of the box");
        assertTrue(boxColoured(img, 20, 8), "top edge");
        assertFalse(boxColoured(img, 20, 20), "inside the box the frame shows");
        assertFalse(boxColoured(img, 50, 40), "outside the box the frame shows");
    }

    @Test
    void rgbAndJpegFramesToo() throws Exception {
        byte[] rgb = new byte[W * H * 3];
        for (int i = 0; i < W * H; i++) rgb[3 * i + 2] = (byte) 200;   // blue
        ScoredFrame s = grey(1, 1, 0.9f, new float[] {5, 5, 10, 10, 0.8f});
        s.frame.encoding = FrameEncoding.RGB24;
        s.frame.data = rgb;
        BufferedImage img = decode(PeakThumbnail.jpeg(s));
        assertTrue((img.getRGB(40, 40) & 0xff) > 150, "the frame's own colour");
        assertTrue(boxColoured(img, 5, 10));

        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB), "jpeg", buf);
        s.frame.encoding = FrameEncoding.JPEG;
        s.frame.data = buf.toByteArray();
        img = decode(PeakThumbnail.jpeg(s));
        assertEquals(W, img.getWidth());
        assertTrue(boxColoured(img, 5, 10));
    }

    @Test
    void noThumbnailFromFramesWithoutMatchingPixels() {
        ScoredFrame s = grey(1, 1, 0.9f, new float[0]);
        s.frame.data = new byte[W * H - 1];
        assertNull(PeakThumbnail.jpeg(s), "pixels short of the frame's size");
        s.frame.data = null;
        assertNull(PeakThumbnail.jpeg(s), "a marker carries no pixels");
        s.frame.encoding = FrameEncoding.JPEG;
        s.frame.data = new byte[] {1, 2, 3};
        assertNull(PeakThumbnail.jpeg(s), "garbage that is not a JPEG");
        s = grey(1, 1, 0.9f, new float[] {1, 2, 3});
        assertNotNull(PeakThumbnail.jpeg(s), "a truncated box list draws no box but still gives the frame");
    }

    @Test
    void theClosedEventCarriesThePeakFramesThumbnailOnlyOnTheLifecycleStream() throws Exception {
        RetentionConfig config = new RetentionConfig(0.7f, 0.5f, 200, 200, 0);
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new RetentionFilter(config)),
                (ScoredFrame f) -> f.frame.cameraId, Types.STRING)) {
            h.open();
            List<ScoredFrame> in = new ArrayList<>();
            in.add(grey(0, 0, 0.1f, new float[0]));
            in.add(grey(1, 1, 0.9f, new float[] {2, 2, 10, 10, 0.9f}));
            in.add(grey(2, 2, 0.9f, new float[] {2, 2, 10, 10, 0.9f, 30, 10, 12, 30, 0.8f}));   // the peak: two people
            in.add(grey(3, 1, 0.9f, new float[] {30, 10, 12, 30, 0.8f}));
            for (int i = 4; i < 12; i++) in.add(grey(i, 0, 0.1f, new float[0]));
            for (ScoredFrame f : in) h.processElement(f, f.frame.timestampMillis);
            RetentionEvent closed = null;
            for (StreamRecord<RetentionEvent> r : h.getSideOutput(RetentionFilter.LIFECYCLE)) if (r.getValue().endMillis >= 0) closed = r.getValue();
            assertNotNull(closed, "the event closed");
            assertEquals(2, closed.peakSeq);
            assertArrayEquals(PeakThumbnail.jpeg(in.get(2)), closed.thumbnail, "the thumbnail is the peak frame with its two boxes");
            BufferedImage img = decode(closed.thumbnail);
            assertTrue(boxColoured(img, 30, 25) && boxColoured(img, 2, 8), "both people boxed");
            RetentionEvent event = h.getSideOutput(RetentionFilter.EVENTS).peek().getValue();
            assertNull(event.thumbnail, "the events CSV and Kafka topic get no JPEG bytes");
            assertEquals(2, event.peakCount);
        }
    }
}
