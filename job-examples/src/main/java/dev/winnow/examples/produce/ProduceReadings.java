package dev.winnow.examples.produce;

import dev.winnow.connectors.avro.AvroFormat;
import dev.winnow.connectors.sensor.SensorLineFormat;
import dev.winnow.examples.io.Samples;
import dev.winnow.flink.types.SensorReading;
import dev.winnow.registry.cli.Exits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A load generator for the sensor jobs: {@code --sensors} sensors reading {@code --rate} times a second,
 * written to a Kafka topic as the {@code SensorReading} Avro records the jobs read, keyed by sensor (one
 * sensor stays in one partition, in order). The values are a real recorded series (a CSV in the jobs'
 * format; the bundled beaver temperatures by default): sensor {@code i} replays it from its own offset,
 * so the sensors differ while every value is one a real sensor gave. Event time starts now and advances
 * one reading period per reading. Ends with one summary line.
 */
@Command(name = "readings",
        description = {"Write N sensors' readings at R Hz to a Kafka topic as SensorReading Avro records, replaying a real",
                "recorded series from a different offset per sensor. Ends with one summary line."},
        exitCodeList = {"0:all readings written", "2:usage error",
                "7:the series missing or unreadable, or the broker not reachable or refusing readings (the summary says how many it took)"})
public final class ProduceReadings extends ProduceSubcommand {
    @Option(names = "--series", paramLabel = "csv",
            description = "readings in the jobs' CSV format, sensorId,timestampMillis,value1..valueN[,label] (default: the bundled beaver series)")
    Path series;
    @Option(names = "--labelled", negatable = true, defaultValue = "true",
            description = "the series' last column is a class label, kept on each reading (default: ${DEFAULT-VALUE}, as the bundled series)")
    boolean labelled;
    @Option(names = "--sensors", defaultValue = "1000", description = "how many sensors (default: ${DEFAULT-VALUE})")
    int sensors;
    @Option(names = "--rate", defaultValue = "1", paramLabel = "Hz",
            description = "readings per second per sensor; 0 = as fast as the broker takes them (default: ${DEFAULT-VALUE})")
    double rate;
    @Option(names = "--readings", defaultValue = "10", description = "readings per sensor (default: ${DEFAULT-VALUE})")
    long readings;
    @Option(names = "--topic", defaultValue = "sensor-readings", description = "topic to write (default: ${DEFAULT-VALUE}); created when missing")
    String topic;
    @CommandLine.Mixin BrokerOptions broker = new BrokerOptions();

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (sensors <= 0) throw new CommandLine.ParameterException(cl, "--sensors " + sensors + ": must be positive");
        if (readings <= 0) throw new CommandLine.ParameterException(cl, "--readings " + readings + ": must be positive");
        if (rate < 0 || Double.isNaN(rate)) throw new CommandLine.ParameterException(cl, "--rate " + rate + ": must be 0 (as fast as possible) or more");
        broker.validate(cl);
        Path file = null;
        List<SensorReading> values;
        try {
            file = series != null ? series : Samples.dir().resolve("sensors/beavers.csv");
            values = read(file, new SensorLineFormat(-1, labelled));
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            err().println("produce readings: " + (file == null ? "" : file + ": ") + e.getMessage());
            return Exits.INPUT;
        }
        if (!broker.topicReady(topic, err(), "produce readings")) return Exits.INPUT;
        return produce(values, file);
    }

    /** Every reading of the series, in file order; a line that does not parse stops with its number. */
    static List<SensorReading> read(Path file, SensorLineFormat format) throws IOException {
        if (!Files.isRegularFile(file)) throw new java.nio.file.NoSuchFileException(file.toString(), null, "no such file");
        List<SensorReading> r = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            if (SensorLineFormat.ignorable(line)) continue;
            try {
                r.add(format.parse(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + n + ": " + e.getMessage());
            }
        }
        if (r.isEmpty()) throw new IllegalArgumentException("no readings");
        return r;
    }

    private Integer produce(List<SensorReading> values, Path file) throws Exception {
        Deliveries sent = new Deliveries();
        long periodMillis = rate > 0 ? Math.max(1, Math.round(1000 / rate)) : 1000;
        long start = System.currentTimeMillis(), t0 = System.nanoTime();
        String[] ids = new String[sensors];
        for (int s = 0; s < sensors; s++) ids[s] = String.format(Locale.ROOT, "sensor-%06d", s);
        sent.produce(broker, producer -> {
            for (long k = 0; k < readings && !sent.failed(); k++) {
                if (rate > 0) BrokerOptions.pace(t0, k, rate);
                for (int s = 0; s < sensors && !sent.failed(); s++) {
                    // a stride coprime with most series lengths spreads the sensors' offsets over the series
                    SensorReading from = values.get((int) ((s * 7919L + k) % values.size()));
                    SensorReading r = new SensorReading(ids[s], start + k * periodMillis, from.values);
                    r.label = from.label;
                    sent.send(producer, topic, r.timestampMillis, ids[s], AvroFormat.SENSOR_READING.encode(r));
                }
            }
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        out().printf(Locale.ROOT, "produced %d readings (%.1f MB) of %d sensors to %s at %s in %.1f s (%.0f readings/s); series %s: %d readings of %d values%n",
                sent.acked(), sent.bytes() / 1e6, sensors, topic, broker.bootstrap, seconds, seconds > 0 ? sent.acked() / seconds : 0.0,
                file.getFileName(), values.size(), values.get(0).values.length);
        return sent.exit(err(), "produce readings", broker.bootstrap, "a reading");
    }
}
