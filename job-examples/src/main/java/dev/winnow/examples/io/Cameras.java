package dev.winnow.examples.io;

import dev.winnow.connectors.camera.CameraSource;
import dev.winnow.connectors.camera.CameraSpec;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Cameras named on a command line as {@code id=where}: a folder of images (replayed), an
 * {@code http(s)://} MJPEG stream (what IP cameras serve), or anything else ffmpeg opens (a video
 * file, {@code rtsp://…}, an HTTP transport stream when the job records), scaled to the given size.
 */
public final class Cameras {
    private Cameras() {}

    /** Whether a camera spec (id=where) names a folder of frames, which is replayed rather than captured. */
    public static boolean isFolder(String spec) {
        int eq = spec.indexOf('=');
        return eq > 0 && Files.isDirectory(Path.of(spec.substring(eq + 1)));
    }

    /** A live stream (an {@code rtsp://}, {@code http(s)://} or other URL), not a folder or file replayed. */
    public static boolean isLive(String spec) {
        int eq = spec.indexOf('=');
        return eq > 0 && spec.substring(eq + 1).contains("://");
    }

    /**
     * @param fps         replay or capture rate; 0 replays folders as fast as the job takes frames
     * @param eventFps    frame rate of a replayed folder's event-time clock
     * @param startMillis event time of a replayed folder's first frame
     */
    public static CameraSpec<?> parse(String spec, double fps, double eventFps, long startMillis, int width, int height) {
        return parse(spec, fps, eventFps, startMillis, width, height, false);
    }

    /**
     * @param recording whether the job keeps the cameras' own video: an {@code http(s)://} camera then goes through
     *                  ffmpeg, which records its stream as received (an MJPEG camera's JPEGs, an MPEG-TS camera's
     *                  packets) while it decodes the analysis frames; otherwise MJPEG is read in Java, JPEG by JPEG
     */
    public static CameraSpec<?> parse(String spec, double fps, double eventFps, long startMillis, int width, int height, boolean recording) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) throw new IllegalArgumentException("camera '" + spec + "': expected id=folder|video|url");
        String id = spec.substring(0, eq), where = spec.substring(eq + 1);
        boolean http = where.startsWith("http://") || where.startsWith("https://");
        if (http && !recording) return CameraSource.mjpeg(id, URI.create(where));
        if (Files.isDirectory(Path.of(where))) {
            return CameraSource.imageFolder(id, Path.of(where)).fps(fps).eventTime(startMillis, eventFps);
        }
        if (!where.contains("://") && !Files.isRegularFile(Path.of(where))) {
            throw new IllegalArgumentException("camera " + id + ": " + where + " is neither a folder, a video file nor a URL");
        }
        return CameraSource.ffmpeg(id, where, width, height, fps > 0 ? fps : 10).startMillis(startMillis);
    }
}
