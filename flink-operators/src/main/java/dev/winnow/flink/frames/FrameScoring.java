package dev.winnow.flink.frames;

import dev.winnow.flink.model.ServingModel;
import dev.winnow.flink.model.SwappableModel;
import dev.winnow.flink.types.Frame;
import dev.winnow.flink.types.ScoredFrame;
import dev.winnow.flink.types.Verdict;
import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.ElementType;
import dev.winnow.runtime.graph.Interpreter;

/**
 * One loaded frame model with its interpreter and buffers: preprocessing, one prediction and the
 * verdict. Three kinds of model: a detector (outputs [max, 5] boxes and [1] count: score = best box,
 * count = boxes kept); a class detector such as the CenterNet teacher (an output [k, 6] of x1, y1, x2,
 * y2, score, class: the person class is metadata {@code personClass}, default 0, and boxes count from
 * {@code scoreThreshold}, default 0.35); or a classifier (one score per label: score = the probability
 * of the positive label, count 1 or 0). Not thread-safe: one per subtask.
 */
public final class FrameScoring implements ServingModel {
    private final Model model;
    private final int version;
    private final Interpreter interpreter;
    private final FramePreprocessor preprocessor;
    private final float[] input, out0, out1;
    private final float[] best;
    private final boolean detector;
    private final int classDetections;
    private final int personClass;
    private final float classThreshold;
    private final int positive;
    /**
     * An int8 input's value for each grey level of an {@link FramePreprocessor#unscaledGrey} frame, as
     * {@link Interpreter#setInput} would quantize it; null when the input is float or takes colour. A
     * camera sending frames at the model's size then skips the float rounding of every pixel
     * (3–4 % of a scoring thread's time on JDK 17, where {@code Math.round} is not vectorized).
     */
    private final byte[] greyTable;
    /** The arena holds the last prepared frame's input already (written through {@link #greyTable}). */
    private boolean inputInArena;

    /** A scorer's pixel budget as its {@code maxPixels(long)} setter takes it: refused at once when below 1, not at open. */
    static long checkedMaxPixels(long maxPixels) {
        if (maxPixels < 1) throw new IllegalArgumentException("maxPixels " + maxPixels);
        return maxPixels;
    }

    /**
     * Loads each version a hot-swapping scorer is told of, and refuses one whose input differs from the
     * serving model's: its frames are prepared for the serving model's input until the swap.
     */
    static SwappableModel.Loader<FrameScoring> swappableLoader(String positiveLabel, long maxPixels) {
        return (m, version, serving) -> {
            if (serving != null && !m.inputSpec().compatibleWith(serving.model().inputSpec())) {
                throw new IllegalArgumentException("input spec " + m.inputSpec() + " differs from the serving model's " + serving.model().inputSpec());
            }
            return new FrameScoring(m, version, positiveLabel, maxPixels);
        };
    }

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
        this.greyTable = greyTable(interpreter, preprocessor);
        this.detector = (model.outputCount() == 2 || model.outputCount() == 3) && model.output(0).rank() == 2 && model.output(0).dim(1) == 5;
        // a third detector output is the best anchor score, passing the threshold or not (older artifacts lack it)
        this.best = detector && model.outputCount() == 3 ? new float[1] : null;
        this.classDetections = !detector && model.output(0).rank() == 2 && model.output(0).dim(1) == 6 ? model.output(0).dim(0) : 0;
        this.personClass = number(model, "personClass", 0).intValue();
        this.classThreshold = number(model, "scoreThreshold", 0.35).floatValue();
        this.out0 = new float[model.output(0).elementCount()];
        this.out1 = detector ? new float[1] : null;
        this.positive = detector || classDetections > 0 ? -1 : model.metadata().labels().indexOf(positiveLabel);
        if (!detector && classDetections == 0 && positive < 0) {
            throw new IllegalArgumentException("model " + model.name() + " has no label '" + positiveLabel + "' among " + model.metadata().labels());
        }
    }

    private static byte[] greyTable(Interpreter it, FramePreprocessor pre) {
        float[] levels = pre.greyLevels();
        if (levels == null || it.inputSpec(0).type() != ElementType.INT8) return null;
        byte[] table = new byte[levels.length];
        for (int v = 0; v < levels.length; v++) table[v] = it.quantizeInput(0, levels[v]);
        return table;
    }

    private static Number number(Model m, String key, Number dflt) {
        Object v = m.metadata().get(key);
        return v instanceof Number ? (Number) v : dflt;
    }

    @Override
    public Model model() { return model; }
    @Override
    public int version() { return version; }

    /** Decodes and preprocesses; a malformed frame throws before the model runs. */
    public void prepare(Frame f) throws MalformedFrameException {
        inputInArena = false;
        preprocessor.apply(f, input, 0);
        if (greyTable != null && preprocessor.unscaledGrey(f)) {
            byte[] a = interpreter.arena().b, data = f.data, table = greyTable;
            for (int i = 0, o = interpreter.inputOffset(0); i < data.length; i++) a[o + i] = table[data[i] & 0xFF];
            inputInArena = true;
        }
    }

    /** The prepared model input of the last {@link #prepare}d frame (read only). */
    float[] preparedInput() {
        return input;
    }

    /** Runs the model on the prepared frame. */
    public ScoredFrame score(Frame f) {
        // the graph may reuse the input's arena bytes once it has read them: the table's copy serves one run
        if (inputInArena) inputInArena = false;
        else interpreter.setInput(0, input, 0);
        interpreter.invoke();
        interpreter.getOutput(0, out0, 0);
        if (detector) interpreter.getOutput(1, out1, 0);
        if (best != null) interpreter.getOutput(2, best, 0);
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
            v.rawScore = best != null ? best[0] : v.score;
            // boxes from model-input pixels to frame pixels
            v.boxes = new float[5 * n];
            for (int i = 0; i < n; i++) {
                v.boxes[5 * i] = preprocessor.frameX(out0[5 * i]);
                v.boxes[5 * i + 1] = preprocessor.frameY(out0[5 * i + 1]);
                v.boxes[5 * i + 2] = out0[5 * i + 2] * preprocessor.scaleX();
                v.boxes[5 * i + 3] = out0[5 * i + 3] * preprocessor.scaleY();
                v.boxes[5 * i + 4] = out0[5 * i + 4];
            }
        } else if (classDetections > 0) {
            classVerdict(v);
        } else {
            v.score = out0[positive];
            v.rawScore = v.score;
            v.count = v.score >= 0.5f ? 1 : 0;
        }
        return new ScoredFrame(f, v);
    }

    /** Rows [x1, y1, x2, y2, score, class] best first: the person rows at or over the threshold. */
    private void classVerdict(Verdict v) {
        int n = 0;
        float best = 0;
        for (int k = 0; k < classDetections; k++) {
            if ((int) out0[6 * k + 5] != personClass) continue;
            best = Math.max(best, out0[6 * k + 4]);
            if (out0[6 * k + 4] >= classThreshold) n++;
        }
        v.count = n;
        v.score = best;
        v.rawScore = best;
        v.boxes = new float[5 * n];
        int i = 0;
        for (int k = 0; k < classDetections && i < n; k++) {
            int o = 6 * k;
            if ((int) out0[o + 5] != personClass || out0[o + 4] < classThreshold) continue;
            float x1 = preprocessor.frameX(out0[o]), y1 = preprocessor.frameY(out0[o + 1]);
            v.boxes[5 * i] = x1;
            v.boxes[5 * i + 1] = y1;
            v.boxes[5 * i + 2] = preprocessor.frameX(out0[o + 2]) - x1;
            v.boxes[5 * i + 3] = preprocessor.frameY(out0[o + 3]) - y1;
            v.boxes[5 * i + 4] = out0[o + 4];
            i++;
        }
    }

    /** The threshold a verdict's {@code score} must reach for a person to be present. */
    public float presenceThreshold() {
        return classDetections > 0 ? classThreshold : detector ? 0f : 0.5f;
    }
}
