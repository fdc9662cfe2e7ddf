package dev.winnow.flink.track;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.winnow.flink.frames.FrameScoring;
import dev.winnow.flink.testing.VtestClip;
import dev.winnow.flink.types.FlowWindow;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import dev.winnow.flink.types.TrackedFrame;
import dev.winnow.flink.types.Verdict;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.testing.RepoRoot;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The bundled person detector, the tracker and the gate counter on the whole of vtest against a hand
 * count of the crossings of one line (src/test/resources/vtest-gate/crossings.csv, which says how it
 * was counted). Needs ffmpeg and opencv-doc's vtest.avi; skipped without them.
 */
class VtestGateTest {
    @Test
    void gateCrossingsAgreeWithTheHandCount() throws Exception {
        assumeTrue(Files.isRegularFile(VtestClip.CLIP), "no " + VtestClip.CLIP + " (Debian opencv-doc)");
        List<String[]> truth;
        try (InputStream in = VtestGateTest.class.getResourceAsStream("/vtest-gate/crossings.csv")) {
            truth = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#") && !l.startsWith("frame,"))
                    .map(l -> l.split(",", 3)).toList();
        }
        long handIn = truth.stream().filter(r -> r[1].equals("in")).count(), handOut = truth.size() - handIn;

        FrameScoring detector = new FrameScoring(Model.load(RepoRoot.path().resolve("model-tools/detector/person-detector-int8.wnm")), 1, "person");
        var tracker = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new PersonTracker(TrackerConfig.defaults())),
                (Verdict v) -> v.cameraId, Types.STRING);
        FlowConfig gate = FlowConfig.builder().line("vtest", new GateLine("x200", 200, 0, 200, 576, 10)).window(Duration.ofMinutes(10)).build();
        var flows = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new TrackFlows(gate)), (TrackedFrame t) -> t.cameraId, Types.STRING);
        tracker.open();
        flows.open();
        int[] maxBoxes = {0};
        int n = VtestClip.decode(0, VtestClip.FRAMES - 1, (frame, px) -> {
            Frame f = new Frame("vtest", frame, 100L * frame, FrameEncoding.GRAY8, VtestClip.W, VtestClip.H, px);
            detector.prepare(f);
            Verdict v = detector.score(f).verdict;
            maxBoxes[0] = Math.max(maxBoxes[0], v.count);
            tracker.processElement(v, v.timestampMillis);
        });
        assertEquals(VtestClip.FRAMES, n, "frames decoded");
        for (TrackedFrame t : tracker.extractOutputValues()) flows.processElement(t, t.timestampMillis);
        flows.processWatermark(Long.MAX_VALUE);
        FlowWindow w = flows.extractOutputValues().get(0);
        int measured = w.in + w.out;
        System.out.printf("vtest gate x=200: hand %d (in %d, out %d), tracker %d (in %d, out %d), max detections per frame %d%n",
                truth.size(), handIn, handOut, measured, w.in, w.out, maxBoxes[0]);
        tracker.close();
        flows.close();
        // the goal: within 10 % of the hand count, rounded down (13 crossings: off by at most 1)
        assertEquals(truth.size(), measured, Math.floor(0.1 * truth.size()), "crossings within 10 % of the hand count");
    }
}
