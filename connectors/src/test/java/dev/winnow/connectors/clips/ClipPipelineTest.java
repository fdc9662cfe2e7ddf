package dev.winnow.connectors.clips;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.connectors.camera.CameraSource;
import dev.winnow.connectors.camera.FfmpegCamera;
import dev.winnow.connectors.camera.SegmentMarkers;
import dev.winnow.flink.retention.RetentionConfig;
import dev.winnow.flink.retention.RetentionFilter;
import dev.winnow.flink.retention.SegmentKeeper;
import dev.winnow.flink.testing.FailOnceAfterCheckpoint;
import dev.winnow.flink.testing.FlinkTests;
import dev.winnow.flink.types.ClipRequest;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.flink.types.SegmentDecision;
import dev.winnow.flink.types.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recording path end to end on real footage: one ffmpeg per camera decodes analysis frames and
 * stream-copies segments; verdicts (here a fixed schedule of "people" seconds, so the test knows the
 * events) go through RetentionFilter, the SegmentKeeper picks the segments, the ClipSink joins and
 * commits clips that ffprobe opens and ffmpeg decodes to the end.
 */
class ClipPipelineTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    static final long START = 1_700_000_000_000L; // 2023-11-14T22:13:20Z
    static final RetentionConfig ROLLS = RetentionConfig.builder().enterThreshold(0.6f).exitThreshold(0.4f).preRollMillis(2_000).postRollMillis(2_000).minEventMillis(400).build();

    /** "People" in [from, to) seconds of media time, pairs. */
    record Schedule(double... spans) implements MapFunction<Frame, ScoredFrame> {
        @Override
        public ScoredFrame map(Frame f) {
            double t = (f.timestampMillis - START) / 1000.0;
            boolean person = false;
            for (int i = 0; i < spans.length; i += 2) person |= t >= spans[i] && t < spans[i + 1];
            Verdict v = new Verdict();
            v.cameraId = f.cameraId;
            v.seq = f.seq;
            v.timestampMillis = f.timestampMillis;
            v.score = person ? 0.9f : 0.1f;
            v.count = person ? 2 : 0;
            v.modelVersion = 1;
            v.boxes = new float[0];
            return new ScoredFrame(f, v);
        }
    }

    /** Slows the source so checkpoints happen in between. */
    record Throttle(long millis) implements MapFunction<Frame, Frame> {
        @Override
        public Frame map(Frame f) throws Exception {
            Thread.sleep(millis);
            return f;
        }
    }

    static List<SegmentDecision> run(Path video, Path out, Path spool, Schedule schedule, Path failMarker, long throttle) throws Exception {
        return run(video, out, spool, schedule, failMarker, throttle, Duration.ofSeconds(4));
    }

    static List<SegmentDecision> run(Path video, Path out, Path spool, Schedule schedule, Path failMarker, long throttle,
                                     Duration segment) throws Exception {
        return run(video, out.toUri().toString(), spool, schedule, failMarker, throttle, segment);
    }

    /** {@code base}: where clips go, any Flink file system URI. */
    static List<SegmentDecision> run(Path video, String base, Path spool, Schedule schedule, Path failMarker, long throttle,
                                     Duration segment) throws Exception {
        return run(video, base, spool, schedule, failMarker, throttle, segment, UnaryOperator.identity(), UnaryOperator.identity());
    }

    /** {@code camera} adds options to the camera, {@code beforeSink} puts operators between the segment keeper and the sink. */
    static List<SegmentDecision> run(Path video, String base, Path spool, Schedule schedule, Path failMarker, long throttle,
                                     Duration segment, UnaryOperator<FfmpegCamera> camera,
                                     UnaryOperator<DataStream<ClipRequest>> beforeSink) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        if (failMarker != null) FlinkTests.restarting(conf, 2, Duration.ofMillis(200));
        StreamExecutionEnvironment env = FlinkTests.env(conf, 1, 300);
        FfmpegCamera cam = camera.apply(new FfmpegCamera("door", video, 160, 120, 5).startMillis(START).record(spool, segment));
        SingleOutputStreamOperator<Frame> all = env.fromSource(CameraSource.of(cam),
                        WatermarkStrategy.<Frame>forBoundedOutOfOrderness(Duration.ofMillis(500)).withTimestampAssigner((f, t) -> f.timestampMillis),
                        "camera").uid("camera")
                .process(new SegmentMarkers()).uid("segment-markers");
        DataStream<Frame> frames = throttle > 0 ? all.map(new Throttle(throttle)).uid("throttle") : all;
        SingleOutputStreamOperator<ScoredFrame> kept = frames.map(schedule).uid("verdicts")
                .keyBy(s -> s.frame.cameraId).process(new RetentionFilter(ROLLS)).uid("retention");
        SingleOutputStreamOperator<ClipRequest> clips = all.getSideOutput(SegmentMarkers.SEGMENTS).keyBy(s -> s.cameraId)
                .connect(kept.getSideOutput(RetentionFilter.LIFECYCLE).keyBy(e -> e.cameraId))
                .process(new SegmentKeeper(ROLLS)).uid("segment-keeper");
        DataStream<ClipRequest> toSink = failMarker != null ? clips.map(new FailOnceAfterCheckpoint<ClipRequest>(failMarker, 0)).uid("fail-once") : clips;
        beforeSink.apply(toSink).sinkTo(ClipSink.builder(new org.apache.flink.core.fs.Path(base)).workDir(spool).build()).uid("clips");
        List<SegmentDecision> decisions = new ArrayList<>();
        try (var it = clips.getSideOutput(SegmentKeeper.DECISIONS).executeAndCollect("clips")) {
            it.forEachRemaining(decisions::add);
        }
        return decisions;
    }

    static List<Path> visibleFiles(Path out) throws Exception {
        try (Stream<Path> s = Files.walk(out)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    @Test
    void divx3FromVtestBecomesPlayableMatroskaClipsWithAnIndex(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        List<SegmentDecision> decisions = run(Videos.vtest(), out, tmp.resolve("spool"), new Schedule(20, 30), null, 0);
        List<ClipIndex.Row> rows = ClipIndex.readAll(new org.apache.flink.core.fs.Path(out.toUri()));
        assertEquals(1, rows.size(), rows.toString());
        ClipIndex.Row r = rows.get(0);
        assertEquals("camera=door/2023-11-14/22-13-20_1.mkv", r.clip(), "vtest's keyframes are 25 s apart: the clip starts at 0 s");
        Path clip = out.resolve(r.clip());
        assertEquals("msmpeg4v3", Videos.codec(clip), "stream copy: the camera's own DivX 3");
        double seconds = Videos.assertPlayable(clip);
        assertEquals(50, seconds, 1.0, "segments [0,25) and [25,50) cover the event 18..32 s with its rolls");
        assertEquals(Files.size(clip), r.bytes());
        assertTrue(r.sourceBytes() > 4_000_000 && Math.abs(r.bytes() - r.sourceBytes()) < 0.02 * r.sourceBytes(),
                "clip " + r.bytes() + " B vs source " + r.sourceBytes() + " B over the same span");
        long source = decisions.stream().mapToLong(d -> d.bytes).sum();
        long keptBytes = decisions.stream().filter(SegmentDecision::kept).mapToLong(d -> d.bytes).sum();
        assertEquals(4, decisions.size(), "vtest.avi cuts into 4 segments at its keyframes");
        assertTrue(source > 7_500_000 && source < Files.size(Videos.VTEST), "segment bytes " + source);
        assertEquals(r.sourceBytes(), keptBytes);
        Path thumb = out.resolve("camera=door/2023-11-14/22-13-20_1.jpg");
        assertEquals(List.of(thumb, clip, out.resolve("camera=door/index.csv")), visibleFiles(out), "the clip, its thumbnail, the index");
        assertNotNull(javax.imageio.ImageIO.read(thumb.toFile()), "the thumbnail is a JPEG");
    }

    @Test
    void h264BecomesFaststartMp4CutAtKeyframesAroundEachEvent(@TempDir Path tmp) throws Exception {
        Path video = Videos.h264(tmp, 30);
        Path out = tmp.resolve("out");
        List<SegmentDecision> decisions = run(video, out, tmp.resolve("spool"), new Schedule(5, 8, 20, 23), null, 0);
        List<ClipIndex.Row> rows = ClipIndex.readAll(new org.apache.flink.core.fs.Path(out.toUri()));
        assertEquals(2, rows.size(), rows.toString());
        for (ClipIndex.Row r : rows) {
            Path clip = out.resolve(r.clip());
            assertTrue(r.clip().endsWith(".mp4"), r.clip());
            assertEquals("h264", Videos.codec(clip));
            double seconds = Videos.assertPlayable(clip);
            assertTrue(r.startMillis() <= r.eventStartMillis() && r.endMillis() >= r.eventEndMillis(), "the clip covers the event " + r);
            assertEquals((r.endMillis() - r.startMillis()) / 1000.0, seconds, 0.3);
            assertTrue(seconds <= (r.eventEndMillis() - r.eventStartMillis()) / 1000.0 + 2 * 4 + 0.5, "at most a segment too much each side");
            byte[] b = Files.readAllBytes(clip);
            String head = new String(b, 0, Math.min(b.length, 4096), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(head.contains("moov"), "faststart: the moov box comes before the media data");
        }
        assertEquals("camera=door/2023-11-14/22-13-20_1.mp4", rows.get(0).clip(), "event 1 (3..10 s) starts in the first segment");
        long source = decisions.stream().mapToLong(d -> d.bytes).sum();
        long keptBytes = decisions.stream().filter(SegmentDecision::kept).mapToLong(d -> d.bytes).sum();
        for (SegmentDecision d : decisions) {
            boolean needed = rows.stream().anyMatch(r -> d.startMillis < r.eventEndMillis() && d.endMillis > r.eventStartMillis());
            assertEquals(needed, d.kept(), "a segment is kept exactly when it overlaps an event with its rolls: " + d.startMillis);
        }
        assertTrue(keptBytes < source && decisions.stream().anyMatch(d -> !d.kept()), "kept " + keptBytes + " of " + source);
        assertEquals(rows.stream().mapToLong(ClipIndex.Row::sourceBytes).sum(), keptBytes);
    }

    @Test
    void aFailureAfterACheckpointLeavesNoDuplicateOrHalfClip(@TempDir Path tmp) throws Exception {
        Path video = Videos.h264(tmp, 30);
        Path out = tmp.resolve("out");
        Path marker = tmp.resolve("failed-once");
        run(video, out, tmp.resolve("spool"), new Schedule(5, 8, 14, 16, 20, 23), marker, 15);
        assertTrue(Files.exists(marker), "the job failed once and was restored");
        List<ClipIndex.Row> rows = ClipIndex.readAll(new org.apache.flink.core.fs.Path(out.toUri()));
        assertEquals(List.of(1L, 2L, 3L), rows.stream().map(ClipIndex.Row::eventId).toList(), "each event exactly once: " + rows);
        List<Path> visible = visibleFiles(out);
        assertEquals(7, visible.size(), "three clips, their thumbnails and the index, nothing else visible: " + visible);
        try (Stream<Path> s = Files.walk(out)) {
            List<Path> left = s.filter(p -> p.getFileName().toString().contains(".inprogress.")).toList();
            assertEquals(List.of(), left, "the clip written before the failure and never committed is deleted on restore");
        }
        for (ClipIndex.Row r : rows) {
            Path clip = out.resolve(r.clip());
            assertEquals(Files.size(clip), r.bytes());
            assertEquals((r.endMillis() - r.startMillis()) / 1000.0, Videos.assertPlayable(clip), 0.3);
            assertNotNull(javax.imageio.ImageIO.read(out.resolve(ClipCommittable.thumbnailOf(r.clip())).toFile()), "each clip's thumbnail, once");
        }
    }
}
