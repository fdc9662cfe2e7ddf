package dev.winnow.flink.frames;

import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ScoredFrame;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores camera frames with an embedded model loaded once per subtask (see {@link FrameScoring}).
 * Malformed frames are counted, logged and dropped; they never fail the job. For models that follow
 * a registry alias, use {@link HotSwapFrameScorer}.
 */
public class FrameScorer extends RichFlatMapFunction<Frame, ScoredFrame> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FrameScorer.class);

    private final ModelSource source;
    private final String positiveLabel;

    private transient FrameScoring scoring;
    private transient Counter scored, malformed;
    private transient Histogram latency;

    public FrameScorer(ModelSource source, String positiveLabel) {
        this.source = source;
        this.positiveLabel = positiveLabel;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        scoring = new FrameScoring(source.load(), source.version(), positiveLabel);
        var g = getRuntimeContext().getMetricGroup().addGroup("winnow");
        scored = g.counter("recordsScored");
        malformed = g.counter("framesMalformed");
        latency = g.histogram("inferenceLatencyNanos", new DescriptiveStatisticsHistogram(1000));
        g.gauge("modelVersion", source::version);
        long arena = scoring.model().report().arenaBytes();
        g.gauge("arenaBytes", () -> arena);
    }

    @Override
    public void flatMap(Frame f, Collector<ScoredFrame> out) {
        try {
            scoring.prepare(f);
        } catch (MalformedFrameException e) {
            malformed.inc();
            LOG.warn("dropping malformed frame: {}", e.getMessage());
            return;
        }
        long t0 = System.nanoTime();
        ScoredFrame s = scoring.score(f);
        latency.update(System.nanoTime() - t0);
        scored.inc();
        out.collect(s);
    }
}
