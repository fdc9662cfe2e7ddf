package dev.winnow.connectors.camera;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * What a camera's input is, asked before ffmpeg decodes it. Called from the camera's reader thread when it
 * (re)starts ffmpeg, never per frame. Every failure answers "unknown" (null, NaN): ffmpeg then opens the
 * input itself and reports its own error.
 */
final class MediaProbe {
    private MediaProbe() {}

    /**
     * Whether an http(s) URL serves an MJPEG stream, as {@link MjpegCamera} reads one (a multipart type with a
     * boundary); null when the server could not be asked (down, refused), so the caller asks again at its next start.
     * MJPEG parts carry no presentation time, so ffmpeg must stamp them on arrival; a transport stream over HTTP
     * carries its own times and must not be restamped (B-frames would be reordered). One GET, closed after the headers.
     */
    static Boolean servesMultipart(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(5_000);
            c.setReadTimeout(5_000);
            c.setUseCaches(false);
            try {
                return MjpegCamera.boundary(c.getContentType()) != null;
            } finally {
                c.disconnect();
            }
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Length in seconds of a file's first video stream (the container's length when the stream states none), or NaN
     * when ffprobe cannot tell. A file whose decode stops well before this length lost the rest of its video.
     */
    static double videoSeconds(String ffprobe, String file) {
        try {
            Ffprobe.Result r = Ffprobe.videoStream(ffprobe, "stream=duration:format=duration", "default=nw=1:nk=1", file);
            if (!r.ok()) return Double.NaN;
            // the stream's line comes first; "N/A" where the container keeps the length (Matroska)
            for (String line : r.output().strip().split("\\R")) {
                try {
                    double d = Double.parseDouble(line.trim());
                    if (d > 0) return d;
                } catch (NumberFormatException notANumber) {
                    // N/A: try the next line
                }
            }
            return Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }
}
