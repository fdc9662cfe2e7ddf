package dev.winnow.runtime.graph;

import dev.winnow.runtime.format.ModelFormatException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The op resolver: which factory builds which op type, as TensorFlow Lite Micro's
 * {@code MicroMutableOpResolver} lists the kernels an application links. The graph asks it for
 * every node and knows no op itself; {@code dev.winnow.runtime.ops.BuiltinOps.REGISTRY} is the list
 * Winnow ships. Immutable: {@link #with} returns a new resolver with extra ops (user ops).
 */
public final class OpRegistry {
    private final Map<String, OpFactory> factories;

    private OpRegistry(Map<String, OpFactory> factories) {
        this.factories = Map.copyOf(factories);
    }

    public static OpRegistry of(Map<String, OpFactory> factories) {
        return new OpRegistry(factories);
    }

    public OpRegistry with(String type, OpFactory factory) {
        Map<String, OpFactory> m = new HashMap<>(factories);
        m.put(type, factory);
        return new OpRegistry(m);
    }

    public Op create(NodeContext node) throws ModelFormatException {
        OpFactory f = factories.get(node.op());
        if (f == null) {
            throw node.error("unknown op type; this runtime knows " + new TreeSet<>(factories.keySet()));
        }
        try {
            return f.create(node);
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    public Set<String> types() {
        return factories.keySet();
    }
}
