package dev.winnow.examples.adapt;

import dev.winnow.connectors.avro.AvroFormat;
import dev.winnow.examples.io.FrameModels;
import dev.winnow.flink.types.AdaptRequest;
import dev.winnow.registry.cli.Exits;
import dev.winnow.tools.cli.WinnowCli;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import dev.winnow.tools.detect.FootageOptions;
import dev.winnow.tools.detect.SigningOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Closes the central teacher's loop: reads the {@link AdaptRequest}s that the {@code central-teacher} job
 * writes for cameras whose estimated recall fell under its floor, and for each runs {@code winnow detector
 * adapt} on that camera's footage, starting from the registry's zoo, publishing the result signed under the
 * camera's alias. The edge jobs following that alias ({@code --camera-alias}) then swap to it at a checkpoint.
 *
 * <p>A plain Kafka consumer, not a Flink job: one adapt takes minutes of CPU and writes to the registry,
 * work that belongs beside the teacher rather than inside a stream task. Requests are handled one at a time
 * and each is committed after it is handled (at least once: a restart repeats at most the one it was on,
 * and an adapt repeated only publishes another version). A camera adapted less than {@code --cooldown} ago
 * is not adapted again (the central job flags a camera again only after it recovered, but requests that
 * queued while one adapt ran would otherwise each start another). Single-threaded.
 */
@Command(name = "adapt-worker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Adapt the cameras the central-teacher job flags: read its adapt requests from Kafka and, for each, run",
                "'winnow detector adapt' on the camera's footage (starting from the registry's zoo) and publish the result,",
                "signed, under the camera's alias. Requests are committed one by one after they are handled."})
public final class AdaptWorker implements Callable<Integer> {
    @Option(names = {"--kafka", "--bootstrap"}, required = true, description = "Kafka bootstrap servers") String bootstrap;
    @Option(names = "--adapt-topic", defaultValue = "adapt-requests", description = "the central-teacher job's adapt requests (default: ${DEFAULT-VALUE})") String topic;
    @Option(names = "--group", defaultValue = "winnow-adapt-worker", description = "consumer group; its committed offset is how far requests were handled (default: ${DEFAULT-VALUE})") String group;
    @Option(names = "--camera", required = true, description = "id=footage adapt reads for that camera: a frame directory, a video file or a stream URL (repeatable)")
    List<String> cameras = new ArrayList<>();
    @Option(names = "--camera-alias", description = "camera=alias the camera's student is published under (repeatable; default: the camera id)")
    Map<String, String> aliases = new LinkedHashMap<>();
    @Option(names = "--registry", required = true, description = "registry directory or server URL: the zoo adapt starts from and where it publishes") String registry;
    @Option(names = "--name", defaultValue = "person-detector", description = "model name in the registry (default: ${DEFAULT-VALUE})") String name;
    @Option(names = "--base", description = "the general student (.wnm) beside the zoo (default: the bundled person detector)") Path base;
    @Mixin SigningOptions signing;
    @Option(names = "--teacher", description = "teacher artifact (default: adapt's, models/teacher/centernet.wnm)") Path teacher;
    @Mixin FootageOptions footage;
    @Option(names = "--threads", defaultValue = "1", description = "threads for one adapt (default: ${DEFAULT-VALUE})") int threads;
    @Option(names = "--cooldown", defaultValue = "PT1H", description = "a camera adapted less than this ago is not adapted again (ISO-8601; default: ${DEFAULT-VALUE})")
    Duration cooldown;
    @Option(names = "--work", defaultValue = "adapt-work", description = "directory for the adapted artifacts (default: ${DEFAULT-VALUE})") Path work;
    @Option(names = "--once", description = "handle the requests on the topic when it starts, then stop (a cron job, tests)") boolean once;
    @Option(names = "--connect-timeout", defaultValue = "PT60S", description = "give up when the topic's partitions are not assigned within this (default: ${DEFAULT-VALUE})")
    Duration connectTimeout;

    /** What became of one request; the counts end the run's summary. */
    enum Outcome { PUBLISHED, REFUSED, FAILED, UNKNOWN_CAMERA, COOLING_DOWN, MALFORMED }

    private final PrintStream out;
    private final Map<String, Instant> lastAdapt = new LinkedHashMap<>();
    private final Map<Outcome, Integer> outcomes = new LinkedHashMap<>();

    public AdaptWorker() {
        this(System.out);
    }

    AdaptWorker(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> sources = new LinkedHashMap<>();
        for (String c : cameras) {
            int eq = c.indexOf('=');
            if (eq <= 0 || eq == c.length() - 1) throw new CommandLine.ParameterException(new CommandLine(this), "--camera '" + c + "': expected id=footage");
            sources.put(c.substring(0, eq), c.substring(eq + 1));
        }
        if (!signing.hasKey()) throw new CommandLine.ParameterException(new CommandLine(this), "adapt-worker publishes signed students: give --key PREFIX or set WINNOW_SIGNING_KEY");
        footage.validate(new CommandLine(this));  // at start, not on the first request minutes later
        Path basePath = base != null ? base : bundledBase();
        Files.createDirectories(work);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
            consumer.subscribe(List.of(topic));
            Map<TopicPartition, Long> end = null;
            Instant started = Instant.now();
            while (true) {
                var records = consumer.poll(Duration.ofMillis(500));
                Set<TopicPartition> assigned = consumer.assignment();
                if (assigned.isEmpty() && Instant.now().isAfter(started.plus(connectTimeout))) {
                    System.err.printf("adapt-worker: no partition of %s assigned within %s: is the broker at %s up and the topic there?%n", topic, connectTimeout, bootstrap);
                    return Exits.INPUT; // the requests cannot be read
                }
                if (once && end == null && !assigned.isEmpty()) end = consumer.endOffsets(assigned);
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    Outcome o = handle(r, sources, basePath);
                    outcomes.merge(o, 1, Integer::sum);
                    consumer.commitSync(Map.of(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1)));
                }
                if (end != null && caughtUp(consumer, end)) break;
            }
        }
        out.println("adapt-worker: " + summary());
        return Exits.OK;
    }

    /** One line of counts, e.g. {@code 3 requests: 1 published, 1 unknown camera, 1 cooling down}. */
    String summary() {
        int n = outcomes.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder s = new StringBuilder(n + " request" + (n == 1 ? "" : "s"));
        String sep = ": ";
        for (Map.Entry<Outcome, Integer> e : outcomes.entrySet()) {
            s.append(sep).append(e.getValue()).append(' ').append(e.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' '));
            sep = ", ";
        }
        return s.toString();
    }

    private Outcome handle(ConsumerRecord<byte[], byte[]> r, Map<String, String> sources, Path basePath) {
        AdaptRequest a;
        try {
            a = AvroFormat.ADAPT_REQUEST.decode(r.value());
        } catch (IOException | RuntimeException e) {
            out.printf("adapt-worker: request at %s-%d offset %d is not an AdaptRequest (%s); skipped%n", r.topic(), r.partition(), r.offset(), e.getMessage());
            return Outcome.MALFORMED;
        }
        String camera = a.cameraId;
        String source = sources.get(camera);
        if (source == null) {
            out.printf("camera %s: no --camera footage for it; request skipped (%s)%n", camera, a.reason);
            return Outcome.UNKNOWN_CAMERA;
        }
        Instant last = lastAdapt.get(camera);
        Instant now = Instant.now();
        if (last != null && now.isBefore(last.plus(cooldown))) {
            out.printf("camera %s: adapted %d s ago, under --cooldown %s; request skipped%n", camera, Duration.between(last, now).toSeconds(), cooldown);
            return Outcome.COOLING_DOWN;
        }
        lastAdapt.put(camera, now);
        String alias = aliases.getOrDefault(camera, camera);
        Path artifact = work.resolve(camera + "-" + now.toEpochMilli() + ".wnm");
        out.printf("camera %s: %s; adapting on %s%n", camera, a.reason, source);
        out.flush();
        // adapt's tables and progress go where this worker's lines go
        int code = WinnowCli.commandLine().setOut(new java.io.PrintWriter(out, true)).setErr(new java.io.PrintWriter(System.err, true))
                .execute(adaptArgs(basePath, source, alias, artifact));
        Outcome o = switch (code) {
            case Exits.OK -> Outcome.PUBLISHED;
            case Exits.REFUSED -> Outcome.REFUSED; // worse than its start: adapt published nothing
            default -> Outcome.FAILED;
        };
        out.printf("camera %s: %s%n", camera, switch (o) {
            case PUBLISHED -> "adapted student published as " + name + "@" + alias;
            case REFUSED -> "adapt refused its result as worse than its start; the camera keeps its model";
            default -> "adapt failed (exit " + code + "); the camera keeps its model";
        });
        return o;
    }

    String[] adaptArgs(Path basePath, String source, String alias, Path artifact) {
        List<String> a = new ArrayList<>(List.of("detector", "adapt", "--base", basePath.toString(), "--camera", source,
                "--threads", Integer.toString(threads), "--out", artifact.toString(), "--publish", registry, "--zoo", registry, "--name", name, "--alias", alias));
        a.addAll(footage.arguments());
        a.addAll(signing.arguments());
        if (teacher != null) a.addAll(List.of("--teacher", teacher.toString()));
        return a.toArray(String[]::new);
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // the central job writes requests in Kafka transactions
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // one adapt takes minutes: fetch one request at a time and allow a long pause between polls
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Integer.toString((int) Duration.ofHours(2).toMillis()));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) if (c.position(e.getKey()) < e.getValue()) return false;
        return true;
    }

    /** The jar's bundled detector as a file, for adapt's {@code --base}. */
    private Path bundledBase() throws IOException {
        Path p = work.resolve("bundled-person-detector-int8.wnm");
        try (InputStream in = AdaptWorker.class.getClassLoader().getResourceAsStream(FrameModels.BUNDLED_DETECTOR)) {
            if (in == null) throw new IOException("no bundled detector " + FrameModels.BUNDLED_DETECTOR + " on the class path: give --base");
            Files.createDirectories(work);
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
        }
        return p;
    }
}
