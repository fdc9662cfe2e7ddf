package dev.winnow.flink.inference;

import java.util.List;

/** What produced an output: the model's name, its registry version and its output labels. */
public record ServingInfo(String name, int version, List<String> labels) {
    /** Index of the largest output. */
    public static int argmax(float[] outputs) {
        int best = 0;
        for (int i = 1; i < outputs.length; i++) if (outputs[i] > outputs[best]) best = i;
        return best;
    }

    /** Label of the largest output, or its index when the model has no labels. */
    public String bestLabel(float[] outputs) {
        int i = argmax(outputs);
        return i < labels.size() ? labels.get(i) : String.valueOf(i);
    }
}
