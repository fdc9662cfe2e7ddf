package dev.winnow.runtime.graph;

/**
 * A buffer the planner must place: its bank, its size in elements of that bank, and the first and
 * last op (by execution index) that touch it. A graph input is live from op 0, a graph output until
 * the last op, a scratch buffer only during its op.
 */
public record BufferRequest(String name, ElementType bank, int elements, int firstOp, int lastOp) {
    public BufferRequest {
        if (elements < 0) throw new IllegalArgumentException("buffer '" + name + "' has negative size");
        if (firstOp > lastOp) throw new IllegalArgumentException("buffer '" + name + "' ends before it starts");
    }

    boolean overlapsInTime(BufferRequest o) {
        return firstOp <= o.lastOp && o.firstOp <= lastOp;
    }
}
