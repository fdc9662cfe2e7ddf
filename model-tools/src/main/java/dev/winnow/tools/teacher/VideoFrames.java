package dev.winnow.tools.teacher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The frames of a video file or stream URL, decoded by an {@code ffmpeg} child process to RGB24 at the
 * video's own size (read first with {@code ffprobe}), optionally resampled to {@code fps}. Not thread
 * safe: one reader, then {@link #close}.
 */
public final class VideoFrames implements AutoCloseable {
    private final Process process;
    private final InputStream pipe;
    private final int width;
    private final int height;
    private final Thread drain;
    private final List<String> errors = new ArrayList<>();
    private long index;

    public VideoFrames(String input, double fps) throws IOException {
        int[] size = probe(input);
        this.width = size[0];
        this.height = size[1];
        if ((long) width * height > FrameFiles.MAX_PIXELS) throw new IOException(input + ": " + width + "x" + height + " exceeds " + FrameFiles.MAX_PIXELS + " pixels");
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", input));
        if (fps > 0) cmd.addAll(List.of("-vf", "fps=" + fps));
        cmd.addAll(List.of("-f", "rawvideo", "-pix_fmt", "rgb24", "-"));
        process = start(cmd);
        pipe = process.getInputStream();
        drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) synchronized (errors) { if (errors.size() < 20) errors.add(line); }
            } catch (IOException ignored) {
                // the process is gone; what it said is kept
            }
        }, "ffmpeg-stderr");
        drain.setDaemon(true);
        drain.start();
    }

    private static Process start(List<String> cmd) throws IOException {
        try {
            return new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new IOException(cmd.get(0) + " is not available (install Debian's ffmpeg): " + e.getMessage());
        }
    }

    static int[] probe(String input) throws IOException {
        Process p = start(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", input));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String[] f = out.split("[,\\s]+");
        try {
            if (f.length >= 2) return new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1])};
        } catch (NumberFormatException e) {
            // falls through
        }
        throw new IOException(input + ": no video stream" + (err.isEmpty() ? "" : " (" + err.lines().findFirst().orElse("") + ")"));
    }

    public int width() { return width; }
    public int height() { return height; }
    /** Index of the frame the next {@link #next} returns. */
    public long index() { return index; }

    /** The next frame, or null at the end; a short last frame ends the stream. */
    public Picture next() throws IOException {
        byte[] data = new byte[width * height * 3];
        int off = 0, n;
        while (off < data.length && (n = pipe.read(data, off, data.length - off)) > 0) off += n;
        if (off < data.length) return null;
        index++;
        return new Picture(width, height, 3, data);
    }

    /** What ffmpeg said on stderr (at most 20 lines). */
    public List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
