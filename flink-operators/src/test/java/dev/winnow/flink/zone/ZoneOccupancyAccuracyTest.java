package dev.winnow.flink.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.winnow.flink.frames.FrameScoring;
import dev.winnow.flink.testing.VtestClip;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import dev.winnow.flink.types.Verdict;
import dev.winnow.flink.types.ZoneCount;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.testing.RepoRoot;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Zone occupancy against people counted by hand: the goal is an occupancy error per zone no worse than the
 * detector's per-frame count error. The bundled detector scores vtest's held-out stretch (frames 636-794, 10 fps,
 * read by no training step) as the one camera of a zone; each 2 s window's time-weighted mean occupancy is compared
 * with the mean of the hand counts of model-tools/detector/holdout-labels.csv (64 frames) in that window, and the
 * same detector's counts with the hand counts frame by frame; the occupancy twice, from each frame's own count and
 * from the median of the last 17 (CountSmoothing, as stadium-staffing counts). Needs ffmpeg and opencv-doc's vtest.avi.
 */
class ZoneOccupancyAccuracyTest {
    static final int FIRST = 636, LAST = 794;
    static final long FRAME_MILLIS = 100, WINDOW_MILLIS = 2_000;

    @Test
    void zoneOccupancyErrsNoMoreThanTheDetectorPerFrame() throws Exception {
        assumeTrue(Files.isRegularFile(VtestClip.CLIP), "no " + VtestClip.CLIP + " (Debian opencv-doc)");
        Map<Integer, Integer> hand = new TreeMap<>();
        for (String l : Files.readAllLines(RepoRoot.path().resolve("model-tools/detector/holdout-labels.csv"))) {
            String[] f = l.split(",");
            if (f[0].matches("\\d+")) hand.put(Integer.parseInt(f[0]), Integer.parseInt(f[1].trim()));
        }
        assertEquals(64, hand.size(), "hand-counted frames");

        FrameScoring detector = new FrameScoring(Model.load(RepoRoot.path().resolve("model-tools/detector/person-detector-int8.wnm")), 1, "person");
        ZoneConfig zones = new ZoneConfig(Map.of("plaza", "plaza"), Map.of("plaza", new ZoneConfig.Zone(20, 4)), WINDOW_MILLIS, 60_000);
        var occupancy = occupancy(zones);
        // stadium-staffing's path: each camera's count the median of its last 17 frames (CountSmoothing), then the zone
        var median = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new CountSmoothing(MEDIAN_FRAMES)),
                (Verdict v) -> v.cameraId, Types.STRING);
        median.open();
        var medianOccupancy = occupancy(zones);
        Map<Integer, Integer> detected = new TreeMap<>();
        int decoded = VtestClip.decode(FIRST, LAST, (frame, px) -> {
            long t = (frame - FIRST) * FRAME_MILLIS;
            Frame f = new Frame("plaza", frame, t, FrameEncoding.GRAY8, VtestClip.W, VtestClip.H, px);
            detector.prepare(f);
            Verdict v = detector.score(f).verdict;
            detected.put(frame, v.count);
            occupancy.processElement(v.copy(), t);
            median.processElement(v, t);
        });
        assertEquals(LAST - FIRST + 1, decoded, "frames decoded");
        for (Verdict v : median.extractOutputValues()) medianOccupancy.processElement(v, v.timestampMillis);
        median.close();

        double perFrame = 0;
        for (var e : hand.entrySet()) perFrame += Math.abs(detected.get(e.getKey()) - e.getValue());
        perFrame /= hand.size();
        double zoneErr = occupancyError(occupancy, hand), medianErr = occupancyError(medianOccupancy, hand);
        System.out.printf("zone occupancy vs hand counts, vtest %d-%d: %d windows of %d s, occupancy MAE %.3f people (%.3f with the median of %d frames); "
                + "the detector per frame: MAE %.3f on %d frames%n", FIRST, LAST, (LAST - FIRST + 1 + 19) / 20, WINDOW_MILLIS / 1000, zoneErr,
                medianErr, MEDIAN_FRAMES, perFrame, hand.size());
        assertTrue(zoneErr <= perFrame, "zone occupancy MAE " + zoneErr + " against the detector's per-frame MAE " + perFrame);
        assertTrue(medianErr <= perFrame, "zone occupancy MAE with the median " + medianErr + " against the detector's per-frame MAE " + perFrame);
    }

    static final int MEDIAN_FRAMES = 17;

    static KeyedOneInputStreamOperatorTestHarness<String, Verdict, ZoneCount> occupancy(ZoneConfig zones) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new ZoneOccupancy(zones)),
                (Verdict v) -> zones.zoneOf(v.cameraId), Types.STRING);
        h.open();
        return h;
    }

    /** Each window's time-weighted mean occupancy against the mean of the hand counts in it, averaged over the windows. */
    static double occupancyError(KeyedOneInputStreamOperatorTestHarness<String, Verdict, ZoneCount> occupancy, Map<Integer, Integer> hand) throws Exception {
        occupancy.processWatermark(Long.MAX_VALUE);
        List<ZoneCount> windows = occupancy.extractOutputValues();
        occupancy.close();
        double zoneErr = 0;
        int compared = 0;
        for (ZoneCount w : windows) {
            double sum = 0;
            int n = 0;
            for (var e : hand.entrySet()) {
                long t = (e.getKey() - FIRST) * FRAME_MILLIS;
                if (t >= w.windowStartMillis && t < w.windowEndMillis) {
                    sum += e.getValue();
                    n++;
                }
            }
            if (n == 0) continue;
            zoneErr += Math.abs(w.meanCount - sum / n);
            compared++;
        }
        assertEquals((LAST - FIRST + 1 + 19) / 20, compared, "every window holds hand-counted frames");
        return zoneErr / compared;
    }
}
