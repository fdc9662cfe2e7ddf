package dev.winnow.flink.frames;

import dev.winnow.flink.model.AliasedModel;
import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.ServingGauges;
import dev.winnow.flink.model.ServingVersions;
import dev.winnow.flink.model.SwapDecision;
import dev.winnow.flink.model.SwapVoting;
import dev.winnow.flink.model.SwappableModel;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ModelUpdate;
import dev.winnow.flink.types.ScoredFrame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores frames with a model per camera: each camera named in the builder follows its own registry
 * alias of the model, every other camera the default alias. A camera's model swaps when its alias
 * moves; the other cameras are not affected. Connect the frames with the registry feed's broadcast
 * stream ({@code RegistryFeedSource#broadcast}), as for {@link HotSwapFrameScorer}.
 *
 * <p>Each alias is one {@link SwappableModel}: its updates and history live in the shared broadcast
 * state under {@code name@alias}, so a restore puts every camera back on the version its alias
 * served at the checkpoint. With {@link Builder#swapOnCheckpoint} a move of an alias takes effect
 * at the next checkpoint barrier on every subtask (see {@link SwappableModel}); without it, on each
 * subtask as soon as the version has loaded there.
 *
 * <p>A camera whose alias has no loadable version (the alias does not exist, or its version does
 * not load) is scored with the default alias's model and its verdicts say so (model name and
 * version); the job logs one warning per such camera, at its first frame, not one per frame. The
 * cameras already warned about are operator state (a union list, so every subtask knows them after
 * a restore or a rescale), and a restore does not repeat the warning. Once the alias is set in the
 * registry, its update loads and the camera moves to it. Malformed and
 * oversized frames are counted and dropped as in {@link FrameScorer}.
 *
 * <p>Not thread safe: one per subtask, called on the task thread (loads run on each alias's loader
 * thread, see {@link SwappableModel}).
 */
public final class PerCameraFrameScorer extends BroadcastProcessFunction<Frame, ModelUpdate, ScoredFrame> implements CheckpointedFunction, SwapVoting {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PerCameraFrameScorer.class);
    private static final ListStateDescriptor<String> WARNED = new ListStateDescriptor<>("winnow-cameras-warned", String.class);

    private final RegistryConnection registry;
    private final String modelName;
    private final String defaultAlias;
    private final HashMap<String, String> cameraAliases;
    private final String positiveLabel;
    private final boolean swapOnCheckpoint;
    private final long maxPixels;

    private transient Map<String, SwappableModel<FrameScoring>> byAlias;
    private transient Map<String, SwappableModel<FrameScoring>> byCamera;
    private transient SwappableModel<FrameScoring> fallback;
    private transient Set<String> warned;
    private transient ListState<String> warnedState;
    private transient FrameMetrics metrics;
    private transient Ballot ballot;
    private transient ServingVersions servingVersions;

    private PerCameraFrameScorer(Builder b) {
        this.registry = b.registry;
        this.modelName = b.modelName;
        this.defaultAlias = b.defaultAlias;
        this.cameraAliases = new HashMap<>(b.cameraAliases);
        this.positiveLabel = b.positiveLabel;
        this.swapOnCheckpoint = b.swapOnCheckpoint;
        this.maxPixels = b.maxPixels;
    }

    /** @param model the default reference, {@code name@alias}: what cameras without an alias of their own follow */
    public static Builder builder(RegistryConnection registry, String model) {
        return new Builder(registry, model);
    }

    /** The model name every alias belongs to (what the registry feed should be filtered to). */
    public String modelName() {
        return modelName;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        MetricGroup operator = getRuntimeContext().getMetricGroup();
        MetricGroup winnow = operator.addGroup("winnow");
        SwappableModel.Loader<FrameScoring> loader = FrameScoring.swappableLoader(positiveLabel, maxPixels);
        byAlias = new LinkedHashMap<>();
        fallback = new SwappableModel<>(registry, modelName, defaultAlias, swapOnCheckpoint, loader, winnow);
        byAlias.put(defaultAlias, fallback);
        byCamera = new HashMap<>();
        for (Map.Entry<String, String> e : cameraAliases.entrySet()) {
            SwappableModel<FrameScoring> m = byAlias.get(e.getValue());
            if (m == null) {
                // each alias its own metric group: the counters would otherwise collide by name
                MetricGroup g = winnow.addGroup("alias", e.getValue());
                m = new SwappableModel<>(registry, modelName, e.getValue(), swapOnCheckpoint, loader, g, true);
                ServingGauges.register(g, m::current);
                byAlias.put(e.getValue(), m);
            }
            byCamera.put(e.getKey(), m);
        }
        metrics = new FrameMetrics(operator, fallback::current);
        if (ballot != null) for (SwappableModel<FrameScoring> m : byAlias.values()) m.coordinate(ballot, servingVersions.restored(m));
    }

    /** Under {@link dev.winnow.flink.model.CoordinatedSwap}: each alias switches when the coordinator says so. */
    @Override
    public void coordinate(Ballot ballot) {
        this.ballot = ballot;
    }

    @Override
    public void decide(SwapDecision decision) {
        if (byAlias != null) for (SwappableModel<FrameScoring> m : byAlias.values()) m.decide(decision);
    }

    @Override
    public void checkpointAborted(long checkpointId) {
        if (byAlias != null) for (SwappableModel<FrameScoring> m : byAlias.values()) m.checkpointAborted(checkpointId);
    }

    @Override
    public void checkpointCompleted(long checkpointId) {
        if (byAlias != null) for (SwappableModel<FrameScoring> m : byAlias.values()) m.checkpointCompleted(checkpointId);
    }


    @Override
    public void processElement(Frame f, ReadOnlyContext ctx, Collector<ScoredFrame> out) throws Exception {
        ReadOnlyBroadcastState<String, ModelUpdate> state = ctx.getBroadcastState(SwappableModel.VERSIONS);
        FrameScoring scoring = null;
        SwappableModel<FrameScoring> own = byCamera.get(f.cameraId);
        if (own != null) {
            scoring = own.servingOrNull(state);
            if (scoring == null && warned.add(f.cameraId)) {
                Exception why = own.openFailure();
                LOG.warn("camera {}: {} has no loadable version ({}); scoring it with {}@{} until the alias has one",
                        f.cameraId, own.key(), why == null ? "none named yet" : why.getMessage(), modelName, defaultAlias);
            }
        }
        if (scoring == null) scoring = fallback.serving(state);
        ScoredFrame s = metrics.score(scoring, f);
        if (s != null) out.collect(s);
    }

    @Override
    public void processBroadcastElement(ModelUpdate u, Context ctx, Collector<ScoredFrame> out) throws Exception {
        // each alias takes only its own updates (SwappableModel filters by name and alias)
        for (SwappableModel<FrameScoring> m : byAlias.values()) m.onUpdate(ctx.getBroadcastState(SwappableModel.VERSIONS), u);
    }

    /** The barrier: with swapOnCheckpoint, every alias whose update arrived since the last one switches here. */
    @Override
    public void snapshotState(FunctionSnapshotContext ctx) throws Exception {
        if (byAlias != null) {
            for (SwappableModel<FrameScoring> m : byAlias.values()) m.barrier(ctx.getCheckpointId());
            servingVersions.snapshot(byAlias.values());
        }
        warnedState.update(new ArrayList<>(warned));
    }

    /** The models' state is the broadcast state, which the operator restores; here only the cameras already warned about. */
    @Override
    public void initializeState(FunctionInitializationContext ctx) throws Exception {
        warnedState = ctx.getOperatorStateStore().getUnionListState(WARNED);
        servingVersions = new ServingVersions(ctx);
        warned = new HashSet<>();
        for (String camera : warnedState.get()) warned.add(camera);
    }

    @Override
    public void close() throws Exception {
        if (byAlias != null) for (SwappableModel<FrameScoring> m : byAlias.values()) m.close();
    }

    /** Validating builder: every mistake is refused at {@link #build} with one message. */
    public static final class Builder {
        private final RegistryConnection registry;
        private final String model;
        private String modelName;
        private String defaultAlias;
        private final Map<String, String> cameraAliases = new LinkedHashMap<>();
        private final List<String> errors = new ArrayList<>();
        private String positiveLabel = "person";
        private boolean swapOnCheckpoint;
        private long maxPixels = FramePreprocessor.DEFAULT_MAX_PIXELS;

        private Builder(RegistryConnection registry, String model) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.model = Objects.requireNonNull(model, "model");
        }

        /** Camera {@code camera} follows alias {@code alias} of the model. */
        public Builder camera(String camera, String alias) {
            if (camera == null || camera.isBlank()) {
                errors.add("a camera alias needs a camera id, got '" + camera + "'");
            } else if (cameraAliases.containsKey(camera)) {
                errors.add("camera " + camera + " has two aliases: " + cameraAliases.get(camera) + " and " + alias);
            } else {
                cameraAliases.put(camera, alias);
            }
            return this;
        }

        /** {@code camera=alias} specs, as the jobs' {@code --camera-alias} flag takes them. */
        public Builder cameras(List<String> specs) {
            for (String spec : specs) {
                int eq = spec.indexOf('=');
                if (eq <= 0 || eq == spec.length() - 1) errors.add("--camera-alias expects camera=alias, got '" + spec + "'");
                else camera(spec.substring(0, eq), spec.substring(eq + 1));
            }
            return this;
        }

        /** The label whose probability is the score, for classifier models (default {@code person}). */
        public Builder positiveLabel(String label) {
            this.positiveLabel = Objects.requireNonNull(label, "label");
            return this;
        }

        /** Swap at the next checkpoint barrier, the same checkpoint on every subtask (default: as soon as loaded). */
        public Builder swapOnCheckpoint(boolean onCheckpoint) {
            this.swapOnCheckpoint = onCheckpoint;
            return this;
        }

        /** The pixel budget (default {@link FramePreprocessor#DEFAULT_MAX_PIXELS}). */
        public Builder maxPixels(long maxPixels) {
            this.maxPixels = maxPixels;
            return this;
        }

        public PerCameraFrameScorer build() {
            List<String> problems = new ArrayList<>(errors);
            AliasedModel ref = AliasedModel.parse(model, problems);
            if (ref != null) {
                modelName = ref.name();
                defaultAlias = ref.alias();
            }
            AliasedModel.checkAliases(cameraAliases.values(), problems);
            if (maxPixels < 1) problems.add("maxPixels must be >= 1, got " + maxPixels);
            if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
            return new PerCameraFrameScorer(this);
        }

    }
}
