package dev.winnow.runtime.graph;

import dev.winnow.runtime.format.Artifact;
import dev.winnow.runtime.format.ModelFormatException;
import dev.winnow.runtime.format.TensorData;
import java.util.List;
import java.util.Map;

/**
 * One graph node of an artifact as an {@link OpFactory} sees it: its attributes, its input and
 * output tensors, and its weights by role. Every accessor that finds something missing or malformed
 * throws a {@link ModelFormatException} naming the node.
 */
public final class NodeContext {
    private final String op;
    private final String name;
    private final Map<String, Object> attrs;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final Map<String, String> weights;
    private final Artifact artifact;

    public NodeContext(String op, String name, Map<String, Object> attrs, List<TensorSpec> inputs, List<TensorSpec> outputs,
                       Map<String, String> weights, Artifact artifact) {
        this.op = op;
        this.name = name;
        this.attrs = attrs;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.weights = weights;
        this.artifact = artifact;
    }

    public String op() { return op; }
    public String name() { return name; }

    public ModelFormatException error(String what) {
        return new ModelFormatException("node '" + name + "' (" + op + "): " + what);
    }

    public TensorSpec[] inputs(int expected) throws ModelFormatException {
        if (inputs.size() != expected) throw error("expects " + expected + " input(s), has " + inputs.size());
        return inputs.toArray(new TensorSpec[0]);
    }

    /** The node's one input, which must be float32 (the float-only ops). */
    public TensorSpec floatInput() throws ModelFormatException {
        TensorSpec in = inputs(1)[0];
        expectType(in, ElementType.FLOAT32);
        return in;
    }

    /** The node's one output, which must be float32. */
    public TensorSpec floatOutput() throws ModelFormatException {
        TensorSpec out = outputs(1)[0];
        expectType(out, ElementType.FLOAT32);
        return out;
    }

    public TensorSpec[] inputsAtLeast(int min) throws ModelFormatException {
        if (inputs.size() < min) throw error("expects at least " + min + " inputs, has " + inputs.size());
        return inputs.toArray(new TensorSpec[0]);
    }

    public TensorSpec[] outputs(int expected) throws ModelFormatException {
        if (outputs.size() != expected) throw error("expects " + expected + " output(s), has " + outputs.size());
        return outputs.toArray(new TensorSpec[0]);
    }

    public TensorSpec[] outputsBetween(int min, int max) throws ModelFormatException {
        if (outputs.size() < min || outputs.size() > max) throw error("expects " + min + " to " + max + " outputs, has " + outputs.size());
        return outputs.toArray(new TensorSpec[0]);
    }

    public boolean hasWeight(String role) {
        return weights.containsKey(role);
    }

    public TensorData weight(String role) throws ModelFormatException {
        String tensor = weights.get(role);
        if (tensor == null) throw error("missing weight '" + role + "'");
        if (!artifact.hasTensor(tensor)) throw error("weight '" + role + "' names tensor '" + tensor + "', which the artifact lacks");
        return artifact.tensor(tensor);
    }

    /** A weight that must have exactly {@code n} elements. */
    public TensorData weight(String role, long n) throws ModelFormatException {
        TensorData t = weight(role);
        if (t.elementCount() != n) throw error("weight '" + role + "' has " + t.elementCount() + " elements, expected " + n);
        return t;
    }

    public String string(String key, String dflt) throws ModelFormatException {
        Object v = attrs.get(key);
        if (v == null) return dflt;
        if (!(v instanceof String)) throw error("attribute '" + key + "' must be a string");
        return (String) v;
    }

    public int integer(String key, int dflt, int min, int max) throws ModelFormatException {
        Object v = attrs.get(key);
        if (v == null) return dflt;
        if (!(v instanceof Long) || (Long) v < min || (Long) v > max) throw error("attribute '" + key + "' must be an integer in [" + min + ", " + max + "]");
        return (int) (long) (Long) v;
    }

    public float number(String key, float dflt) throws ModelFormatException {
        Object v = attrs.get(key);
        if (v == null) return dflt;
        if (!(v instanceof Number) || !Double.isFinite(((Number) v).doubleValue())) throw error("attribute '" + key + "' must be a finite number");
        return ((Number) v).floatValue();
    }

    /** An attribute as parsed JSON, or null; for structured values the op validates itself. */
    public Object raw(String key) {
        return attrs.get(key);
    }

    /** An attribute given as one integer or a pair [a, b]. */
    public int[] pair(String key, int dflt, int min, int max) throws ModelFormatException {
        Object v = attrs.get(key);
        if (v == null) return new int[] {dflt, dflt};
        if (v instanceof Long) {
            int x = integer(key, dflt, min, max);
            return new int[] {x, x};
        }
        if (!(v instanceof List) || ((List<?>) v).size() != 2) throw error("attribute '" + key + "' must be an integer or a pair");
        int[] out = new int[2];
        for (int i = 0; i < 2; i++) {
            Object e = ((List<?>) v).get(i);
            if (!(e instanceof Long) || (Long) e < min || (Long) e > max) throw error("attribute '" + key + "' has an entry outside [" + min + ", " + max + "]");
            out[i] = (int) (long) (Long) e;
        }
        return out;
    }

    /** Checks that a declared output has the shape the op computes. */
    public void expectShape(TensorSpec t, int... shape) throws ModelFormatException {
        if (!java.util.Arrays.equals(t.shape(), shape)) {
            throw error("output '" + t.name() + "' is declared " + java.util.Arrays.toString(t.shape()) + " but the op produces " + java.util.Arrays.toString(shape));
        }
    }

    public void expectType(TensorSpec t, ElementType type) throws ModelFormatException {
        if (t.type() != type) throw error("tensor '" + t.name() + "' must be " + type + ", is " + t.type());
    }
}
