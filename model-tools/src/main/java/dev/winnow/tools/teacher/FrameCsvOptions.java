package dev.winnow.tools.teacher;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * What a command that writes one CSV row per frame reads and writes (a picocli mixin), shared by
 * {@code winnow teacher label} and {@code winnow detector score}: the frames, their resampling rate,
 * and the CSV.
 */
public final class FrameCsvOptions {
    @Option(names = "--frames", required = true, description = "a directory of frames (pgm, ppm, png, jpg, bmp), a video file or a stream URL")
    public String frames;

    @Option(names = "--out", required = true, description = "CSV to write")
    public Path out;

    @Option(names = "--fps", defaultValue = "0", description = "videos: resample to this rate (default: every frame)")
    public double fps;

    /** The frames, a video resampled to --fps. */
    public FrameStream open() throws IOException {
        return FrameStream.open(frames, fps);
    }
}
