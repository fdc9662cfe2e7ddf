package dev.winnow.connectors.sensor;

import dev.winnow.connectors.source.RecordStream;
import dev.winnow.connectors.source.StreamContext;
import dev.winnow.connectors.source.StreamSpec;
import dev.winnow.flink.types.SensorReading;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * One CSV file of readings replayed in file order (see {@link SensorLineFormat}). The position is the
 * line number of the next line, so a restore skips exactly the lines already emitted. With a speed
 * &gt; 0 the replay is paced by the readings' timestamps (1 = as recorded, 10 = ten times faster); 0
 * replays as fast as the job takes it. A first line that does not parse is taken as a header; other
 * lines that do not parse are counted in {@code malformedLines} and skipped.
 */
final class CsvSensorFile implements StreamSpec<SensorReading> {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final SensorLineFormat format;
    private final double speed;

    CsvSensorFile(Path file, SensorLineFormat format, double speed) {
        this.file = file.toString();
        this.format = format;
        this.speed = speed;
    }

    @Override
    public String id() {
        return file;
    }

    @Override
    public boolean bounded() {
        return true;
    }

    @Override
    public RecordStream<SensorReading> open(long position, StreamContext context) throws IOException {
        BufferedReader in = Files.newBufferedReader(Paths.get(file), StandardCharsets.UTF_8);
        for (long i = 0; i < position; i++) {
            if (in.readLine() == null) break;
        }
        return new RecordStream<>() {
            long line = position;
            long firstTs = Long.MIN_VALUE;
            long t0;

            @Override
            public Positioned<SensorReading> next() throws IOException {
                String s;
                while ((s = in.readLine()) != null) {
                    long n = line++;
                    if (SensorLineFormat.ignorable(s)) continue;
                    SensorReading r;
                    try {
                        r = format.parse(s);
                    } catch (IllegalArgumentException e) {
                        if (n == 0) continue; // header
                        context.malformed().skip(file + " line " + (n + 1), e.getMessage() + ": '" + abbreviate(s) + "'");
                        continue;
                    }
                    if (speed > 0) {
                        if (firstTs == Long.MIN_VALUE) {
                            firstTs = r.timestampMillis;
                            t0 = System.nanoTime();
                        }
                        long dueNanos = t0 + (long) ((r.timestampMillis - firstTs) * 1e6 / speed);
                        long waitMs = (dueNanos - System.nanoTime()) / 1_000_000;
                        if (waitMs > 0 && !context.sleep(waitMs)) return null;
                    }
                    return new Positioned<>(r, r.timestampMillis, line);
                }
                return null;
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
