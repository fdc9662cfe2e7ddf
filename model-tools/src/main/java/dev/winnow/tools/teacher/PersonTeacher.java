package dev.winnow.tools.teacher;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.Interpreter;
import dev.winnow.runtime.graph.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A general person detector run as the teacher: an imported CenterNet graph (input [S,S,3] RGB
 * 0..255, output detections [k,6] = x1, y1, x2, y2, score, class with class 0 a person), the frame
 * fitted into the input square, and the boxes mapped back to the frame's own pixels.
 *
 * <p>The model is immutable and shared; each thread takes its own {@link Session}, which owns the
 * interpreter and every buffer, so detection allocates only the result list.
 */
public final class PersonTeacher {
    /** How a frame is fitted into the model's square input. */
    public enum Fit {
        /** Scaled to fit, aspect kept, centred, with black bands on the two free sides. */
        LETTERBOX,
        /** Scaled to the square, aspect lost. */
        STRETCH;

        public static Fit parse(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    /** A person box in the frame's pixels. */
    public record Box(float x1, float y1, float x2, float y2, float score) {
        public String format() {
            return String.format(Locale.ROOT, "%.1f:%.1f:%.1f:%.1f:%.3f", x1, y1, x2, y2, score);
        }
    }

    public static final int PERSON = 0;

    private final Model model;
    private final Fit fit;
    private final int size;
    private final int detectionsOutput;
    private final int maxDetections;

    public PersonTeacher(Model model, Fit fit) {
        this.model = model;
        this.fit = fit;
        TensorSpec in = model.input(0);
        if (in.rank() != 3 || in.dim(2) != 3 || in.dim(0) != in.dim(1)) {
            throw new IllegalArgumentException("the teacher needs a square RGB input [S,S,3], " + model.name() + " takes " + in);
        }
        this.size = in.dim(0);
        int found = -1;
        for (int i = 0; i < model.outputCount(); i++) {
            TensorSpec o = model.output(i);
            if (o.rank() == 2 && o.dim(1) == 6) found = i;
        }
        if (found < 0) throw new IllegalArgumentException(model.name() + " has no detections output [k,6]");
        this.detectionsOutput = found;
        this.maxDetections = model.output(found).dim(0);
    }

    public Model model() { return model; }
    public Fit fit() { return fit; }
    public int inputSize() { return size; }

    public Session newSession() {
        return new Session();
    }

    /** One thread's interpreter and buffers. Not thread safe. */
    public final class Session {
        private final Interpreter interpreter = model.newInterpreter();
        private final float[] input = new float[size * size * 3];
        private final float[] detections = new float[maxDetections * 6];
        private int lastW = -1, lastH = -1;
        private float scaleX, scaleY;
        private int fitW, fitH, offX, offY;
        private int[] x0, y0;
        private float[] fx, fy;

        /** The model's input for {@code p}, as {@link #detect} feeds it (for golden comparisons). */
        public float[] preprocess(Picture p) {
            plan(p.width(), p.height());
            Arrays.fill(input, 0f);
            byte[] d = p.data();
            int c = p.channels(), w = p.width();
            for (int y = 0; y < fitH; y++) {
                int ya = y0[y], yb = Math.min(ya + 1, p.height() - 1);
                float wy = fy[y];
                for (int x = 0; x < fitW; x++) {
                    int xa = x0[x], xb = Math.min(xa + 1, w - 1);
                    float wx = fx[x];
                    int o = ((y + offY) * size + x + offX) * 3;
                    for (int k = 0; k < 3; k++) {
                        int ch = c == 1 ? 0 : k;
                        float a = d[(ya * w + xa) * c + ch] & 0xff, b = d[(ya * w + xb) * c + ch] & 0xff;
                        float e = d[(yb * w + xa) * c + ch] & 0xff, f = d[(yb * w + xb) * c + ch] & 0xff;
                        float top = a + (b - a) * wx, bottom = e + (f - e) * wx;
                        input[o + k] = top + (bottom - top) * wy;
                    }
                }
            }
            return input;
        }

        /** Person boxes with a score of at least {@code threshold}, best first, in the frame's pixels. */
        public List<Box> detect(Picture p, float threshold) {
            preprocess(p);
            interpreter.setInput(0, input, 0);
            interpreter.invoke();
            interpreter.getOutput(detectionsOutput, detections, 0);
            List<Box> out = new ArrayList<>();
            for (int k = 0; k < maxDetections; k++) {
                int o = k * 6;
                float score = detections[o + 4];
                if ((int) detections[o + 5] != PERSON || !(score >= threshold)) continue;
                out.add(new Box(clamp((detections[o] - offX) * scaleX, p.width()), clamp((detections[o + 1] - offY) * scaleY, p.height()),
                        clamp((detections[o + 2] - offX) * scaleX, p.width()), clamp((detections[o + 3] - offY) * scaleY, p.height()), score));
            }
            return out;
        }

        /** Raw detections of the last {@link #detect} call, [k,6] in the model's input pixels. */
        public float[] lastDetections() {
            return detections;
        }

        private float clamp(float v, int max) {
            return Math.max(0, Math.min(max, v));
        }

        /** Bilinear source positions with half-pixel centres, once per frame size. */
        private void plan(int w, int h) {
            if (w == lastW && h == lastH) return;
            lastW = w;
            lastH = h;
            if (fit == Fit.LETTERBOX) {
                double s = Math.min((double) size / w, (double) size / h);
                fitW = Math.max(1, Math.min(size, (int) Math.round(w * s)));
                fitH = Math.max(1, Math.min(size, (int) Math.round(h * s)));
            } else {
                fitW = size;
                fitH = size;
            }
            offX = (size - fitW) / 2;
            offY = (size - fitH) / 2;
            scaleX = (float) w / fitW;
            scaleY = (float) h / fitH;
            x0 = new int[fitW];
            fx = new float[fitW];
            y0 = new int[fitH];
            fy = new float[fitH];
            axis(w, fitW, x0, fx);
            axis(h, fitH, y0, fy);
        }

        private void axis(int in, int out, int[] i0, float[] f) {
            double scale = (double) in / out;
            for (int o = 0; o < out; o++) {
                double src = Math.max(0, (o + 0.5) * scale - 0.5);
                int a = Math.min((int) Math.floor(src), in - 1);
                i0[o] = a;
                f[o] = (float) Math.min(1, src - a);
            }
        }
    }
}
