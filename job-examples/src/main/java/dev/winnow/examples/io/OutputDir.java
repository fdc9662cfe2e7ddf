package dev.winnow.examples.io;

import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;

/**
 * Where a job writes: a local directory ({@code reports/x}, {@code file:///…}) or any Flink file
 * system URI ({@code s3://…}, {@code hdfs://…}). Reports are read back only from local directories.
 */
public final class OutputDir implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String uri;

    private OutputDir(String uri) {
        this.uri = uri;
    }

    public static OutputDir of(String location) {
        URI u = URI.create(location.replace('\\', '/'));
        if (u.getScheme() == null || u.getScheme().length() == 1) return new OutputDir(Path.of(location).toAbsolutePath().normalize().toUri().toString());
        return new OutputDir(u.toString());
    }

    /** A subdirectory as a Flink path, for sinks. */
    public org.apache.flink.core.fs.Path flink(String sub) {
        return new org.apache.flink.core.fs.Path(new org.apache.flink.core.fs.Path(uri), sub);
    }

    /** The output directory itself as a Flink path. */
    public org.apache.flink.core.fs.Path flinkRoot() {
        return new org.apache.flink.core.fs.Path(uri);
    }

    /** The local directory, or null when the output is on a remote file system. */
    public Path local() {
        return uri.startsWith("file:") ? Path.of(URI.create(uri)) : null;
    }

    /** Deletes a previous run's outputs in a local directory, so the report reads this run's only. */
    public void clearLocal(String... subdirs) throws java.io.IOException {
        Path dir = local();
        if (dir == null) return;
        for (String sub : subdirs) {
            Path p = dir.resolve(sub);
            if (!java.nio.file.Files.exists(p)) continue;
            try (var files = java.nio.file.Files.walk(p)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.delete(f);
            }
        }
    }

    /** Deletes a previous run's top-level entries whose names start with {@code prefix} (e.g. {@code camera=}). */
    public void clearLocalMatching(String prefix) throws java.io.IOException {
        Path dir = local();
        if (dir == null || !java.nio.file.Files.isDirectory(dir)) return;
        try (var entries = java.nio.file.Files.list(dir)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                try (var files = java.nio.file.Files.walk(p)) {
                    for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.delete(f);
                }
            }
        }
    }

    @Override
    public String toString() {
        return uri;
    }
}
