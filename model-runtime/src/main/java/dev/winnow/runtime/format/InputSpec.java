package dev.winnow.runtime.format;

import java.util.Arrays;
import java.util.Map;

/**
 * What a model expects as input: tensor name, shape, element type, layout and how raw data is to be
 * preprocessed (free-form keys such as colorSpace, resize, scale, mean, std).
 */
public record InputSpec(String name, int[] shape, String dtype, String layout, Map<String, Object> preprocess) {
    public InputSpec {
        shape = shape.clone();
        preprocess = preprocess == null ? Map.of() : preprocess;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int elementCount() {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** Same tensor contract: a model can replace another only if its input spec is compatible. */
    public boolean compatibleWith(InputSpec other) {
        return Arrays.equals(shape, other.shape) && dtype.equals(other.dtype) && layout.equals(other.layout)
                && preprocess.equals(other.preprocess);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof InputSpec)) return false;
        InputSpec s = (InputSpec) o;
        return name.equals(s.name) && compatibleWith(s);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + ":" + dtype + "/" + layout;
    }
}
