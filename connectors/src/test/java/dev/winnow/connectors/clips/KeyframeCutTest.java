package dev.winnow.connectors.clips;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.connectors.clips.ClipPipelineTest.Schedule;
import dev.winnow.flink.testing.FlinkTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One segment per GOP: each clip starts at the keyframe before its pre-roll and ends at the first
 * keyframe after its post-roll, and the kept bytes are measured against the oracle (the source's own
 * encoded packets over the same keyframe-cut spans, from ffprobe) on an H.264 source with a keyframe
 * every 2 s. Fixed 4 s segments are run on the same input to show what GOP cutting saves.
 */
class KeyframeCutTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    static final Schedule PEOPLE = new Schedule(5, 8, 20, 23);

    @Test
    void gopSegmentsCutClipsAtTheKeyframesAroundEachEventAndKeepTheOracleBytes(@TempDir Path tmp) throws Exception {
        Path video = Videos.h264(tmp, 30);
        List<Videos.Packet> packets = Videos.packets(video);
        Path out = tmp.resolve("gop");
        ClipPipelineTest.run(video, out, tmp.resolve("spool-gop"), PEOPLE, null, 0, Duration.ZERO);
        List<ClipIndex.Row> rows = ClipIndex.readAll(new org.apache.flink.core.fs.Path(out.toUri()));
        assertEquals(2, rows.size(), rows.toString());
        long kept = 0;
        double[][] spans = new double[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            ClipIndex.Row r = rows.get(i);
            double from = (r.eventStartMillis() - ClipPipelineTest.START) / 1000.0, to = (r.eventEndMillis() - ClipPipelineTest.START) / 1000.0;
            spans[i] = new double[] {from, to};
            double[] cut = Videos.keyframeCut(packets, from, to);
            assertEquals(cut[0], (r.startMillis() - ClipPipelineTest.START) / 1000.0, 0.002, "clip starts at the keyframe before the pre-roll: " + r);
            assertEquals(cut[1], (r.endMillis() - ClipPipelineTest.START) / 1000.0, 0.002, "clip ends at the first keyframe after the post-roll: " + r);
            Path clip = out.resolve(r.clip());
            assertEquals(cut[1] - cut[0], Videos.assertPlayable(clip), 0.15);
            kept += Files.size(clip);
        }
        long oracle = Videos.oracleBytes(packets, spans);
        double ratio = (double) kept / oracle;
        System.out.printf("GOP segments: kept %d B, oracle %d B, ratio %.3f%n", kept, oracle, ratio);
        assertTrue(ratio >= 1.0 && ratio <= 1.05, "clips are the oracle's packets plus MP4 headers: " + ratio);

        Path fixed = tmp.resolve("fixed");
        ClipPipelineTest.run(video, fixed, tmp.resolve("spool-fixed"), PEOPLE, null, 0, Duration.ofSeconds(4));
        long keptFixed = 0;
        for (ClipIndex.Row r : ClipIndex.readAll(new org.apache.flink.core.fs.Path(fixed.toUri()))) keptFixed += Files.size(fixed.resolve(r.clip()));
        System.out.printf("4 s segments: kept %d B, ratio %.3f%n", keptFixed, (double) keptFixed / oracle);
        assertTrue(keptFixed > 1.25 * oracle, "4 s segments keep up to a segment too much each side: " + keptFixed + " vs " + oracle);
    }

    @Test
    void aZeroSegmentLengthCutsAtEveryKeyframeAndANegativeOneIsRefused(@TempDir Path tmp) {
        var cam = new dev.winnow.connectors.camera.FfmpegCamera("c", "in.mp4", 16, 16, 1).recordGops(tmp);
        List<String> cmd = cam.command(tmp);
        assertEquals("0.001", cmd.get(cmd.indexOf("-segment_time") + 1));
        assertEquals("disabled", cmd.get(cmd.indexOf("-avoid_negative_ts") + 1), "segment times are presentation times");
        assertThrows(IllegalArgumentException.class, () -> cam.record(tmp, Duration.ofSeconds(-1)));
    }
}
