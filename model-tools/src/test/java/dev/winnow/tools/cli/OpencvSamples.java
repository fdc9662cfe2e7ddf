package dev.winnow.tools.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Debian's opencv-doc sample pictures and video (scripts/install-deps.sh installs them), which the frame-reading CLI tests feed. */
public final class OpencvSamples {
    public static final Path DATA = Path.of("/usr/share/doc/opencv-doc/examples/data");
    /** About 80 s of people crossing a plaza. */
    public static final Path VTEST = DATA.resolve("vtest.avi");

    private OpencvSamples() {}

    /** A new folder {@code dir} with sample pictures copied in: pairs of the sample's name and the name it gets there. */
    public static Path folder(Path dir, String... sampleThenName) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < sampleThenName.length; i += 2) Files.copy(DATA.resolve(sampleThenName[i]), dir.resolve(sampleThenName[i + 1]));
        return dir;
    }
}
