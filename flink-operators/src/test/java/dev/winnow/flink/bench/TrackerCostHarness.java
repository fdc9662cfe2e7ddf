package dev.winnow.flink.bench;

import dev.winnow.flink.frames.FrameScoring;
import dev.winnow.flink.track.ByteTracker;
import dev.winnow.flink.track.TrackTable;
import dev.winnow.flink.track.TrackerConfig;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import dev.winnow.runtime.Model;
import java.io.DataInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What tracking adds to a frame's cost: the bundled detector (preprocessing and inference, the frame
 * job's per-frame work) against {@link ByteTracker#step} plus the copies of an emitted record, on the
 * first 300 frames of vtest at 768x576. Each round runs every frame through both; the first rounds
 * are warm-up, the median of the rest is printed.
 *
 * <pre>scripts/job-throughput.sh --tracker [rounds]</pre>
 */
public final class TrackerCostHarness {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8, frames = 300, w = 768, h = 576;
        Process ff = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-i", "/usr/share/doc/opencv-doc/examples/data/vtest.avi",
                "-frames:v", String.valueOf(frames), "-f", "rawvideo", "-pix_fmt", "gray", "-").start();
        List<Frame> clip = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(ff.getInputStream())) {
            for (int k = 0; k < frames; k++) {
                byte[] px = new byte[w * h];
                in.readFully(px);
                clip.add(new Frame("vtest", k, 100L * k, FrameEncoding.GRAY8, w, h, px));
            }
        }
        FrameScoring detector = new FrameScoring(Model.load(Path.of("model-tools/detector/person-detector-int8.wnm")), 1, "person");
        float[][] boxes = new float[frames][];
        long[] detect = new long[rounds], track = new long[rounds];
        long sink = 0;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < frames; k++) {
                detector.prepare(clip.get(k));
                boxes[k] = detector.score(clip.get(k)).verdict.boxes;
            }
            long t1 = System.nanoTime();
            ByteTracker tracker = new ByteTracker(TrackerConfig.defaults());
            TrackTable table = tracker.newTable();
            for (int k = 0; k < frames; k++) {
                tracker.step(table, boxes[k]);
                sink += Arrays.copyOf(tracker.ids(), tracker.visible()).length + Arrays.copyOf(tracker.boxes(), 4 * tracker.visible()).length;
            }
            long t2 = System.nanoTime();
            detect[r] = (t1 - t0) / frames;
            track[r] = (t2 - t1) / frames;
        }
        int warm = Math.min(3, rounds - 1);
        long d = median(Arrays.copyOfRange(detect, warm, rounds)), t = median(Arrays.copyOfRange(track, warm, rounds));
        System.out.printf(Locale.ROOT, "vtest %d frames x %d rounds (median of the last %d): detector %.1f us/frame, tracker %.2f us/frame, tracker/detector %.2f %% (%d)%n",
                frames, rounds, rounds - warm, d / 1e3, t / 1e3, 100.0 * t / d, sink % 10);
    }

    static long median(long[] v) {
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
