package dev.winnow.connectors.camera;

import dev.winnow.connectors.source.RecordStream;
import dev.winnow.connectors.source.StreamContext;
import dev.winnow.flink.types.CameraStatus;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.FrameEncoding;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import dev.winnow.flink.types.Segment;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Any video file or stream URL ffmpeg can open (RTSP, HTTP, a file), decoded by an {@code ffmpeg}
 * child process into fixed-size GRAY8 frames on a pipe:
 * {@code ffmpeg -i <input> -vf fps=F,scale=W:H,format=gray -f rawvideo -pix_fmt gray -}.
 *
 * <p>For a file, frame {@code seq} is the index of the frame in the resampled stream and event time is
 * {@code startMillis + seq * 1000 / fps}; a restore re-runs ffmpeg and discards the frames before the
 * checkpointed seq, so nothing is lost or repeated. The file ends the stream. For a live URL
 * ({@code scheme://}), event time is the arrival time, numbering continues after a restore, and a
 * broken stream is reopened with exponential back-off (0.5 s doubling up to the
 * {@link #reconnect(boolean, Duration) maximum}, unless reconnecting is off); when frames flow again
 * the gap is logged, added to the {@code camera.<id>.gaps} and {@code gapMillis} metrics and, for a
 * recording camera, reported as a {@link CameraStatus#GAP} {@link Frame#statusMarker status marker}.
 * The segment that was being written when the stream broke is left out (its last frame may be cut),
 * so a clip never holds a broken GOP. A short frame at the end of the pipe is counted in
 * {@code malformedFrames} and skipped.
 *
 * <p>Bad input fails the camera, not the job: when ffmpeg cannot open the input at all (no such file,
 * garbage or a truncated MP4, a server answering 4xx such as 404 Not Found or 401 Unauthorized) the
 * camera logs one error line naming itself, the input and ffmpeg's reason, counts
 * {@code camera.<id>.failed}, emits a {@link CameraStatus#FAILED} marker when recording, and ends;
 * other cameras of the source go on. A file that ends early ({@code File ended prematurely}) keeps the
 * frames it gave and is reported the same way, and so is a file whose frames stop well before its length
 * (ffprobe's) while ffmpeg exits without an error: its codec changed mid-file (two recordings joined) or the
 * rest is damaged, and the segment written last, which holds the undecodable packets, is left out. Connection errors of a live input (refused, timed out)
 * are retried instead. When an {@code rtsp://} server refuses RTSP over TCP (461 Unsupported
 * transport, e.g. VLC), the camera switches to UDP once and says so. A live input that stays connected
 * but gives no frame for the {@link #stallTimeout(Duration) stall timeout} (default 20 s; e.g. a
 * transport stream whose codec changed mid-run: ffmpeg keeps reading and its old decoder finds nothing
 * to decode) is stopped with one warning line saying so, and reopened like a broken stream: ffmpeg
 * probes the stream afresh, so the camera goes on in the new codec, in a new run of segments.
 *
 * <p>An {@code http(s)://} input that answers {@code multipart/x-mixed-replace} is an IP camera's MJPEG stream
 * (asked before ffmpeg starts, one GET closed after the headers, until the server answers): its JPEGs carry no time, so ffmpeg stamps each on
 * arrival ({@code -use_wallclock_as_timestamps}), and a recording keeps every JPEG as the camera sent it (Matroska
 * {@code V_MJPEG}, every frame a keyframe). Other HTTP streams (MPEG-TS) keep their own times.
 *
 * <p>Recording ({@link #record(Path, Duration)}): the same ffmpeg process also writes the camera's own
 * encoded video stream, by stream copy (no re-encode), as Matroska segments of about the segment
 * length, each starting at a keyframe ({@code -f segment -segment_time N -reset_timestamps 1 -c copy}).
 * With a zero length ({@link #recordGops(Path)}) every keyframe starts a segment, so each segment is
 * one GOP and a keeper can cut a clip at the keyframe before its pre-roll and the first keyframe after
 * its post-roll, as DeepStream's smart record does from its ring of encoded frames. Segment times are
 * the stream's presentation times ({@code -avoid_negative_ts disabled}: B-frame delay does not shift them),
 * into {@code <spool>/<camera>/run-<n>/}, and lists each finished segment in that run's
 * {@code segments.csv}. The camera emits one {@link Frame#segmentMarker segment marker} per finished
 * segment, after the frames it covers, with the segment's event time (a file's media time from
 * {@code startMillis}; for a live input, media time from the wall clock at the run's first frame).
 * Markers do not advance the position; after a restore a file's segments are announced again
 * (same times) into a new run directory, which a keeper de-duplicates by start time. Only the first
 * video stream is recorded. Spool files are not deleted by the camera.
 */
public final class FfmpegCamera extends CameraSpec<FfmpegCamera> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FfmpegCamera.class);

    private final String input;
    private final int width;
    private final int height;
    private final double fps;
    private String ffmpeg = "ffmpeg";
    private String ffprobe = "ffprobe";
    private final List<String> inputOptions = new ArrayList<>();
    private Boolean live;
    private boolean reconnect = true;
    private long reconnectDelayMillis = 8000;
    private long stallMillis = 20_000;
    static final long FIRST_RETRY_MILLIS = 500;
    private long startMillis = System.currentTimeMillis();
    private String spoolDir;
    private double segmentSeconds = 4;

    /**
     * @param input  a file path or a URL (rtsp://, http://, …)
     * @param width  output width after scaling
     * @param height output height after scaling
     * @param fps    output frame rate (ffmpeg drops or repeats frames to reach it)
     */
    public FfmpegCamera(String cameraId, String input, int width, int height, double fps) {
        super(cameraId);
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("size " + width + "x" + height);
        if (!(fps > 0)) throw new IllegalArgumentException("fps must be > 0");
        this.input = input;
        this.width = width;
        this.height = height;
        this.fps = fps;
    }

    public FfmpegCamera(String cameraId, Path file, int width, int height, double fps) {
        this(cameraId, file.toString(), width, height, fps);
    }

    /** The ffmpeg executable (default {@code ffmpeg} on the PATH); ffprobe is looked for beside it. */
    public FfmpegCamera ffmpeg(String executable) {
        this.ffmpeg = executable;
        this.ffprobe = executable.endsWith("ffmpeg") ? executable.substring(0, executable.length() - 6) + "ffprobe" : "ffprobe";
        return this;
    }

    /** Options placed before {@code -i}, e.g. {@code -rtsp_transport tcp}. */
    public FfmpegCamera inputOptions(String... options) {
        inputOptions.addAll(List.of(options));
        return this;
    }

    /** Whether the input is live (default: it has a {@code scheme://}). */
    public FfmpegCamera live(boolean live) {
        this.live = live;
        return this;
    }

    /** Whether a live input is reopened when it breaks, and the longest wait between attempts (default 8 s). */
    public FfmpegCamera reconnect(boolean reconnect, Duration delay) {
        this.reconnect = reconnect;
        this.reconnectDelayMillis = delay.toMillis();
        return this;
    }

    /**
     * How long a live input may stay open without giving a frame while the camera waits for one, before
     * ffmpeg is stopped and the input reopened (default 20 s; time the job spends backpressured is not counted).
     */
    public FfmpegCamera stallTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("stall timeout " + timeout);
        this.stallMillis = timeout.toMillis();
        return this;
    }

    /** Event time of frame 0 of a file (default: when this spec was made). */
    public FfmpegCamera startMillis(long startMillis) {
        this.startMillis = startMillis;
        return this;
    }

    /**
     * Also record the camera's encoded stream by stream copy into segments of about {@code segment}
     * (cut at the first keyframe after it; zero: at every keyframe, one GOP per segment) under
     * {@code spool/<camera>/}.
     */
    public FfmpegCamera record(Path spool, Duration segment) {
        if (segment.isNegative()) throw new IllegalArgumentException("segment length " + segment);
        this.spoolDir = spool.toAbsolutePath().toString();
        this.segmentSeconds = segment.toMillis() / 1000.0;
        return this;
    }

    /** Records one segment per GOP: every keyframe starts a segment (see {@link #record(Path, Duration)} with zero). */
    public FfmpegCamera recordGops(Path spool) {
        return record(spool, Duration.ZERO);
    }

    public boolean recording() {
        return spoolDir != null;
    }

    public int frameBytes() {
        return width * height;
    }

    boolean isLive() {
        return live != null ? live : input.contains("://");
    }

    @Override
    public boolean bounded() {
        return !isLive() || maxFrames != Long.MAX_VALUE || !reconnect;
    }

    /** The command line this camera runs (without recording). */
    public List<String> command() {
        return command(null);
    }

    /** The command line this camera runs, recording segments into {@code runDir} when it is not null. */
    public List<String> command(Path runDir) {
        return command(runDir, "tcp");
    }

    private boolean http() {
        String lower = input.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    private boolean rtsp() {
        return input.toLowerCase(Locale.ROOT).startsWith("rtsp://");
    }

    List<String> command(Path runDir, String rtspTransport) {
        return command(runDir, rtspTransport, false);
    }

    /** With {@code multipart}, the input is MJPEG over HTTP, whose parts carry no time: ffmpeg stamps each JPEG on arrival. */
    List<String> command(Path runDir, String rtspTransport, boolean multipart) {
        List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error"));
        if (multipart && !inputOptions.contains("-f")) cmd.addAll(List.of("-f", "mpjpeg", "-use_wallclock_as_timestamps", "1"));
        if (rtsp() && !inputOptions.contains("-rtsp_transport")) {
            cmd.addAll(List.of("-rtsp_transport", rtspTransport));
            // a server that stops sending without a goodbye ends the run after 5 s instead of hanging
            if (!inputOptions.contains("-timeout")) cmd.addAll(List.of("-timeout", "5000000"));
        }
        cmd.addAll(inputOptions);
        cmd.addAll(List.of("-i", input, "-map", "0:v:0",
                "-vf", "fps=" + fps + ",scale=" + width + ":" + height + ",format=gray",
                "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"));
        if (runDir != null) {
            // segment_time below one frame: the muxer cuts at every keyframe
            String time = segmentSeconds > 0 ? Double.toString(segmentSeconds) : "0.001";
            cmd.addAll(List.of("-map", "0:v:0", "-c", "copy", "-avoid_negative_ts", "disabled", "-f", "segment", "-segment_time", time,
                    "-segment_format", "matroska", "-reset_timestamps", "1",
                    "-segment_list", runDir.resolve("segments.csv").toString(), "-segment_list_type", "csv",
                    runDir.resolve("seg-%06d.mkv").toString()));
        }
        return cmd;
    }

    @Override
    public RecordStream<Frame> open(long position, StreamContext context) {
        return new Stream(position, context);
    }

    private final class Stream implements RecordStream<Frame> {
        private final StreamContext context;
        private final boolean liveInput = isLive();
        private long seq;
        private long toDiscard;
        private volatile Process process;
        private InputStream pipe;
        private Thread stderrDrain;
        private final Deque<String> stderrTail = new ArrayDeque<>();
        private long framesThisRun;
        private Path runDir;
        private long listOffset;
        private final Deque<Frame> markers = new ArrayDeque<>();
        /**
         * A file's segments that ffmpeg has listed but whose whole span the decoded frames have not reached yet,
         * with their end in the file's seconds: ffmpeg copies packets into segments ahead of what it decodes, so
         * a segment is announced only once its frames have come out (or the file ended cleanly). A file whose
         * codec changes mid-way leaves the segments past the change here, and they are left out.
         */
        private final Deque<Held> held = new ArrayDeque<>();

        private record Held(Segment segment, double endSeconds) {}
        private String rtspTransport = "tcp";
        /** Whether the http(s) input serves MJPEG parts; asked of the server at each start until it answers. */
        private Boolean multipart;
        private long lastFrameWall;
        private long gapStart = -1;
        private int attempts;
        private long retryMillis = Math.min(FIRST_RETRY_MILLIS, reconnectDelayMillis);
        private boolean dropLastSegment;
        private org.apache.flink.metrics.Counter gaps, gapMillis, failed;
        private double firstSegmentStart = Double.NaN;
        private long runWallStart;
        private boolean ended;
        /** Wall time the reader started waiting for the current frame, -1 when not waiting (the watchdog reads it). */
        private volatile long waitingSince = -1;
        /** Set by the watchdog when it stopped a stalled ffmpeg; read once by the reconnect path. */
        private volatile boolean stalled;
        private Thread watchdog;

        Stream(long position, StreamContext context) {
            this.seq = position;
            this.toDiscard = liveInput ? 0 : position;
            this.context = context;
            var g = context.metricGroup().addGroup("camera", cameraId);
            gaps = g.counter("gaps");
            gapMillis = g.counter("gapMillis");
            failed = g.counter("failed");
        }

        @Override
        public Positioned<Frame> next() throws IOException, InterruptedException {
            while (true) {
                Frame m = markers.poll();
                if (m != null) return new Positioned<>(m, m.timestampMillis, seq);
                if (ended) return null;
                Positioned<Frame> f = nextFrame();
                if (f != null) {
                    if (runDir != null) {
                        pollSegments(false);
                        releaseCovered((f.record().seq + 1) / (double) fps);
                    }
                    return f;
                }
                ended = true;
            }
        }

        private Positioned<Frame> nextFrame() throws IOException, InterruptedException {
            int n = frameBytes();
            while (seq < maxFrames && context.running()) {
                if (process == null) start();
                waitingSince = System.currentTimeMillis();
                byte[] px;
                try {
                    px = pipe.readNBytes(n);
                } finally {
                    waitingSince = -1;
                }
                if (px.length == n) {
                    long now = System.currentTimeMillis();
                    if (framesThisRun++ == 0) {
                        runWallStart = now;
                        if (gapStart >= 0) streamBack(now);
                    }
                    lastFrameWall = now;
                    if (toDiscard > 0) {
                        toDiscard--;
                        continue;
                    }
                    long s = seq++;
                    long ts = liveInput ? System.currentTimeMillis() : startMillis + (long) (s * 1000 / fps);
                    return new Positioned<>(new Frame(cameraId, s, ts, FrameEncoding.GRAY8, width, height, px), ts, seq);
                }
                if (px.length > 0) {
                    long s = seq++;
                    context.malformed().skip(where(s) + " from " + input, "short frame: " + px.length + " of " + n + " bytes");
                }
                dropLastSegment = liveInput && context.running();
                int exit = stop();
                if (!context.running()) return null;
                String why = whyItEnded();
                if (framesThisRun == 0 && rtsp() && "tcp".equals(rtspTransport) && !inputOptions.contains("-rtsp_transport")
                        && why.contains("461")) {
                    LOG.warn("camera {}: {} refuses RTSP over TCP ({}); using UDP", cameraId, input, why);
                    rtspTransport = "udp";
                    continue;
                }
                if (framesThisRun == 0 && exit != 0 && (!liveInput || !reconnect || permanent(why))) {
                    fail(liveInput ? "the server refused the stream: " + why : "cannot be read: " + why);
                    return null;
                }
                if (!liveInput && (why.contains("ended prematurely") || why.contains("partial file"))) {
                    releaseCovered(Double.POSITIVE_INFINITY); // as before: what was copied of a truncated file is kept
                    fail("ended early after " + framesThisRun + " frames: " + why);
                    return null;
                }
                if (toDiscard > 0) {
                    throw new IOException("camera " + cameraId + ": " + input + " ended before the checkpointed frame "
                            + (seq) + " (" + toDiscard + " frames short)");
                }
                if (!liveInput && exit == 0 && framesThisRun > 0) {
                    String cut = endedBeforeItsEnd();
                    if (cut != null) {
                        leaveOutHeld();
                        fail(cut);
                        return null;
                    }
                }
                releaseCovered(Double.POSITIVE_INFINITY); // a file that ended on its own: what ffmpeg copied, it decoded
                if (!liveInput || !reconnect) return null;
                if (framesThisRun > 0) {
                    gapStart = lastFrameWall;
                    attempts = 0;
                    retryMillis = Math.min(FIRST_RETRY_MILLIS, reconnectDelayMillis);
                }
                attempts++;
                LOG.warn("camera {}: ffmpeg on {} ended (exit {}): {}; reconnect attempt {} in {} ms", cameraId, input, exit,
                        why, attempts, retryMillis);
                if (!context.sleep(retryMillis)) return null;
                retryMillis = Math.min(retryMillis * 2, reconnectDelayMillis);
            }
            return null;
        }

        /** ffmpeg's last lines of stderr, or the watchdog's reason when it stopped a stalled stream (read once). */
        private String whyItEnded() {
            String why;
            synchronized (stderrTail) {
                why = String.join(" | ", stderrTail);
            }
            if (!stalled) return why;
            stalled = false;
            return "no frame for " + stallMillis + " ms while ffmpeg still read the stream (its codec may have changed); "
                    + "stopped it to probe the stream again" + (why.isEmpty() ? "" : "; ffmpeg said: " + why);
        }

        /** ffmpeg's reasons that retrying the same input will not change: the input is not video, or the server said no. */
        private boolean permanent(String why) {
            return why.contains("Invalid data found") || why.contains("No such file") || why.contains("moov atom not found")
                    || why.matches(".*Server returned 4\\d\\d.*") || why.matches(".*method \\w+ failed: 4\\d\\d.*");
        }

        /**
         * Why a file that ffmpeg finished without an error gave frames for clearly less than its length (null when it did
         * not): ffmpeg skips what its decoder cannot read, so a file whose codec changes mid-way (two recordings joined)
         * ends quietly at the change. Options that cut or loop the input make the length unknown, so they skip this.
         */
        private String endedBeforeItsEnd() {
            for (String o : List.of("-t", "-to", "-ss", "-stream_loop")) if (inputOptions.contains(o)) return null;
            double length = MediaProbe.videoSeconds(ffprobe, input);
            double reached = framesThisRun / fps;
            if (!(length > 0) || length - reached <= Math.max(2.0, 0.1 * length)) return null;
            return String.format(Locale.ROOT, "gave no frame after %.1f s of its %.1f s: ffmpeg found no video it could decode in the rest"
                    + " (its codec may change mid-file, or the rest is damaged); the frames before were kept", reached, length);
        }

        /** Announces the held segments that end by {@code decodedSeconds} of the file (all, for infinity). */
        private void releaseCovered(double decodedSeconds) {
            while (!held.isEmpty() && held.peekFirst().endSeconds() <= decodedSeconds + 0.5 / (double) fps) markers.add(Frame.segmentMarker(held.pollFirst().segment()));
        }

        /** Leaves out the held segments: they hold packets ffmpeg could not decode, copied as they were. */
        private void leaveOutHeld() throws IOException {
            for (Held h : held) {
                LOG.warn("camera {}: leaving out segment {}: it holds what ffmpeg could not decode", cameraId, h.segment().path);
                Files.deleteIfExists(Path.of(h.segment().path));
            }
            held.clear();
        }

        private void fail(String reason) {
            failed.inc();
            LOG.error("camera {} failed: {} {}; this camera stops, the other cameras go on", cameraId, input, reason);
            if (recording()) markers.add(Frame.statusMarker(CameraStatus.failed(cameraId, System.currentTimeMillis(), input + " " + reason)));
        }

        private void streamBack(long now) {
            long gap = now - gapStart;
            gaps.inc();
            gapMillis.inc(gap);
            LOG.warn("camera {}: {} is back after a {} ms gap ({} reconnect attempts); no video from {} to {}", cameraId, input, gap,
                    attempts, java.time.Instant.ofEpochMilli(gapStart), java.time.Instant.ofEpochMilli(now));
            if (recording()) {
                markers.add(Frame.statusMarker(CameraStatus.gap(cameraId, gapStart, now, attempts,
                        input + " was unavailable for " + gap + " ms")));
            }
            gapStart = -1;
            attempts = 0;
            retryMillis = Math.min(FIRST_RETRY_MILLIS, reconnectDelayMillis);
        }

        private void start() throws IOException {
            if (recording()) {
                Path cam = Path.of(spoolDir, cameraId);
                Files.createDirectories(cam);
                long n = System.currentTimeMillis();
                runDir = cam.resolve("run-" + n);
                while (Files.exists(runDir)) runDir = cam.resolve("run-" + ++n);
                Files.createDirectories(runDir);
                listOffset = 0;
                firstSegmentStart = Double.NaN;
            }
            if (multipart == null && http()) multipart = MediaProbe.servesMultipart(input);
            List<String> cmd = command(runDir, rtspTransport, Boolean.TRUE.equals(multipart));
            LOG.info("camera {}: starting {}", cameraId, String.join(" ", cmd));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new IOException("cannot run " + ffmpeg + " (is ffmpeg installed? scripts/install-deps.sh installs it): "
                        + e.getMessage(), e);
            }
            framesThisRun = 0;
            stderrTail.clear();
            pipe = process.getInputStream();
            Process p = process;
            stderrDrain = new Thread(() -> drain(p), "ffmpeg-stderr-" + cameraId);
            stderrDrain.setDaemon(true);
            stderrDrain.start();
            if (liveInput && watchdog == null) {
                watchdog = new Thread(this::watch, "ffmpeg-watchdog-" + cameraId);
                watchdog.setDaemon(true);
                watchdog.start();
            }
        }

        /** Stops a live ffmpeg the reader has waited on longer than the stall timeout; the reader then reconnects. */
        private void watch() {
            long tick = Math.max(50, Math.min(1000, stallMillis / 4));
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(tick);
                    long since = waitingSince;
                    Process p = process;
                    if (since >= 0 && p != null && p.isAlive() && System.currentTimeMillis() - since > stallMillis) {
                        stalled = true;
                        p.destroy();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void drain(Process p) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    LOG.debug("camera {} ffmpeg: {}", cameraId, line);
                    synchronized (stderrTail) {
                        stderrTail.addLast(line);
                        if (stderrTail.size() > 10) stderrTail.removeFirst();
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
        }

        private int stop() throws InterruptedException {
            Process p = process;
            process = null;
            if (p == null) return 0;
            try {
                pipe.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroy();
                if (!p.waitFor(2, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            }
            if (stderrDrain != null) stderrDrain.join(1000);
            if (runDir != null) {
                try {
                    pollSegments(dropLastSegment);
                } catch (IOException e) {
                    LOG.warn("camera {}: cannot read the segment list of {}: {}", cameraId, runDir, e.toString());
                }
            }
            return p.isAlive() ? -1 : p.exitValue();
        }

        /** Reads the finished segments ffmpeg has listed since the last call (complete lines only). */
        private void pollSegments(boolean dropLast) throws IOException {
            Path list = runDir.resolve("segments.csv");
            if (!Files.exists(list) || Files.size(list) <= listOffset) return;
            byte[] bytes;
            try (RandomAccessFile f = new RandomAccessFile(list.toFile(), "r")) {
                f.seek(listOffset);
                bytes = new byte[(int) (f.length() - listOffset)];
                f.readFully(bytes);
            }
            int end = 0;
            List<Segment> found = new ArrayList<>();
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] != '\n') continue;
                String line = new String(bytes, end, i - end, StandardCharsets.UTF_8).trim();
                end = i + 1;
                String[] parts = line.split(",");
                if (parts.length < 3) continue;
                double from = Double.parseDouble(parts[parts.length - 2]), to = Double.parseDouble(parts[parts.length - 1]);
                String name = String.join(",", java.util.Arrays.copyOf(parts, parts.length - 2));
                Path file = runDir.resolve(name);
                if (Double.isNaN(firstSegmentStart)) firstSegmentStart = from;
                long t0 = liveInput ? (framesThisRun > 0 ? runWallStart : System.currentTimeMillis()) - Math.round(firstSegmentStart * 1000)
                        : startMillis;
                found.add(new Segment(cameraId, file.toString(), t0 + Math.round(from * 1000), t0 + Math.round(to * 1000),
                        Files.exists(file) ? Files.size(file) : 0));
            }
            listOffset += end;
            if (dropLast && !found.isEmpty()) {
                Segment cut = found.remove(found.size() - 1);
                LOG.warn("camera {}: leaving out segment {}: the stream broke while it was written", cameraId, cut.path);
                Files.deleteIfExists(Path.of(cut.path));
            }
            for (Segment sg : found) {
                if (liveInput) markers.add(Frame.segmentMarker(sg));
                else held.add(new Held(sg, (sg.endMillis - startMillis) / 1000.0 - firstSegmentStart));
            }
        }

        @Override
        public void close() {
            if (watchdog != null) watchdog.interrupt();
            Process p = process;
            if (p != null) {
                p.destroy();
                try {
                    if (!p.waitFor(2, TimeUnit.SECONDS)) p.destroyForcibly();
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
