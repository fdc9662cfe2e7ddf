package dev.winnow.connectors.camera;

import dev.winnow.connectors.source.RecordStream;
import dev.winnow.connectors.source.StreamContext;
import dev.winnow.flink.types.Frame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A folder of images (JPEG, PNG, PGM/PPM; sorted by file name) replayed as a camera. Frame {@code seq}
 * is the file's index in the sorted list (plus {@code n * files} per completed loop); frames are
 * paced at {@code fps} (fps &le; 0: as fast as possible). Event time is
 * {@code startMillis + seq * 1000 / eventFps}, so it is the same after a restore. JPEG files are
 * passed on as JPEG; others are decoded to GRAY8 or RGB24. An unreadable file is counted in
 * {@code malformedFrames}, logged with camera and frame, and skipped.
 */
public final class ImageFolderCamera extends CameraSpec<ImageFolderCamera> {
    private static final long serialVersionUID = 1L;

    private final String folder;
    private double fps = 0;
    private boolean loop;
    private long startMillis = System.currentTimeMillis();
    private double eventFps = Double.NaN;

    public ImageFolderCamera(String cameraId, Path folder) {
        super(cameraId);
        this.folder = folder.toString();
    }

    /** Replay rate; 0 or less replays as fast as the job takes frames. */
    public ImageFolderCamera fps(double fps) {
        this.fps = fps;
        return this;
    }

    /** Start over at the first file after the last, forever (or until {@link #maxFrames}). */
    public ImageFolderCamera loop(boolean loop) {
        this.loop = loop;
        return this;
    }

    /**
     * Event time of frame 0 and the frame rate of the event-time clock (default: the time this spec
     * was made, and {@code fps}, or 10 when replaying as fast as possible).
     */
    public ImageFolderCamera eventTime(long startMillis, double framesPerSecond) {
        if (!(framesPerSecond > 0)) throw new IllegalArgumentException("event-time fps must be > 0");
        this.startMillis = startMillis;
        this.eventFps = framesPerSecond;
        return this;
    }

    @Override
    public boolean bounded() {
        return !loop || maxFrames != Long.MAX_VALUE;
    }

    /** The image files replayed, in order. */
    public List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(Paths.get(folder))) {
            return s.filter(p -> Files.isRegularFile(p) && ImageDecoding.supported(p.getFileName().toString()))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    @Override
    public RecordStream<Frame> open(long position, StreamContext context) throws IOException {
        List<Path> files = files();
        if (files.isEmpty()) throw new IOException("camera " + cameraId + ": no JPEG/PNG/PGM/PPM files in " + folder);
        double clock = !Double.isNaN(eventFps) ? eventFps : (fps > 0 ? fps : 10);
        return new RecordStream<>() {
            long seq = position;
            final long t0 = System.nanoTime();

            @Override
            public Positioned<Frame> next() throws IOException {
                while (true) {
                    if (seq >= maxFrames || (!loop && seq >= files.size())) return null;
                    if (fps > 0) {
                        long due = t0 + (long) ((seq - position) * 1e9 / fps);
                        long waitMs = (due - System.nanoTime()) / 1_000_000;
                        if (waitMs > 0 && !context.sleep(waitMs)) return null;
                    }
                    long s = seq++;
                    Path file = files.get((int) (s % files.size()));
                    long ts = startMillis + (long) (s * 1000 / clock);
                    try {
                        byte[] bytes = Files.readAllBytes(file);
                        Frame f = ImageDecoding.decode(cameraId, s, ts, file.getFileName().toString(), bytes);
                        return new Positioned<>(f, ts, seq);
                    } catch (IOException | RuntimeException e) {
                        context.malformed().skip(where(s) + " (" + file + ")", e.getMessage());
                    }
                }
            }

            @Override
            public void close() {}
        };
    }
}
