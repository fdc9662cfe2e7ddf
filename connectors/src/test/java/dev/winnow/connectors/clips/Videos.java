package dev.winnow.connectors.clips;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real footage for clip tests, and the checks a person's player would make. Fails, never skips. */
final class Videos {
    static final Path VTEST = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");

    private Videos() {}

    static Path vtest() {
        assertTrue(Files.isReadable(VTEST), VTEST + " is missing: apt-get install opencv-doc (scripts/install-deps.sh)");
        return VTEST;
    }

    /**
     * An H.264 MP4 made from vtest.avi (no H.264 clip with people ships in a Debian package that is
     * installed here): the first {@code seconds} s, libx264, a keyframe every 2 s.
     */
    static Path h264(Path dir, int seconds) throws Exception {
        Path out = dir.resolve("vtest-h264.mp4");
        if (!Files.exists(out)) {
            run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", vtest().toString(), "-t", Integer.toString(seconds),
                    "-c:v", "libx264", "-preset", "veryfast", "-g", "20", "-keyint_min", "20", "-sc_threshold", "0", "-an", out.toString()));
        }
        return out;
    }

    static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timeout: " + cmd);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    /** ffprobe opens it; every frame decodes to the end without an error; returns its duration in seconds. */
    static double assertPlayable(Path clip) throws Exception {
        String probe = run(List.of("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", clip.toString())).trim();
        String errors = run(List.of("ffmpeg", "-nostdin", "-v", "error", "-i", clip.toString(), "-f", "null", "-"));
        assertEquals("", errors.trim(), clip + " does not decode cleanly");
        return Double.parseDouble(probe);
    }

    static String codec(Path clip) throws Exception {
        return run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0",
                clip.toString())).trim();
    }
}
