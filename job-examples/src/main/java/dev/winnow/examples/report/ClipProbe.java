package dev.winnow.examples.report;

import dev.winnow.connectors.camera.Ffprobe;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * What a kept clip holds, asked of ffprobe, so the report offers a player only where a browser can
 * play the clip: MP4 with H.264, VP9 or AV1. The clip sink stream-copies the camera's codec, so a
 * DivX 3 camera (vtest.avi) gets Matroska and an MPEG-4 part 2 or HEVC camera gets MP4 that
 * Chromium does not decode; those rows offer a download instead of a broken player.
 *
 * @param codec   the video stream's codec name ("" when ffprobe could not tell)
 * @param seconds the container's duration (0 when unknown)
 * @param problem why the clip could not be probed, or null
 */
public record ClipProbe(String codec, double seconds, String problem) {
    static final Set<String> BROWSER_CODECS = Set.of("h264", "vp9", "av1");

    public boolean browserPlays(String clip) {
        return problem == null && clip.toLowerCase(Locale.ROOT).endsWith(".mp4") && BROWSER_CODECS.contains(codec);
    }

    /** A person's name for the codec, for the row that cannot play it. */
    public String codecLabel() {
        return switch (codec) {
            case "msmpeg4v3" -> "DivX 3 (msmpeg4v3)";
            case "mpeg4" -> "MPEG-4 part 2 (mpeg4)";
            case "hevc" -> "H.265 (hevc)";
            case "" -> "an unknown codec";
            default -> codec;
        };
    }

    /** Runs {@code ffprobe} on one clip; a missing tool or an unreadable clip is a probe with a problem, not an exception. */
    public static ClipProbe of(String ffprobe, Path clip) {
        try {
            Ffprobe.Result r = Ffprobe.videoStream(ffprobe, "stream=codec_name:format=duration", "default=noprint_wrappers=1", clip.toString());
            if (!r.finished()) return new ClipProbe("", 0, "ffprobe did not finish in " + Ffprobe.TIMEOUT_SECONDS + " s");
            String out = r.output();
            String codec = "";
            double seconds = 0;
            for (String line : out.split("\n")) {
                line = line.trim();
                if (line.startsWith("codec_name=")) codec = line.substring(11).toLowerCase(Locale.ROOT);
                else if (line.startsWith("duration=") && !line.endsWith("N/A")) seconds = Double.parseDouble(line.substring(9));
            }
            if (!r.ok() || codec.isEmpty()) return new ClipProbe(codec, seconds, "ffprobe: " + out.trim().lines().findFirst().orElse("exit " + r.exitCode()));
            return new ClipProbe(codec, seconds, null);
        } catch (IOException | NumberFormatException e) {
            return new ClipProbe("", 0, "cannot run " + ffprobe + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ClipProbe("", 0, "interrupted");
        }
    }
}
