package dev.winnow.flink.frames;

import dev.winnow.flink.model.HotSwapFunction;
import dev.winnow.flink.model.RecordScorer;
import dev.winnow.flink.model.RegistryConnection;
import dev.winnow.flink.model.SwappableModel;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ModelUpdate;
import dev.winnow.flink.types.ScoredFrame;
import java.util.function.Supplier;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.metrics.MetricGroup;

/**
 * Scores frames with the model a registry alias points at, and follows the alias as it moves.
 *
 * <p>Model updates arrive on a broadcast stream of {@link ModelUpdate}s (see
 * {@code RegistryFeedSource}); the alias → version mapping lives in broadcast state, new versions
 * load off the record path and swap in between two records, or at the next checkpoint barrier (the
 * same checkpoint on every subtask) with
 * {@code swapOnCheckpoint} (see {@link SwappableModel}). Every output is stamped with the version
 * that scored it. A new version whose input spec differs from the serving one is refused.
 */
public class HotSwapFrameScorer extends HotSwapFunction<Frame, ScoredFrame, FrameScoring> {
    private static final long serialVersionUID = 1L;

    public static final MapStateDescriptor<String, ModelUpdate> VERSIONS = SwappableModel.VERSIONS;

    private final String positiveLabel;
    private long maxPixels = FramePreprocessor.DEFAULT_MAX_PIXELS;

    public HotSwapFrameScorer(RegistryConnection registry, String modelName, String alias, String positiveLabel, boolean swapOnCheckpoint) {
        super(registry, modelName, alias, swapOnCheckpoint);
        this.positiveLabel = positiveLabel;
    }

    /** The pixel budget (default {@link FramePreprocessor#DEFAULT_MAX_PIXELS}); larger frames are counted in {@code framesOversized} and dropped. */
    public HotSwapFrameScorer maxPixels(long maxPixels) {
        this.maxPixels = FrameScoring.checkedMaxPixels(maxPixels);
        return this;
    }

    @Override
    protected SwappableModel.Loader<FrameScoring> loader() {
        return FrameScoring.swappableLoader(positiveLabel, maxPixels);
    }

    @Override
    protected RecordScorer<FrameScoring, Frame, ScoredFrame> scorer(MetricGroup operatorGroup, Supplier<FrameScoring> serving) {
        return new FrameMetrics(operatorGroup, serving)::score;
    }
}
