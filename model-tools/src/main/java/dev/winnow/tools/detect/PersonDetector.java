package dev.winnow.tools.detect;

import dev.winnow.runtime.Model;
import dev.winnow.runtime.graph.Interpreter;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a person-detector artifact on 320x240 gray frames (floats in [0, 1]): per frame the person
 * score (the best anchor's score when the artifact outputs it; from older artifacts the best
 * detection's score, 0 when none passes the threshold), the count and the boxes. One instance per
 * thread; {@link #run} allocates nothing.
 */
public final class PersonDetector {
    private final Interpreter it;
    private final float[] dets;
    private final float[] count = new float[1];
    private final float[] best;
    private float[] pixels;

    public PersonDetector(Model model) {
        this.it = model.newInterpreter();
        this.dets = new float[model.output(0).elementCount()];
        this.best = model.outputCount() >= 3 && model.output(2).elementCount() == 1 ? new float[1] : null;
    }

    /** Runs one frame; read the results with {@link #score}, {@link #count}, {@link #boxes}. */
    public void run(float[] frame) {
        it.setInput(0, frame, 0);
        it.invoke();
        it.getOutput(0, dets, 0);
        it.getOutput(1, count, 0);
        if (best != null) it.getOutput(2, best, 0);
    }

    /**
     * Runs one 320x240 grey frame given as bytes (0..255), scaled to 0..1 as the frame operators scale it,
     * through a buffer this detector owns.
     */
    public void run(byte[] grey) {
        if (pixels == null || pixels.length != grey.length) pixels = new float[grey.length];
        for (int i = 0; i < grey.length; i++) pixels[i] = (grey[i] & 0xff) / 255f;
        run(pixels);
    }

    public float score() { return best != null ? best[0] : count() > 0 ? dets[4] : 0f; }

    public int count() { return (int) count[0]; }

    /** (x, y, w, h, score) in 320x240 pixels, best first. */
    public List<float[]> boxes() {
        List<float[]> r = new ArrayList<>();
        for (int k = 0; k < count(); k++) r.add(java.util.Arrays.copyOfRange(dets, 5 * k, 5 * k + 5));
        return r;
    }

    public long arenaBytes() { return it.arenaBytes(); }
}
