package dev.winnow.flink.frames;

import dev.winnow.flink.model.ServingModel;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.flink.types.Verdict;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.Interpreter;

/**
 * One loaded frame model with its interpreter and buffers: preprocessing, one prediction and the
 * verdict. Two kinds of model: a detector (outputs [max, 5] boxes and [1] count: score = best box,
 * count = boxes kept) or a classifier (one score per label: score = the probability of the positive
 * label, count 1 or 0). Not thread-safe: one per subtask.
 */
public final class FrameScoring implements ServingModel {
    private final Model model;
    private final int version;
    private final Interpreter interpreter;
    private final FramePreprocessor preprocessor;
    private final float[] input, out0, out1;
    private final boolean detector;
    private final int positive;

    public FrameScoring(Model model, int version, String positiveLabel) {
        this(model, version, positiveLabel, FramePreprocessor.DEFAULT_MAX_PIXELS);
    }

    /** @param maxPixels the pixel budget of {@link FramePreprocessor}: larger frames are refused before decoding */
    public FrameScoring(Model model, int version, String positiveLabel, long maxPixels) {
        this.model = model;
        this.version = version;
        this.interpreter = model.newInterpreter();
        this.preprocessor = new FramePreprocessor(model.inputSpec(), maxPixels);
        this.input = new float[preprocessor.inputSize()];
        this.detector = model.outputCount() == 2 && model.output(0).rank() == 2 && model.output(0).dim(1) == 5;
        this.out0 = new float[model.output(0).elementCount()];
        this.out1 = detector ? new float[1] : null;
        this.positive = detector ? -1 : model.metadata().labels().indexOf(positiveLabel);
        if (!detector && positive < 0) {
            throw new IllegalArgumentException("model " + model.name() + " has no label '" + positiveLabel + "' among " + model.metadata().labels());
        }
    }

    @Override
    public Model model() { return model; }
    @Override
    public int version() { return version; }

    /** Decodes and preprocesses; a malformed frame throws before the model runs. */
    public void prepare(Frame f) throws MalformedFrameException {
        preprocessor.apply(f, input, 0);
    }

    /** Runs the model on the prepared frame. */
    public ScoredFrame score(Frame f) {
        interpreter.setInput(0, input, 0);
        interpreter.invoke();
        interpreter.getOutput(0, out0, 0);
        if (detector) interpreter.getOutput(1, out1, 0);
        Verdict v = new Verdict();
        v.cameraId = f.cameraId;
        v.seq = f.seq;
        v.timestampMillis = f.timestampMillis;
        v.modelName = model.name();
        v.modelVersion = version;
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
        return new ScoredFrame(f, v);
    }
}
