package dev.winnow.flink.testing;

import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;

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

    /**
     * A source of the {@link #replayable} frames {@code 0 .. frames-1} over {@code cameras} cameras,
     * {@code perSecond} frames a second: a data generator, so a restore replays the same frames.
     */
    public static DataGeneratorSource<Frame> source(long frames, int cameras, double perSecond) {
        return new DataGeneratorSource<>(seq -> replayable(seq, cameras), frames, RateLimiterStrategy.perSecond(perSecond), TypeInformation.of(Frame.class));
    }
}
