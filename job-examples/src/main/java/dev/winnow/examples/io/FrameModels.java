package dev.winnow.examples.io;

import dev.winnow.examples.live.ModelStamp;
import dev.winnow.flink.frames.CascadeScorer;
import dev.winnow.flink.frames.FrameScorer;
import dev.winnow.flink.frames.PerCameraFrameScorer;
import dev.winnow.flink.model.CoordinatedSwap;
import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.feed.FeedStop;
import dev.winnow.flink.model.feed.RegistryFeedSource;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ScoredFrame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where a job's frame model comes from: the detector bundled in the job's jar, an artifact file, or
 * a registry alias that the job follows as it moves (hot swap through the registry's change feed),
 * optionally one alias per camera.
 */
public final class FrameModels {
    public static final String BUNDLED_DETECTOR = "models/person-detector-int8.wnm";

    private FrameModels() {}

    /**
     * Scores frames. With {@code registry} set, {@code model} is a registry reference
     * ({@code name@alias}) and the scorer follows it; otherwise {@code model} is an artifact path or
     * {@code bundled}.
     */
    public static DataStream<ScoredFrame> score(StreamExecutionEnvironment env, DataStream<Frame> frames, String model, RegistryConnection registry, FeedStop stop) throws IOException {
        return score(env, frames, model, registry, stop, new CascadeOptions(), List.of());
    }

    /** As above, with per-camera aliases ({@code camera=alias}, the jobs' {@code --camera-alias}). */
    public static DataStream<ScoredFrame> score(StreamExecutionEnvironment env, DataStream<Frame> frames, String model, RegistryConnection registry, FeedStop stop,
                                                List<String> cameraAliases) throws IOException {
        return score(env, frames, model, registry, stop, new CascadeOptions(), cameraAliases);
    }

    /**
     * As above, through the edge cascade (difference detector, student, teacher) when {@code cascade}
     * asks for it. {@code stop} (may be null) ends the registry feed when the frames' source, which it
     * {@link FeedStop#watch watches}, has been read to the end, so a bounded job ends.
     *
     * <p>With a registry, every camera follows {@code model}'s alias except those {@code cameraAliases}
     * ({@code camera=alias}) give an alias of their own ({@link PerCameraFrameScorer}). A move of an
     * alias takes effect once every subtask has loaded the new version, at the next checkpoint barrier,
     * on every subtask at the same checkpoint; a version one subtask cannot load serves nowhere
     * ({@link CoordinatedSwap}; the jobs always checkpoint).
     */
    public static DataStream<ScoredFrame> score(StreamExecutionEnvironment env, DataStream<Frame> frames, String model, RegistryConnection registry,
                                                FeedStop stop, CascadeOptions cascade, List<String> cameraAliases) throws IOException {
        if (!cameraAliases.isEmpty() && registry == null) throw new IllegalArgumentException("--camera-alias needs --registry and --model name@alias");
        if (cascade.enabled()) {
            if (registry != null) throw new IllegalArgumentException("the cascade (--teacher, --difference) serves a fixed student: drop --registry");
            CascadeScorer.Builder b = CascadeScorer.builder(source(model)).difference(cascade.difference(), cascade.maxReuse());
            Path teacher = cascade.teacher();
            if (cascade.central().enabled()) return CentralCascade.resolve(env, frames.flatMap(cascade.centralScorer(b, teacher)).name("cascade: person detector, central teacher")
                    .uid("score"), cascade.kafka.bootstrap, cascade.kafka.group, cascade.central(), Duration.ofSeconds(30), stop);
            if (teacher != null) b.teacher(ModelSource.ofPath(teacher.toAbsolutePath(), 1), cascade.low(), cascade.high());
            return frames.flatMap(b.build()).name("cascade: person detector" + (teacher != null ? " + teacher" : "")).uid("score");
        }
        if (registry != null) {
            int at = model.indexOf('@');
            if (at <= 0) throw new IllegalArgumentException("with --registry, --model must be name@alias, got " + model);
            RegistryConnection conn = registry;
            PerCameraFrameScorer scorer = PerCameraFrameScorer.builder(conn, model).cameras(cameraAliases).positiveLabel("person").swapOnCheckpoint(true).build();
            RegistryFeedSource.Builder feed = RegistryFeedSource.builder(conn).model(scorer.modelName());
            if (stop != null) feed.stopWhen(stop);
            var updates = feed.build().broadcast(env);
            String name = "person detector " + model + (cameraAliases.isEmpty() ? "" : " + " + cameraAliases.size() + " camera aliases");
            // every subtask switches at one barrier, and only to a version all of them loaded
            return CoordinatedSwap.process(frames, updates, scorer, TypeInformation.of(ScoredFrame.class), name).uid("score");
        }
        return frames.flatMap(new FrameScorer(source(model), "person")).name("person detector").uid("score");
    }

    /** {@code source}, watched by {@code stop} when there is one (see {@link FeedStop#watch}). */
    public static <T> Source<T, ?, ?> watched(Source<T, ?, ?> source, FeedStop stop) {
        return stop == null ? source : stop.watch(source);
    }

    /** What the reports call the model: the registry name, the file's name, or the bundled detector's. */
    public static String label(String model, String registry) {
        if (registry != null) return model.substring(0, Math.max(0, model.indexOf('@')));
        if (model.equals("bundled")) return "person-detector";
        String f = Path.of(model).getFileName().toString();
        return f.endsWith(".wnm") ? f.substring(0, f.length() - 4) : f;
    }

    /** Stamps for {@link dev.winnow.examples.live.ModelSwaps} and {@link dev.winnow.examples.live.LiveStatus}. */
    public static DataStream<ModelStamp> stamps(DataStream<ScoredFrame> scored) {
        return scored.map(s -> new ModelStamp(s.frame.cameraId, s.verdict.modelName == null ? "model" : s.verdict.modelName,
                s.verdict.modelVersion, s.frame.timestampMillis, s.verdict.count > 0)).name("model stamps").uid("model-stamps");
    }

    public static ModelSource source(String model) throws IOException {
        if (model.equals("bundled")) return ModelSource.ofResource(BUNDLED_DETECTOR, 1);
        Path p = Path.of(model);
        if (!Files.isRegularFile(p)) throw new IOException("no model file " + model + " (use 'bundled', a .wnm path, or --registry with name@alias)");
        return ModelSource.ofPath(p, 1);
    }
}
