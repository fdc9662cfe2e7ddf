package dev.winnow.flink.frames;

import dev.winnow.flink.model.ServingMetrics;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ScoredFrame;
import java.util.function.Supplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scoring step both frame scorers share, with its metrics: frames scored, malformed and
 * oversized (over the pixel budget), an
 * inference latency histogram, and gauges of the serving model's version and arena bytes.
 */
final class FrameMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(FrameMetrics.class);

    private final ServingMetrics common;
    private final Counter malformed;
    private final Counter oversized;

    FrameMetrics(MetricGroup operatorGroup, Supplier<FrameScoring> serving) {
        common = new ServingMetrics(operatorGroup, serving);
        malformed = common.group().counter("framesMalformed");
        oversized = common.group().counter("framesOversized");
    }

    /** Scores {@code f}, or counts, logs and returns null when it is malformed or over the pixel budget. */
    ScoredFrame score(FrameScoring scoring, Frame f) {
        return prepare(scoring, f) ? run(scoring, f) : null;
    }

    /** Decodes and preprocesses {@code f}; false (counted and logged) when it is malformed or over the pixel budget. */
    boolean prepare(FrameScoring scoring, Frame f) {
        try {
            scoring.prepare(f);
            return true;
        } catch (OversizedFrameException e) {
            oversized.inc();
            LOG.warn("dropping oversized frame: {}", e.getMessage());
            return false;
        } catch (MalformedFrameException e) {
            malformed.inc();
            LOG.warn("dropping malformed frame: {}", e.getMessage());
            return false;
        }
    }

    /** Runs the model on the frame {@link #prepare} accepted. */
    ScoredFrame run(FrameScoring scoring, Frame f) {
        long t0 = System.nanoTime();
        ScoredFrame s = scoring.score(f);
        common.scored(t0);
        return s;
    }
}
