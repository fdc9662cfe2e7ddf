package dev.winnow.connectors.clips;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpServer;
import dev.winnow.connectors.camera.CameraSource;
import dev.winnow.connectors.camera.FfmpegCamera;
import dev.winnow.connectors.camera.SegmentMarkers;
import dev.winnow.flink.retention.RetentionFilter;
import dev.winnow.flink.retention.SegmentKeeper;
import dev.winnow.flink.types.CameraStatus;
import dev.winnow.flink.types.ClipRequest;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ScoredFrame;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live camera whose codec changes mid-run: an HTTP server sends one MPEG-TS stream in real time, H.264
 * for 10 s of vtest, then MPEG-4 Part 2 for the next 20 s (two ffmpeg encodes of the footage, their bytes
 * concatenated; the second carries on the first's clock, so only the PMT's stream type changes).
 * ffmpeg, opened on H.264, finds nothing to decode in the MPEG-4 part and neither ends nor gives a
 * frame; the camera's stall timeout (8 s here: ffmpeg probes a reopened stream for 5 s of media) stops it and reopens the stream, which ffmpeg then probes as
 * MPEG-4. The camera reports the gap and goes on, a second camera (a file) is untouched, and every
 * committed clip, before and after the change, is in one codec and decodes to the end (an event across the
 * change gets one clip per codec; whether the event spans the gap depends on timing, so that is not asserted).
 */
class CodecChangeTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** The server sends the stream as fast as it plays (a live camera's segment times follow the wall clock). */
    static final double SPEED = 1;

    @Test
    void aCodecChangeReopensTheStreamAndEveryClipPlays(@TempDir Path tmp) throws Exception {
        Path h264 = tmp.resolve("h264.ts"), mpeg4 = tmp.resolve("mpeg4.ts");
        Videos.run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", Videos.vtest().toString(), "-t", "10",
                "-c:v", "libx264", "-preset", "veryfast", "-g", "10", "-an", "-f", "mpegts", h264.toString()));
        Videos.run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-ss", "10", "-i", Videos.vtest().toString(), "-t", "20",
                "-c:v", "mpeg4", "-q:v", "5", "-g", "10", "-an", "-output_ts_offset", "10", "-f", "mpegts", mpeg4.toString()));
        AtomicInteger connections = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/live.ts", ex -> {
            ex.getResponseHeaders().add("Content-Type", "video/mp2t");
            String agent = ex.getRequestHeaders().getFirst("User-Agent");
            if (agent != null && agent.startsWith("Java")) {
                // the camera asks what the URL serves (MJPEG or not) before ffmpeg opens it: not a viewer
                ex.sendResponseHeaders(200, -1);
                ex.close();
                return;
            }
            // the first viewer sees the change; a viewer that comes later joins the stream in its new codec
            boolean first = connections.getAndIncrement() == 0;
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                if (first) send(h264, 10, out);
                send(mpeg4, 20, out);
            } catch (Exception gone) {
                // the camera hung up
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());     // a viewer's stream must not wait for the one before to end
        server.start();
        Path out = tmp.resolve("out"), spool = tmp.resolve("spool");
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/live.ts";
            FfmpegCamera street = new FfmpegCamera("street", url, 160, 120, 5).stallTimeout(Duration.ofSeconds(8))
                    .reconnect(true, Duration.ofSeconds(1)).maxFrames(140).record(spool, Duration.ZERO);
            FfmpegCamera door = new FfmpegCamera("door", Videos.vtest(), 160, 120, 5).startMillis(ClipPipelineTest.START)
                    .maxFrames(150).record(spool, Duration.ZERO);
            List<CameraStatus> status = run(List.of(street, door), out, spool);

            assertTrue(connections.get() >= 2, "the camera reopened the stream: " + connections.get() + " connections");
            assertTrue(status.stream().anyMatch(s -> s.cameraId.equals("street") && CameraStatus.GAP.equals(s.kind)),
                    "the gap is reported: " + status);
            assertTrue(status.stream().noneMatch(s -> CameraStatus.FAILED.equals(s.kind)), "no camera failed: " + status);
            List<ClipIndex.Row> rows = ClipIndex.readAll(new org.apache.flink.core.fs.Path(out.toUri()));
            Set<String> streetCodecs = new TreeSet<>();
            List<String> seen = new ArrayList<>();
            for (ClipIndex.Row r : rows) {
                Path clip = out.resolve(r.clip());
                String codec = Videos.codec(clip);
                seen.add(r.camera() + " " + r.eventId() + " " + codec + " " + r.clip());
                if (r.camera().equals("street")) streetCodecs.add(codec);
                Videos.assertPlayable(clip);
                assertEquals(Files.size(clip), r.bytes());
            }
            // a clip of the MPEG-4 part is not asserted: whether the event after the reconnect closes and gets a clip
            // depends on how ffmpeg's probe burst of frames lands (timing), and a test must not flake on it
            assertTrue(streetCodecs.contains("h264"), "the clips before the change: " + seen);
            assertTrue(rows.stream().anyMatch(r -> r.camera().equals("door")), "the other camera went on: " + seen);
        } finally {
            server.stop(0);
        }
    }

    /** Writes a transport stream file at {@link #SPEED} times its play rate. */
    static void send(Path ts, double seconds, OutputStream out) throws Exception {
        byte[] all = Files.readAllBytes(ts);
        int chunk = 16 * 1024;
        double perByteMillis = seconds * 1000 / SPEED / all.length;
        long t0 = System.nanoTime();
        for (int off = 0; off < all.length; off += chunk) {
            int n = Math.min(chunk, all.length - off);
            out.write(all, off, n);
            out.flush();
            long due = (long) ((off + n) * perByteMillis) - (System.nanoTime() - t0) / 1_000_000;
            if (due > 0) Thread.sleep(due);
        }
    }

    /**
     * People on the street at frames 20-30 (H.264) and in the first 40 frames after the reconnect (MPEG-4; the first 25 or so come at once, ffmpeg's
     * probe of 5 s, so they alone would make an event of no length. How many
     * frames the H.264 part gives before ffmpeg stalls varies, so the second event follows the gap, not a seq);
     * at the door 5-8 s of media time. Parallelism 1, no restart: the last street frame's time is a plain field.
     */
    static final class People implements MapFunction<Frame, ScoredFrame> {
        private transient long lastStreet = -1, afterGap = -1;

        @Override
        public ScoredFrame map(Frame f) {
            boolean person;
            if (f.cameraId.equals("street")) {
                // the reconnect leaves a gap of the stall timeout (8 s) and more; a busy start can leave a few seconds between frames
                if (lastStreet >= 0 && f.timestampMillis - lastStreet > 10_000 && f.seq >= 30 && afterGap < 0) afterGap = f.seq;
                lastStreet = f.timestampMillis;
                person = (f.seq >= 20 && f.seq < 30) || (afterGap >= 0 && f.seq < afterGap + 40);
            } else {
                person = f.timestampMillis - ClipPipelineTest.START >= 5_000 && f.timestampMillis - ClipPipelineTest.START < 8_000;
            }
            return new ClipPipelineTest.Schedule(person ? new double[] {-1e9, 1e9} : new double[0]).map(f);
        }
    }

    static List<CameraStatus> run(List<FfmpegCamera> cameras, Path out, Path spool) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(300);
        SingleOutputStreamOperator<Frame> all = env.fromSource(CameraSource.of(cameras),
                        WatermarkStrategy.<Frame>forBoundedOutOfOrderness(Duration.ofMillis(500)).withTimestampAssigner((f, t) -> f.timestampMillis),
                        "cameras").uid("cameras")
                .process(new SegmentMarkers()).uid("segment-markers");
        SingleOutputStreamOperator<ScoredFrame> kept = all.map(new People()).uid("verdicts")
                .keyBy(s -> s.frame.cameraId).process(new RetentionFilter(ClipPipelineTest.ROLLS)).uid("retention");
        SingleOutputStreamOperator<ClipRequest> clips = all.getSideOutput(SegmentMarkers.SEGMENTS).keyBy(s -> s.cameraId)
                .connect(kept.getSideOutput(RetentionFilter.LIFECYCLE).keyBy(e -> e.cameraId))
                .process(new SegmentKeeper(ClipPipelineTest.ROLLS)).uid("segment-keeper");
        clips.sinkTo(ClipSink.builder(new org.apache.flink.core.fs.Path(out.toUri())).workDir(spool).build()).uid("clips");
        List<CameraStatus> status = new ArrayList<>();
        try (var it = all.getSideOutput(SegmentMarkers.STATUS).executeAndCollect("codec change")) {
            it.forEachRemaining(status::add);
        }
        return status;
    }
}
