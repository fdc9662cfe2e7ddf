package dev.winnow.runtime.graph;

import dev.winnow.runtime.kernel.Quantize;
import dev.winnow.runtime.kernel.VectorGuard;
import dev.winnow.runtime.quant.QuantParams;
import java.util.function.LongSupplier;

/**
 * Runs a graph on its own arena. One interpreter per thread (a Flink subtask holds one); after
 * construction, {@link #invoke()} and the input/output copies allocate nothing.
 *
 * <p>At a few invoke counts ({@link VectorGuard#probeAt}: the 256th, the 1024th, ...) while a
 * guarded vector path is on, one invoke is measured for what it allocates on this thread (and the
 * next one when it allocates, since the JIT can allocate once on its own). When
 * {@value VectorGuard#PROBES_IN_A_ROW} probes in a row, each at least {@link VectorGuard#PROBE_GAP_NANOS}
 * after the one before, found allocation, the figure goes to {@link VectorGuard}, which turns the
 * guarded paths off in a JVM whose compiled kernels box their vectors. Code C2 has not compiled yet
 * allocates too, and stops; the gap is what tells the two apart for a model so small that thousands
 * of invokes pass before C2 is done.
 */
public final class Interpreter {
    /** Hears what one measured invoke allocated; returns whether it acted on it. */
    @FunctionalInterface
    interface AllocationObserver {
        boolean observe(long bytes, String what);
    }

    private final Graph graph;
    private final Arena arena;
    private final Op[] ops;
    private final LongSupplier allocatedBytes;
    private final AllocationObserver observer;
    private final LongSupplier nanoTime;
    private final int[] quantizeScratch = new int[Quantize.scratchInts()];
    private long lastAllocatingProbe; // when the last probe that counted found allocation (or construction)
    private long invokes;
    private long nextProbe = VectorGuard.probeAt(0);
    private long suspected = -1; // what the last measured invoke allocated, when that was over the limit
    private int allocatingProbes; // probes in a row that found allocation

    public Interpreter(Graph graph) {
        this(graph, VectorGuard::allocatedBytes, VectorGuard::observe, System::nanoTime);
    }

    /** With a meter, an observer and a clock of its own: for tests of the probe. */
    Interpreter(Graph graph, LongSupplier allocatedBytes, AllocationObserver observer, LongSupplier nanoTime) {
        this.graph = graph;
        this.arena = graph.plan().newArena();
        this.ops = graph.ops().toArray(new Op[0]);
        this.allocatedBytes = allocatedBytes;
        this.observer = observer;
        this.nanoTime = nanoTime;
        this.lastAllocatingProbe = nanoTime.getAsLong();
    }

    public Graph graph() {
        return graph;
    }

    /** The arena, for callers that write an input tensor in place (see {@link #inputOffset}). */
    public Arena arena() {
        return arena;
    }

    public int inputOffset(int i) {
        return graph.inputOffset(i);
    }

    public int outputOffset(int i) {
        return graph.outputOffset(i);
    }

    public TensorSpec inputSpec(int i) {
        return graph.inputs().get(i);
    }

    public TensorSpec outputSpec(int i) {
        return graph.outputs().get(i);
    }

    /** Copies {@code src} into graph input {@code i}, quantizing when that input is int8. */
    public void setInput(int i, float[] src, int srcOffset) {
        TensorSpec t = graph.inputs().get(i);
        int n = values(t, true, src.length, srcOffset);
        int off = graph.inputOffset(i);
        if (t.type() == ElementType.FLOAT32) {
            System.arraycopy(src, srcOffset, arena.f, off, n);
        } else if (t.type() == ElementType.INT8) {
            Quantize.floats(src, srcOffset, n, 1f / t.scale(), t.zeroPoint(), arena.b, off, quantizeScratch, 0);
        }
    }

    /**
     * The int8 value {@link #setInput} writes for {@code v} into int8 input {@code i}. An input whose values
     * come from a few levels (a grey frame's 256) can then be written through a table of them, straight
     * into the arena at {@link #inputOffset}, without a float rounding per value.
     */
    public byte quantizeInput(int i, float v) {
        TensorSpec t = graph.inputs().get(i);
        if (t.type() != ElementType.INT8) throw new IllegalArgumentException("input " + t + " is not int8");
        return QuantParams.quantize(v, 1f / t.scale(), t.zeroPoint());
    }

    /** Runs every op once, in order. */
    public void invoke() {
        if (++invokes == nextProbe) {
            probe();
            return;
        }
        for (Op op : ops) op.invoke(arena);
    }

    /**
     * One invoke measured, when the guard can still act on what it sees. A single invoke can allocate
     * once for reasons of the JIT's own (192 B at an on-stack replacement, seen in a test JVM), so an
     * invoke that allocates has the next one measured too, and the smaller figure counts: boxed
     * vectors allocate on every invoke.
     */
    private void probe() {
        long before = VectorGuard.armed() ? allocatedBytes.getAsLong() : -1;
        for (Op op : ops) op.invoke(arena);
        long after = before < 0 ? -1 : allocatedBytes.getAsLong();
        if (before < 0 || after < 0) {
            nextProbe = VectorGuard.probeAt(invokes);
            return;
        }
        long bytes = after - before;
        if (suspected < 0 && bytes > VectorGuard.LIMIT_BYTES) {
            suspected = bytes;
            nextProbe = invokes + 1;
            return;
        }
        long seen = suspected < 0 ? bytes : Math.min(suspected, bytes);
        suspected = -1;
        nextProbe = VectorGuard.probeAt(invokes);
        if (seen <= VectorGuard.LIMIT_BYTES) {
            allocatingProbes = 0;
            return;
        }
        long now = nanoTime.getAsLong();
        if (now - lastAllocatingProbe < VectorGuard.PROBE_GAP_NANOS) return; // too soon to tell C2's warm-up from boxing
        lastAllocatingProbe = now;
        if (++allocatingProbes >= VectorGuard.PROBES_IN_A_ROW) observer.observe(seen, "a graph of " + ops.length + " ops");
    }

    /** Copies graph output {@code i} into {@code dst}, dequantizing when that output is int8. */
    public void getOutput(int i, float[] dst, int dstOffset) {
        TensorSpec t = graph.outputs().get(i);
        int n = values(t, false, dst.length, dstOffset);
        int off = graph.outputOffset(i);
        if (t.type() == ElementType.FLOAT32) {
            System.arraycopy(arena.f, off, dst, dstOffset, n);
        } else if (t.type() == ElementType.INT8) {
            float s = t.scale();
            int zp = t.zeroPoint();
            for (int k = 0; k < n; k++) dst[dstOffset + k] = (arena.b[off + k] - zp) * s;
        }
    }

    /** Graph input or output {@code t}'s element count, once an array of {@code length} holds that many from {@code offset}. */
    private static int values(TensorSpec t, boolean input, int length, int offset) {
        int n = t.elementCount();
        if (offset < 0 || length - offset < n) {
            throw new IllegalArgumentException(input ? "input " + t + " needs " + n + " values, got " + (length - offset)
                    : "output " + t + " has " + n + " values, room for " + (length - offset));
        }
        return n;
    }

    /** Convenience for single-input, single-output models. */
    public float[] predict(float[] input, float[] output) {
        setInput(0, input, 0);
        invoke();
        getOutput(0, output, 0);
        return output;
    }

    public long arenaBytes() {
        return arena.bytes();
    }
}
