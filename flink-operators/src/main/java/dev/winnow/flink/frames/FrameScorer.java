package dev.winnow.flink.frames;

import dev.winnow.flink.model.ModelSource;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.flink.types.Verdict;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.Interpreter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores camera frames with an embedded model: preprocessing into the interpreter's input, one
 * prediction, a {@link Verdict} stamped with the model's name and version. Two kinds of model:
 * a detector (outputs [max, 5] boxes and [1] count: score = best box, count = boxes kept) or a
 * classifier (one score per label: score = the probability of {@code positiveLabel}, count 1 or 0).
 * Malformed frames are counted, logged and dropped; they never fail the job.
 */
public class FrameScorer extends RichFlatMapFunction<Frame, ScoredFrame> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FrameScorer.class);

    private final ModelSource source;
    private final String positiveLabel;

    private transient Model model;
    private transient Interpreter interpreter;
    private transient FramePreprocessor preprocessor;
    private transient float[] input, out0, out1;
    private transient boolean detector;
    private transient int positive;
    private transient Counter scored, malformed;
    private transient Histogram latency;

    public FrameScorer(ModelSource source, String positiveLabel) {
        this.source = source;
        this.positiveLabel = positiveLabel;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        model = source.load();
        interpreter = model.newInterpreter();
        preprocessor = new FramePreprocessor(model.inputSpec());
        input = new float[preprocessor.inputSize()];
        detector = model.outputCount() == 2 && model.output(0).rank() == 2 && model.output(0).dim(1) == 5;
        out0 = new float[model.output(0).elementCount()];
        out1 = detector ? new float[1] : null;
        if (!detector) {
            positive = model.metadata().labels().indexOf(positiveLabel);
            if (positive < 0) throw new IllegalArgumentException("model " + model.name() + " has no label '" + positiveLabel + "' among " + model.metadata().labels());
        }
        var g = getRuntimeContext().getMetricGroup().addGroup("winnow");
        scored = g.counter("recordsScored");
        malformed = g.counter("framesMalformed");
        latency = g.histogram("inferenceLatencyNanos", new DescriptiveStatisticsHistogram(1000));
        g.gauge("modelVersion", source::version);
        long arena = model.report().arenaBytes();
        g.gauge("arenaBytes", () -> arena);
    }

    @Override
    public void flatMap(Frame f, Collector<ScoredFrame> out) {
        try {
            preprocessor.apply(f, input, 0);
        } catch (MalformedFrameException e) {
            malformed.inc();
            LOG.warn("dropping malformed frame: {}", e.getMessage());
            return;
        }
        long t0 = System.nanoTime();
        interpreter.setInput(0, input, 0);
        interpreter.invoke();
        interpreter.getOutput(0, out0, 0);
        if (detector) interpreter.getOutput(1, out1, 0);
        latency.update(System.nanoTime() - t0);
        scored.inc();
        Verdict v = new Verdict();
        v.cameraId = f.cameraId;
        v.seq = f.seq;
        v.timestampMillis = f.timestampMillis;
        v.modelName = model.name();
        v.modelVersion = source.version();
        if (detector) {
            int n = (int) out1[0];
            v.count = n;
            v.score = n > 0 ? out0[4] : 0f;
            // boxes from model-input pixels to frame pixels
            float sx = (float) f.width / model.inputSpec().shape()[1], sy = (float) f.height / model.inputSpec().shape()[0];
            v.boxes = new float[5 * n];
            for (int i = 0; i < n; i++) {
                v.boxes[5 * i] = out0[5 * i] * sx;
                v.boxes[5 * i + 1] = out0[5 * i + 1] * sy;
                v.boxes[5 * i + 2] = out0[5 * i + 2] * sx;
                v.boxes[5 * i + 3] = out0[5 * i + 3] * sy;
                v.boxes[5 * i + 4] = out0[5 * i + 4];
            }
        } else {
            v.score = out0[positive];
            v.count = v.score >= 0.5f ? 1 : 0;
        }
        out.collect(new ScoredFrame(f, v));
    }
}
