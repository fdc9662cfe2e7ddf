package dev.winnow.flink.testing;

import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import java.util.Random;

/**
 * GRAY8 frames of random pixels, 100 ms of event time apart, for tests that run frames through a
 * model and care about the path, not the content.
 */
public final class NoiseFrames {
    private NoiseFrames() {}

    public static Frame gray(String camera, long seq, int width, int height, Random random) {
        byte[] px = new byte[width * height];
        random.nextBytes(px);
        return new Frame(camera, seq, seq * 100, FrameEncoding.GRAY8, width, height, px);
    }

    /**
     * Frame {@code seq} of a 64x48 stream that takes the cameras {@code cam0 .. cam<cameras-1>} in turn.
     * The pixels depend on {@code seq} alone, so a source that replays after a restore makes the same
     * frame again (as a data generator's function must).
     */
    public static Frame replayable(long seq, int cameras) {
        return gray("cam" + (seq % cameras), seq, 64, 48, new Random(seq));
    }
}
