package dev.winnow.examples.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import dev.winnow.connectors.sink.CsvSinks;
import java.time.ZoneOffset;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.util.function.SerializableFunction;

/**
 * A job's results as CSV part files (Flink {@link FileSink}: exactly once, files committed at
 * checkpoints and at the end of a bounded job), and reading them back for reports.
 */
public final class CsvFiles {
    private CsvFiles() {}

    /** CSV part files under {@code out/name}, bucketed by the record's event hour (connectors' {@link CsvSinks}). */
    public static <T> FileSink<T> sink(OutputDir out, String name, SerializableFunction<T, String> row, SerializableFunction<T, Long> eventTime) {
        return CsvSinks.sink(out.flink(name), name, row, eventTime, ZoneOffset.UTC);
    }

    /** Every committed line under {@code dir} (in-progress and hidden files skipped), split on commas. */
    public static List<String[]> read(Path dir) {
        List<String[]> rows = new ArrayList<>();
        if (!Files.isDirectory(dir)) return rows;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) rows.add(line.split(",", -1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}
