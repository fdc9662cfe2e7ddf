package dev.winnow.connectors.camera;

import dev.winnow.connectors.source.StreamSource;
import dev.winnow.flink.types.Frame;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * A FLIP-27 source of {@link Frame}s from one or more cameras, one split per camera (so cameras spread
 * over the parallel readers and each has its own watermark). Its checkpointed state per camera is the
 * seq of the next frame to emit. Malformed frames are counted in the {@value #METRIC} metric and
 * skipped with a log line naming the camera and the frame.
 *
 * <pre>{@code
 * var source = CameraSource.of(
 *         CameraSource.imageFolder("lobby", Path.of("frames/lobby")).fps(10),
 *         CameraSource.mjpeg("gate", URI.create("http://10.0.0.7/video.mjpg")),
 *         CameraSource.ffmpeg("plaza", "rtsp://10.0.0.9/stream1", 320, 240, 5));
 * DataStream<Frame> frames = env.fromSource(source,
 *         WatermarkStrategy.<Frame>forBoundedOutOfOrderness(Duration.ofSeconds(1)), "cameras");
 * }</pre>
 */
public final class CameraSource extends StreamSource<Frame> {
    private static final long serialVersionUID = 1L;
    public static final String METRIC = "malformedFrames";

    private CameraSource(List<? extends CameraSpec<?>> cameras) {
        super(cameras, TypeInformation.of(Frame.class), METRIC, "frame", 8); // frames are large: a short hand-over queue
    }

    public static CameraSource of(CameraSpec<?>... cameras) {
        return new CameraSource(List.of(cameras));
    }

    public static CameraSource of(List<? extends CameraSpec<?>> cameras) {
        return new CameraSource(cameras);
    }

    public static ImageFolderCamera imageFolder(String cameraId, Path folder) {
        return new ImageFolderCamera(cameraId, folder);
    }

    public static MjpegCamera mjpeg(String cameraId, URI url) {
        return new MjpegCamera(cameraId, url);
    }

    public static FfmpegCamera ffmpeg(String cameraId, String fileOrUrl, int width, int height, double fps) {
        return new FfmpegCamera(cameraId, fileOrUrl, width, height, fps);
    }
}
