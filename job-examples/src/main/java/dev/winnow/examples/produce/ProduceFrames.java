package dev.winnow.examples.produce;

import dev.winnow.connectors.avro.AvroFormat;
import dev.winnow.connectors.camera.CameraSpec;
import dev.winnow.connectors.source.MalformedRecords;
import dev.winnow.connectors.source.RecordStream;
import dev.winnow.connectors.source.StreamContext;
import dev.winnow.examples.io.Cameras;
import dev.winnow.flink.types.Frame;
import dev.winnow.registry.cli.Exits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Puts a camera's frames on a Kafka topic as the {@code CameraFrame} Avro records the jobs' Kafka source
 * ({@code --frames-topic}) reads: raw Avro binary, keyed by camera id (one camera stays in one partition,
 * in order), the record timestamp the frame's event time. A video is decoded by ffmpeg to 320x240 grey,
 * as the jobs' own {@code --camera}; a folder's images go as they are (JPEG stays JPEG). Several cameras
 * are interleaved one frame each, {@code --rate} frames per second per camera (0: as fast as the broker
 * takes them). The producer is idempotent with {@code acks=all}, so a retried send is not written twice.
 * Ends with one summary line; a frame the camera cannot decode is skipped and counted in it.
 */
@Command(name = "frames",
        description = {"Write a camera's frames to a Kafka topic as CameraFrame Avro records, what the jobs read with",
                "--kafka host:port --frames-topic <topic>. Ends with one summary line."},
        exitCodeList = {"0:all frames written", "2:usage error",
                "7:camera missing or unreadable, or the broker not reachable or refusing frames (the summary says how many it took)"})
public final class ProduceFrames extends ProduceSubcommand {
    @Option(names = "--camera", required = true, paramLabel = "[id=]video|dir",
            description = "a video file ffmpeg opens, or a folder of images; the camera id defaults to the file or folder name (repeatable)")
    List<String> cameras = new ArrayList<>();
    @CommandLine.Mixin BrokerOptions broker = new BrokerOptions();
    @Option(names = "--topic", defaultValue = "camera-frames", description = "topic to write (default: ${DEFAULT-VALUE}); created when missing")
    String topic;
    @Option(names = "--rate", defaultValue = "0", paramLabel = "fps",
            description = "frames per second per camera, also a video's sampling rate and the event-time spacing of a folder's frames; "
                    + "0 = as fast as the broker takes them, a video sampled at 10 frames/s (default: ${DEFAULT-VALUE})")
    double rate;
    @Option(names = "--max-frames", description = "at most this many frames per camera (default: all)")
    long maxFrames = Long.MAX_VALUE;
    @Option(names = "--spread",
            description = "put the cameras on the topic's partitions in turn, in the order given (camera i to partition i mod n), "
                    + "instead of where their ids hash: a few ids often hash unevenly, and the job's readers then get unequal shares. "
                    + "Each camera still stays in one partition, in order")
    boolean spread;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (rate < 0 || Double.isNaN(rate)) throw new CommandLine.ParameterException(cl, "--rate " + rate + ": must be 0 (as fast as possible) or more");
        if (maxFrames <= 0) throw new CommandLine.ParameterException(cl, "--max-frames " + maxFrames + ": must be positive");
        broker.validate(cl);
        long start = System.currentTimeMillis();
        List<CameraSpec<?>> specs = new ArrayList<>();
        for (String c : cameras) {
            try {
                specs.add(Cameras.parse(withId(c), 0, rate > 0 ? rate : 10, start, 320, 240).maxFrames(maxFrames));
            } catch (IllegalArgumentException e) {
                err().println("produce frames: " + e.getMessage());
                return Exits.INPUT;
            }
        }
        if (!broker.topicReady(topic, err(), "produce frames")) return Exits.INPUT;
        return produce(specs);
    }

    /** {@code id=where} as given, or {@code where} named after its file or folder (without the extension). */
    static String withId(String camera) {
        int eq = camera.indexOf('=');
        if (eq > 0 && !camera.substring(0, eq).contains("/")) return camera;
        Path p = Path.of(camera).toAbsolutePath().normalize();
        String name = p.getFileName() == null ? "camera" : p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name) + "=" + camera;
    }


    private Integer produce(List<CameraSpec<?>> specs) throws Exception {
        MalformedRecords malformed = new MalformedRecords(null, "malformedFrames", "frame", LoggerFactory.getLogger(ProduceFrames.class));
        MetricGroup metrics = UnregisteredMetricsGroup.createOperatorMetricGroup();
        StreamContext context = new StreamContext() {
            @Override public MalformedRecords malformed() { return malformed; }
            @Override public MetricGroup metricGroup() { return metrics; }
            @Override public boolean running() { return true; }
        };
        Map<String, RecordStream<Frame>> open = new LinkedHashMap<>();
        Map<String, Long> perCamera = new LinkedHashMap<>();
        Deliveries sent = new Deliveries();
        long t0 = System.nanoTime();
        try {
            sent.produce(broker, producer -> {
                Map<String, Integer> partitionOf = new LinkedHashMap<>();
                int partitions = spread ? producer.partitionsFor(topic).size() : 0;
                for (CameraSpec<?> s : specs) {
                    @SuppressWarnings("unchecked") RecordStream<Frame> stream = (RecordStream<Frame>) s.open(0, context);
                    open.put(s.cameraId(), stream);
                    perCamera.put(s.cameraId(), 0L);
                    if (spread) partitionOf.put(s.cameraId(), partitionOf.size() % partitions);
                }
                long tick = 0;
                while (!open.isEmpty() && !sent.failed()) {
                    if (rate > 0) BrokerOptions.pace(t0, tick++, rate);
                    for (var it = open.entrySet().iterator(); it.hasNext() && !sent.failed(); ) {
                        var e = it.next();
                        RecordStream.Positioned<Frame> next = e.getValue().next();
                        if (next == null) {
                            e.getValue().close();
                            it.remove();
                            continue;
                        }
                        Frame f = next.record();
                        sent.send(producer, topic, partitionOf.get(f.cameraId), f.timestampMillis, f.cameraId, AvroFormat.FRAME.encode(f));
                        perCamera.merge(f.cameraId, 1L, Long::sum);
                    }
                }
            });
        } finally {
            for (RecordStream<Frame> s : open.values()) s.close();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        out().println(summary(sent.acked(), sent.bytes(), perCamera, malformed.count(), seconds));
        return sent.exit(err(), "produce frames", broker.bootstrap, "a frame");
    }


    String summary(long frames, long bytes, Map<String, Long> perCamera, long malformed, double seconds) {
        StringBuilder cams = new StringBuilder();
        perCamera.forEach((id, n) -> cams.append(cams.length() == 0 ? "" : ", ").append(id).append(' ').append(n));
        return String.format(Locale.ROOT, "produced %d frames (%.1f MB) to %s at %s in %.1f s (%.1f frames/s): %s; %d malformed skipped",
                frames, bytes / 1e6, topic, broker.bootstrap, seconds, seconds > 0 ? frames / seconds : 0.0, cams, malformed);
    }

}
