package dev.winnow.examples.io;

import dev.winnow.connectors.avro.AvroFormat;
import dev.winnow.connectors.camera.CameraSource;
import dev.winnow.connectors.camera.CameraSpec;
import dev.winnow.connectors.kafka.DeadLetters;
import dev.winnow.connectors.kafka.WinnowKafka;
import dev.winnow.examples.live.LiveStatus;
import dev.winnow.examples.live.ModelStamp;
import dev.winnow.examples.live.ModelSwaps;
import dev.winnow.flink.model.feed.FeedStop;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ScoredFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Option;

/**
 * Where a frame job's frames come from: cameras (folders replayed at a set pace, video files, stream
 * URLs) or a Kafka topic of frames; which registry alias each camera follows; and how often the job
 * prints its one-line camera status. Shared by the security-retention and stadium-staffing jobs; each
 * job gives its own default frame rate for the replayed folders' event time.
 */
public final class CameraOptions {
    @Option(names = "--camera", description = "id=folder|video|url (repeatable; default: the bundled sample cameras)")
    public List<String> cameras = new ArrayList<>();

    @Option(names = "--camera-alias", paramLabel = "camera=alias", description = "with --registry: this camera follows its own alias of --model's model "
            + "(repeatable; e.g. cam7=cam7); other cameras follow --model's alias. A camera whose alias does not exist stays on --model's, with one warning")
    public List<String> cameraAliases = new ArrayList<>();

    @Option(names = "--fps", defaultValue = "0", description = "replay rate of folder cameras; 0 = as fast as possible "
            + "(event time stays 1 frame per 1/event-fps) (default: ${DEFAULT-VALUE})")
    public double fps;

    @Option(names = "--event-fps", description = "frame rate of the replayed folders' event-time clock (default: ${DEFAULT-VALUE})")
    public double eventFps;

    @Option(names = "--status", description = "print a one-line status of the cameras this often (ISO-8601 duration; "
            + "default PT30S when a camera is a live stream or Kafka is read unbounded, else none; PT0S = none)")
    public Duration status;

    @Option(names = "--frames-topic", description = "read CameraFrame records from this Kafka topic instead of --camera")
    public String framesTopic;

    @Option(names = "--dead-letter-topic", description = "with --frames-topic: records that do not decode go to this topic, exactly once, with "
            + "their bytes and a reason header (default: counted in malformedRecords, logged and skipped)")
    public String deadLetterTopic;

    /** {@code defaultEventFps}: the event-time frame rate of the job's bundled sample folders. */
    public CameraOptions(double defaultEventFps) {
        this.eventFps = defaultEventFps;
    }

    /**
     * Frames per second the cameras deliver, for settings counted in frames (the tracker's): the event-time rate of
     * replayed folders and of a frames topic (--event-fps), or the capture rate of video files and streams (--fps, else
     * the 10 that ffmpeg cameras capture at) when any camera is one.
     */
    public double frameRate() {
        boolean captured = framesTopic == null && cameras.stream().anyMatch(c -> c.indexOf('=') > 0 && !Cameras.isFolder(c));
        return captured ? (fps > 0 ? fps : 10) : eventFps;
    }

    /** True when neither cameras nor a frames topic were given: the job runs on its bundled sample. */
    public boolean none() {
        return cameras.isEmpty() && framesTopic == null;
    }

    /**
     * What a camera job tells its operator while it runs: a line per model change of a camera
     * ({@link ModelSwaps}) and, every {@link #statusPeriod}, a status line of every camera
     * ({@link LiveStatus}). Called on the thread that builds the job graph.
     */
    public void logServing(DataStream<ScoredFrame> scored, KafkaOptions kafka) {
        DataStream<ModelStamp> stamps = FrameModels.stamps(scored);
        ModelSwaps.log(stamps, "camera");
        Duration every = statusPeriod(kafka);
        if (every != null) LiveStatus.log(stamps, every, "frames");
    }

    /** --status, or its default: 30 s when a camera is live (a stream URL) or Kafka is read unbounded; null for none. */
    public Duration statusPeriod(KafkaOptions kafka) {
        if (status != null) return status.isZero() ? null : status;
        boolean live = framesTopic != null ? !kafka.bounded : cameras.stream().anyMatch(Cameras::isLive);
        return live ? Duration.ofSeconds(30) : null;
    }

    /**
     * The frames, as the source with uid {@code cameras}: read from --frames-topic, or from the cameras at 320x240,
     * their event time starting at {@code startMillis}; each camera's spec goes through {@code prepare} first (to
     * record segments, limit frames, or refuse it). With {@code stop}, the source ends when the registry feed does.
     */
    public DataStream<Frame> frames(StreamExecutionEnvironment env, KafkaOptions kafka, WatermarkStrategy<Frame> watermarks, FeedStop stop,
                                    long startMillis, Consumer<CameraSpec<?>> prepare) {
        return frames(env, kafka, watermarks, stop, startMillis, false, prepare);
    }

    /** As above; with {@code recording}, every stream camera is opened by ffmpeg so that its own video can be kept. */
    public DataStream<Frame> frames(StreamExecutionEnvironment env, KafkaOptions kafka, WatermarkStrategy<Frame> watermarks, FeedStop stop,
                                    long startMillis, boolean recording, Consumer<CameraSpec<?>> prepare) {
        kafka.require("--frames-topic", framesTopic);
        if (deadLetterTopic != null && framesTopic == null) throw new IllegalArgumentException("--dead-letter-topic needs --frames-topic");
        if (framesTopic != null && deadLetterTopic != null) {
            var source = kafka.bound(WinnowKafka.sourceWithDeadLetters(kafka.bootstrap, framesTopic, kafka.group, AvroFormat.FRAME.deserializer())).build();
            SingleOutputStreamOperator<Frame> frames = DeadLetters.split(env.fromSource(FrameModels.watched(source, stop), DeadLetters.watermarks(watermarks),
                    "kafka " + framesTopic).uid("cameras"), TypeInformation.of(Frame.class)).name("frames / dead letters").uid("dead-letter-split");
            frames.getSideOutput(DeadLetters.TAG).sinkTo(WinnowKafka.deadLetterSink(kafka.bootstrap, deadLetterTopic)
                    .exactlyOnce(kafka.transactions(kafka.group, "dead-letters")).build()).name("kafka " + deadLetterTopic).uid("dead-letters");
            return frames;
        }
        if (framesTopic != null) {
            return env.fromSource(FrameModels.watched(kafka.source(framesTopic, AvroFormat.FRAME), stop),
                    watermarks, "kafka " + framesTopic).uid("cameras");
        }
        List<CameraSpec<?>> specs = new ArrayList<>();
        for (String c : cameras) {
            CameraSpec<?> spec = Cameras.parse(c, fps, eventFps, startMillis, 320, 240, recording);
            prepare.accept(spec);
            specs.add(spec);
        }
        return env.fromSource(FrameModels.watched(CameraSource.of(specs), stop), watermarks, "cameras").uid("cameras");
    }
}
