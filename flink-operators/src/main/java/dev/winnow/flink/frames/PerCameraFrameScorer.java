package dev.winnow.flink.frames;

import dev.winnow.flink.model.AliasModels;
import dev.winnow.flink.model.KeyAliases;
import dev.winnow.flink.model.PerKeyFunction;
import dev.winnow.flink.model.PerKeyModels;
import dev.winnow.flink.model.RecordScorer;
import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.ServingVersions;
import dev.winnow.flink.model.SwapDecision;
import dev.winnow.flink.model.SwapVoting;
import dev.winnow.flink.model.SwappableModel;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ScoredFrame;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
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
public final class PerCameraFrameScorer extends PerKeyFunction<Frame, ScoredFrame, FrameScoring> implements SwapVoting {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PerCameraFrameScorer.class);
    private static final ListStateDescriptor<String> WARNED = new ListStateDescriptor<>("winnow-cameras-warned", String.class);

    private final String positiveLabel;
    private final boolean swapOnCheckpoint;
    private final long maxPixels;

    private transient AliasModels<FrameScoring> models;
    private transient KeyAliases.Warned warned;
    private transient Ballot ballot;
    private transient ServingVersions servingVersions;

    private PerCameraFrameScorer(Builder b, KeyAliases aliases) {
        super(aliases, f -> f.cameraId);
        this.positiveLabel = b.positiveLabel;
        this.swapOnCheckpoint = b.swapOnCheckpoint;
        this.maxPixels = b.maxPixels;
    }

    /** @param model the default reference, {@code name@alias}: what cameras without an alias of their own follow */
    public static Builder builder(RegistryConnection registry, String model) {
        return new Builder(registry, model);
    }

    @Override
    protected PerKeyModels<FrameScoring> openModels(MetricGroup winnow) throws Exception {
        SwappableModel.Loader<FrameScoring> loader = FrameScoring.swappableLoader(positiveLabel, maxPixels);
        models = new AliasModels<>(aliases, swapOnCheckpoint, loader, winnow, warned.keys(), LOG, "scoring it with");
        if (ballot != null) for (SwappableModel<FrameScoring> m : models.all()) m.coordinate(ballot, servingVersions.restored(m));
        return models;
    }

    @Override
    protected RecordScorer<FrameScoring, Frame, ScoredFrame> scorer(MetricGroup operatorGroup, Supplier<FrameScoring> fallback) {
        return new FrameMetrics(operatorGroup, fallback)::score;
    }

    /** Under {@link dev.winnow.flink.model.CoordinatedSwap}: each alias switches when the coordinator says so. */
    @Override
    public void coordinate(Ballot ballot) {
        this.ballot = ballot;
    }

    @Override
    public void decide(SwapDecision decision) {
        if (models != null) for (SwappableModel<FrameScoring> m : models.all()) m.decide(decision);
    }

    @Override
    public void checkpointAborted(long checkpointId) {
        if (models != null) for (SwappableModel<FrameScoring> m : models.all()) m.checkpointAborted(checkpointId);
    }

    @Override
    public void checkpointCompleted(long checkpointId) {
        if (models != null) for (SwappableModel<FrameScoring> m : models.all()) m.checkpointCompleted(checkpointId);
    }


    /** The barrier: with swapOnCheckpoint, every alias whose update arrived since the last one switches here. */
    @Override
    public void snapshotState(FunctionSnapshotContext ctx) throws Exception {
        if (models != null) {
            models.barrier(ctx.getCheckpointId());
            servingVersions.snapshot(models.all());
        }
        warned.snapshot();
    }

    /** The models' state is the broadcast state, which the operator restores; here only the cameras already warned about. */
    @Override
    public void initializeState(FunctionInitializationContext ctx) throws Exception {
        warned = KeyAliases.Warned.restore(ctx, WARNED);
        servingVersions = new ServingVersions(ctx);
    }

    /** Validating builder: every mistake is refused at {@link #build} with one message. */
    public static final class Builder {
        private final KeyAliases.Builder aliases;
        private String positiveLabel = "person";
        private boolean swapOnCheckpoint;
        private long maxPixels = FramePreprocessor.DEFAULT_MAX_PIXELS;

        private Builder(RegistryConnection registry, String model) {
            this.aliases = new KeyAliases.Builder(registry, model, "camera");
        }

        /** Camera {@code camera} follows alias {@code alias} of the model. */
        public Builder camera(String camera, String alias) {
            aliases.key(camera, alias);
            return this;
        }

        /** {@code camera=alias} specs, as the jobs' {@code --camera-alias} flag takes them. */
        public Builder cameras(List<String> specs) {
            aliases.specs(specs);
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
            KeyAliases named = aliases.build(problems -> {
                if (maxPixels < 1) problems.add("maxPixels must be >= 1, got " + maxPixels);
            });
            return new PerCameraFrameScorer(this, named);
        }

    }
}
