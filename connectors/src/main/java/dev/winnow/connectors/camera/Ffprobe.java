package dev.winnow.connectors.camera;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One ffprobe run that reads entries of an input's first video stream, for the probes that ask what a
 * file holds (a camera's input length here, a kept clip's codec for the retention report): it starts
 * ffprobe, reads what it prints, and kills it when it has not finished within {@link #TIMEOUT_SECONDS}.
 * Any thread; the call blocks while ffprobe runs.
 */
public final class Ffprobe {
    /** How long ffprobe may take on one input. */
    public static final int TIMEOUT_SECONDS = 30;

    private Ffprobe() {}

    /**
     * What one run printed: its exit code and its output, standard error included (the first line of an
     * error is what the caller reports); {@code finished} false when it was killed at the timeout.
     */
    public record Result(boolean finished, int exitCode, String output) {
        public boolean ok() {
            return finished && exitCode == 0;
        }
    }

    /**
     * Runs {@code ffprobe -v error -select_streams v:0 -show_entries <entries> -of <format> <input>}.
     *
     * @throws IOException when ffprobe cannot be started or read
     */
    public static Result videoStream(String ffprobe, String entries, String format, String input) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(ffprobe, "-v", "error", "-select_streams", "v:0", "-show_entries", entries, "-of", format, input))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(false, -1, out);
        }
        return new Result(true, p.exitValue(), out);
    }
}
