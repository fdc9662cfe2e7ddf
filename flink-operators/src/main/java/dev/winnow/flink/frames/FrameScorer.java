package dev.winnow.flink.frames;

import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ScoredFrame;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Scores camera frames with an embedded model loaded once per subtask (see {@link FrameScoring}).
 * Malformed and oversized frames are counted, logged and dropped; they never fail the job. For models that follow
 * a registry alias, use {@link HotSwapFrameScorer}.
 */
public class FrameScorer extends RichFlatMapFunction<Frame, ScoredFrame> {
    private static final long serialVersionUID = 1L;

    private final ModelSource source;
    private final String positiveLabel;
    private long maxPixels = FramePreprocessor.DEFAULT_MAX_PIXELS;

    private transient FrameScoring scoring;
    private transient FrameMetrics metrics;

    public FrameScorer(ModelSource source, String positiveLabel) {
        this.source = source;
        this.positiveLabel = positiveLabel;
    }

    /** The pixel budget (default {@link FramePreprocessor#DEFAULT_MAX_PIXELS}); larger frames are counted in {@code framesOversized} and dropped. */
    public FrameScorer maxPixels(long maxPixels) {
        this.maxPixels = FrameScoring.checkedMaxPixels(maxPixels);
        return this;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        scoring = new FrameScoring(source.load(), source.version(), positiveLabel, maxPixels);
        metrics = new FrameMetrics(getRuntimeContext().getMetricGroup(), () -> scoring);
    }

    @Override
    public void flatMap(Frame f, Collector<ScoredFrame> out) {
        ScoredFrame s = metrics.score(scoring, f);
        if (s != null) out.collect(s);
    }
}
