package dev.winnow.flink.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * opencv-doc's vtest.avi (795 frames, 768x576, 10 fps) decoded to grey by ffmpeg, for the tests that hold the bundled
 * detector's pipeline to hand counts of it; and the repository root, where the bundled detector and the counts are.
 */
public final class VtestClip {
    public static final Path CLIP = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");
    public static final int W = 768, H = 576, FRAMES = 795;

    private VtestClip() {}

    /** What a test does with one frame: its index in the clip and its W·H grey pixels (a new array per frame). */
    public interface FrameConsumer {
        void accept(int frame, byte[] gray) throws Exception;
    }

    /** Hands frames {@code first}..{@code last} to {@code each} in order; returns how many ffmpeg decoded. */
    public static int decode(int first, int last, FrameConsumer each) throws Exception {
        Process ff = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-i", CLIP.toString(), "-vf",
                "select=between(n\\," + first + "\\," + last + ")", "-vsync", "passthrough", "-f", "rawvideo", "-pix_fmt", "gray", "-").start();
        int n = 0;
        try (DataInputStream in = new DataInputStream(ff.getInputStream())) {
            while (true) {
                byte[] px = new byte[W * H];
                try {
                    in.readFully(px);
                } catch (EOFException end) {
                    break;
                }
                each.accept(first + n, px);
                n++;
            }
        }
        if (!ff.waitFor(60, TimeUnit.SECONDS)) throw new IOException("ffmpeg did not end within 60 s decoding " + CLIP);
        return n;
    }
}
