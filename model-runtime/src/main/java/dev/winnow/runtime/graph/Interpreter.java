package dev.winnow.runtime.graph;

import dev.winnow.runtime.kernel.AllocationProbe;
import dev.winnow.runtime.kernel.Quantize;
import dev.winnow.runtime.kernel.VectorGuard;
import dev.winnow.runtime.quant.QuantParams;

/**
 * Runs a graph on its own arena. One interpreter per thread (a Flink subtask holds one); after
 * construction, {@link #invoke()} and the input/output copies allocate nothing.
 *
 * <p>Every invoke is counted by an {@link AllocationProbe}, which at a few invoke counts measures one
 * invoke's allocation on this thread while a guarded vector path is on, and tells {@link VectorGuard}
 * when invokes keep allocating over {@link VectorGuard#LIMIT_BYTES}: a JVM whose compiled kernels box
 * their vectors then runs their scalar code.
 */
public final class Interpreter {
    private final Graph graph;
    private final Arena arena;
    private final Op[] ops;
    private final AllocationProbe probe;
    private final int[] quantizeScratch = new int[Quantize.scratchInts()];

    public Interpreter(Graph graph) {
        this(graph, new AllocationProbe(probed(graph), VectorGuard.LIMIT_BYTES));
    }

    /** With a probe of its own (a meter, an observer and a clock of the test's): for tests of the probe. */
    Interpreter(Graph graph, AllocationProbe probe) {
        this.graph = graph;
        this.arena = graph.plan().newArena();
        this.ops = graph.ops().toArray(new Op[0]);
        this.probe = probe;
    }

    /** What the probe's warning calls this interpreter's calls. */
    static String probed(Graph graph) {
        return "invokes of a graph of " + graph.ops().size() + " ops";
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
        if (probe.due()) {
            long before = probe.start();
            run();
            probe.finish(before);
            return;
        }
        run();
    }

    private void run() {
        for (Op op : ops) op.invoke(arena);
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
