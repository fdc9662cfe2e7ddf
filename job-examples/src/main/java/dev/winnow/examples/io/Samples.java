package dev.winnow.examples.io;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bundled sample data: {@code job-examples/samples} in a checkout (found from the working
 * directory or its parents), or wherever {@code -Dwinnow.samples} points.
 */
public final class Samples {
    private Samples() {}

    public static Path dir() {
        String configured = System.getProperty("winnow.samples");
        if (configured != null) return Path.of(configured);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("job-examples/samples");
            if (Files.isDirectory(candidate)) return candidate;
            if (p.getFileName() != null && p.getFileName().toString().equals("job-examples") && Files.isDirectory(p.resolve("samples"))) return p.resolve("samples");
        }
        throw new IllegalStateException("no sample data: run from a Winnow checkout, set -Dwinnow.samples=<dir>, or name inputs explicitly (--camera, --readings)");
    }
}
